import type { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../../../infra/config';
import { type Manifest, parseManifest } from '../../../infra/manifest';
import { synthBerth } from '../../_helpers/synth';

const berth = synthBerth();
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

type CfnValue = string | number | CfnValue[] | { [key: string]: CfnValue };

/**
 * Resolves the intrinsics of a template value to what CloudFormation would plausibly produce, so the
 * manifest can be checked as the CLI will read it. Unknown intrinsics throw: a new kind of token in the
 * manifest must be given a plausible value here first.
 */
function resolveWith(template: Template, env: EnvironmentName): (value: CfnValue) => CfnValue {
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const elb = (kind: string, id: string) =>
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${kind}/app/berth-${env}/0123456789abcdef/${id}`;
  const byRef: Record<string, (id: string) => string> = {
    'AWS::ECS::Cluster': () => `berth-${env}-CapacityCluster-AbCdEf123456`,
    'AWS::ECS::Service': () =>
      `arn:aws:ecs:${REGION}:${ACCOUNT}:service/berth-${env}-CapacityCluster-AbCdEf123456/berth-${env}-Service-GhIjKl789012`,
    'AWS::AutoScaling::AutoScalingGroup': () => `berth-${env}-CapacityAutoScalingGroupASG-MnOpQr345678`,
    'AWS::ECS::CapacityProvider': () => `berth-${env}-CapacityCapacityProvider-StUvWx901234`,
    'AWS::EC2::LaunchTemplate': () => 'lt-0123456789abcdef0',
    'AWS::ElasticLoadBalancingV2::LoadBalancer': () =>
      `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/berth-${env}/0123456789abcdef`,
    'AWS::ElasticLoadBalancingV2::Listener': (id) => elb('listener', id),
    // the rules are berth's custom resources; their physical id is the rule ARN.
    'Custom::BerthListenerRule': (id) => elb('listener-rule', id),
    'AWS::ElasticLoadBalancingV2::TargetGroup': (id) =>
      `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${id.slice(0, 20)}/0123456789abcdef`,
    'AWS::CertificateManager::Certificate': () => `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`,
    'AWS::Logs::LogGroup': (id) => `berth-${env}-${id}-YzAbCd567890`,
  };
  const byAttribute: Record<string, (id: string) => string> = {
    'AWS::ECS::Cluster.Arn': () => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/berth-${env}-CapacityCluster-AbCdEf123456`,
    'AWS::ECS::Service.Name': () => `berth-${env}-Service-GhIjKl789012`,
    // the duty roles are named (berth-<app>-<env>-<duty>); this stands for any other role.
    'AWS::IAM::Role.Arn': (id) => {
      const name = (resources[id] as { Properties?: { RoleName?: string } }).Properties?.RoleName ?? `berth-${env}-${id}`;
      return `arn:aws:iam::${ACCOUNT}:role/${name}`;
    },
    'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName': () => `berth-${env}-123456789.${REGION}.elb.amazonaws.com`,
    'AWS::ElasticLoadBalancingV2::LoadBalancer.CanonicalHostedZoneID': () => 'Z32O12XQLNTSW2',
  };
  const pseudo: Record<string, string> = {
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
  };
  const imports: [RegExp, string][] = [
    [/FnGetAttRepository\w+Arn/, `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/berth`],
    [/RefRepository/, 'berth'],
  ];

  const resolve = (value: CfnValue): CfnValue => {
    if (typeof value === 'string') return value.replace('{{resolve:ssm:/berth/berth/live/image-tag}}', 'v1.2.3');
    if (typeof value === 'number' || Array.isArray(value)) return Array.isArray(value) ? value.map(resolve) : value;
    const [[fn, args]] = Object.entries(value);
    const str = (v: CfnValue) => resolve(v) as string;
    switch (fn) {
      case 'Fn::Join': {
        const [separator, parts] = args as [string, CfnValue[]];
        return parts.map(str).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = args as [number, CfnValue];
        return (resolve(list) as string[])[index];
      }
      case 'Fn::Split': {
        const [separator, source] = args as [string, CfnValue];
        return str(source).split(separator);
      }
      case 'Fn::ImportValue': {
        const found = imports.find(([pattern]) => pattern.test(args as string));
        if (!found) throw new Error(`no plausible value for import ${String(args)}`);
        return found[1];
      }
      case 'Ref': {
        const id = args as string;
        if (pseudo[id]) return pseudo[id];
        const make = byRef[resources[id]?.Type];
        if (!make) throw new Error(`no plausible value for Ref ${id} (${resources[id]?.Type})`);
        return make(id);
      }
      case 'Fn::GetAtt': {
        const [id, attribute] = args as [string, string];
        const make = byAttribute[`${resources[id]?.Type}.${attribute}`];
        if (!make) throw new Error(`no plausible value for GetAtt ${id}.${attribute} (${resources[id]?.Type})`);
        return make(id);
      }
      default:
        throw new Error(`no plausible value for ${fn}`);
    }
  };
  return resolve;
}

describe.each<[EnvironmentName, Template]>([
  ['pre', berth.pre],
  ['live', berth.live],
])('the %s manifest', (env, template) => {
  const settings = berth.config.environments[env];
  const parameters = template.findResources('AWS::SSM::Parameter', { Properties: { Name: `/berth/berth/${env}/manifest` } });
  const [logicalId] = Object.keys(parameters);
  const value = resolveWith(template, env)(parameters[logicalId].Properties.Value as CfnValue) as string;

  test('is written to /berth/<app>/<env>/manifest and keeps its logical id', () => {
    // THEN: the CLI reads this path; a changed id would delete and recreate it mid-deploy.
    expect(Object.keys(parameters)).toEqual(['ManifestParameter06BD0D07']);
  });

  test('validates against the schema the CLI uses, once CloudFormation resolved it', () => {
    // WHEN
    const manifest = parseManifest(value, `/berth/berth/${env}/manifest`);

    // THEN
    expect(manifest.environment).toBe(env);
  });

  test("names the environment's duty roles, whose names an operator types", () => {
    // WHEN
    const manifest = parseManifest(value, env);

    // THEN
    expect(manifest.accessRoles).toEqual({
      viewer: `arn:aws:iam::${ACCOUNT}:role/berth-berth-${env}-viewer`,
      troubleshooter: `arn:aws:iam::${ACCOUNT}:role/berth-berth-${env}-troubleshooter`,
      releaser: `arn:aws:iam::${ACCOUNT}:role/berth-berth-${env}-releaser`,
    });
  });

  test('carries the release contract from config: blue/green by default, a pause only where live asks for approval', () => {
    // WHEN
    const manifest = parseManifest(value, env);

    // THEN
    expect(manifest.release).toEqual({
      strategy: { type: 'blue-green' },
      smoke: [],
      approve: env === 'live',
      ...(env === 'live' ? { pause: { timeoutMinutes: 30 } } : {}),
    });
  });

  test('fits a standard-tier parameter with room left for a database', () => {
    // THEN: standard parameters hold 4 KB; issue 7's database section adds about 400 characters.
    expect(value.length).toBeLessThan(4096 - 600);
  });

  test('names what the CLI must not guess: family, container, test header, domain, image tag', () => {
    // WHEN
    const manifest: Manifest = parseManifest(value, env);

    // THEN
    expect(manifest).toMatchObject({
      app: 'berth',
      account: ACCOUNT,
      region: REGION,
      taskDefinitionFamily: `berth-${env}`,
      containerName: 'app',
      containerPort: settings.container.port,
      testHeader: { name: settings.testRule.headerName, value: settings.testRule.headerValue },
      domainName: `${settings.subdomain}.example.com`,
      url: `https://${settings.subdomain}.example.com`,
      hostedZoneId: berth.config.domain.hostedZoneId,
      defaultImageTag: env === 'live' ? 'v1.2.3' : 'master',
    });
    expect(manifest.imageTagParameter).toBe(env === 'live' ? '/berth/berth/live/image-tag' : undefined);
    expect(manifest.database).toBeUndefined();
    expect(manifest.targetGroups.blue).not.toBe(manifest.targetGroups.green);
    expect(manifest.rules.production).not.toBe(manifest.rules.test);
  });

  test('comes with stack outputs for the URL, the load balancer and the service', () => {
    // THEN
    const outputs = template.toJSON().Outputs as Record<string, { Value: CfnValue }>;
    expect(outputs.Url.Value).toBe(`https://${settings.subdomain}.example.com`);
    expect(outputs.LoadBalancerDnsName.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IngressLoadBalancer/), 'DNSName'] });
    expect(outputs.ServiceName.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Service/), 'Name'] });
  });
});
