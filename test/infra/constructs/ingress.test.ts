import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../../../infra/config';
import { TARGET_GROUP_PORT } from '../../../infra/constructs/ingress';
import { synthBerth } from '../../_helpers/synth';

// GIVEN: an imported VPC (dual-stack needs its IPv6 subnets); live dual-stack with a test rule limited to
// two CIDRs; pre as in the example.
const berth = synthBerth((raw) => {
  raw.vpc = {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
    privateSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
    instanceSubnets: 'private',
  };
  const environments = raw.environments as Record<string, Record<string, unknown>>;
  environments.live.dualStack = true;
  environments.live.testRule = { sourceCidrs: ['203.0.113.0/24', '198.51.100.7/32'] };
});

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The listener on `port`, as a template resource. */
function listener(template: Template, port: number): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(
    template.findResources('AWS::ElasticLoadBalancingV2::Listener', { Properties: { Port: port } }) as Resources,
  );
  expect(found).toHaveLength(1);
  return { id: found[0][0], properties: found[0][1].Properties };
}

describe.each<[EnvironmentName, Template, string]>([
  ['pre', berth.pre, 'pre-be.example.com'],
  ['live', berth.live, 'be.example.com'],
])('the %s ingress', (name, template, domainName) => {
  const settings = berth.config.environments[name];

  test('is one internet-facing ALB in the public subnets that drops invalid header fields', () => {
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
      Subnets: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
    });
    for (const attribute of [
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'deletion_protection.enabled', Value: String(settings.deletionProtection) },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
    ]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { LoadBalancerAttributes: Match.arrayWith([attribute]) });
    }
  });

  test("listens on 443 with TLS 1.3 only and the environment's certificate, and answers 404 to any other host", () => {
    // THEN
    const https = listener(template, 443).properties;
    expect(https).toMatchObject({
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      Certificates: [{ CertificateArn: { Ref: expect.stringMatching(/^IngressCertificate/) } }],
      DefaultActions: [
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'not found' } },
      ],
    });
  });

  test('redirects 80 to 443 permanently and serves nothing on 80', () => {
    // THEN
    expect(listener(template, 80).properties).toMatchObject({
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    const rulesOn80 = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Properties: { ListenerArn: { Ref: listener(template, 80).id } },
    });
    expect(rulesOn80).toEqual({});
  });

  test('the certificate is for the subdomain, validated by DNS in the configured hosted zone', () => {
    // THEN
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: domainName,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: domainName, HostedZoneId: berth.config.domain.hostedZoneId }],
    });
  });

  test('an alias A record points the subdomain at the load balancer', () => {
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${domainName}.`,
      Type: 'A',
      HostedZoneId: berth.config.domain.hostedZoneId,
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
  });

  test('blue and green are IP target groups with the configured health check and a short drain', () => {
    // THEN
    const groups = template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Properties: {
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: TARGET_GROUP_PORT,
        HealthCheckPath: settings.healthCheck.path,
        HealthCheckIntervalSeconds: settings.healthCheck.intervalSeconds,
        HealthCheckTimeoutSeconds: settings.healthCheck.timeoutSeconds,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: settings.healthCheck.unhealthyThreshold,
        Matcher: { HttpCode: '200-299' },
        TargetGroupAttributes: Match.arrayWith([
          { Key: 'deregistration_delay.timeout_seconds', Value: String(settings.deregistrationDelaySeconds) },
        ]),
      },
    });
    expect(
      Object.keys(groups)
        .map((id) => id.replace(/[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(['IngressBlueTargetGroup', 'IngressGreenTargetGroup']);
    expect(settings.deregistrationDelaySeconds).toBeLessThan(300);
  });

  test('the production rule matches only the subdomain and is created over blue and green', () => {
    // THEN
    template.hasResourceProperties('Custom::BerthListenerRule', {
      ListenerArn: { Ref: listener(template, 443).id },
      Priority: 15,
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [domainName] } }],
      BlueTargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressBlueTargetGroup') },
      GreenTargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressGreenTargetGroup') },
    });
  });

  test('the test rule comes first and needs the subdomain and the test header', () => {
    // THEN
    template.hasResourceProperties('Custom::BerthListenerRule', {
      ListenerArn: { Ref: listener(template, 443).id },
      Priority: 5,
      Conditions: Match.arrayWith([
        { Field: 'host-header', HostHeaderConfig: { Values: [domainName] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-berth-test', Values: ['green'] } },
      ]),
    });
  });

  test('no resource whose update could write forward weights: the rules are custom resources without actions', () => {
    // THEN: an AWS::ElasticLoadBalancingV2::ListenerRule would write its template's weights over ECS's (aws/aws-cdk#36649).
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    const rules = Object.values(template.findResources('Custom::BerthListenerRule') as Resources);
    expect(rules).toHaveLength(2);
    for (const rule of rules) expect(Object.keys(rule.Properties)).not.toContain('Actions');
  });

  test('the rules, their handler and the target groups keep their logical ids', () => {
    // THEN: a new id would create a second rule at a taken priority; a new function would change the rules'
    // service token, which CloudFormation does not allow; a new target group would start without targets.
    expect(Object.keys(template.findResources('Custom::BerthListenerRule')).sort()).toEqual([
      'IngressProductionRule9FEF093D',
      'IngressTestRule36FA90F8',
    ]);
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual(['BerthHandlerFunction53DA2EF1']);
    expect(Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).sort()).toEqual([
      'IngressBlueTargetGroup0454B6EC',
      'IngressGreenTargetGroup0423B1D1',
    ]);
  });

  test('access logs go to an SSE-S3 bucket that enforces TLS, blocks public access and expires them', () => {
    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: settings.accessLogRetentionDays, Status: 'Enabled' })]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('the load balancer admits 80 and 443 from anywhere and reaches the tasks only on the container port', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('LoadBalancer'),
      SecurityGroupIngress: Match.arrayWith([
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
      ]),
    });
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress') as Resources);
    expect(egress.map((rule) => [rule.Properties.FromPort, rule.Properties.ToPort])).toEqual([
      [settings.container.port, settings.container.port],
    ]);
  });
});

describe('the pre ingress (IPv4 only, no deletion protection by default)', () => {
  test('has no AAAA record and no source-IP condition on its test rule', () => {
    // THEN
    berth.pre.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'AAAA' }, 0);
    berth.pre.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'ipv4' });
    const conditions = JSON.stringify(berth.pre.findResources('Custom::BerthListenerRule'));
    expect(conditions).not.toContain('source-ip');
  });
});

describe('the live ingress with dual-stack on and a limited test rule', () => {
  test('listens on IPv6 too and gets an AAAA alias record', () => {
    // THEN
    berth.live.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack' });
    berth.live.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'be.example.com.', Type: 'AAAA', AliasTarget: Match.anyValue() });
  });

  test('the test rule is limited to the configured source CIDRs', () => {
    // THEN
    berth.live.hasResourceProperties('Custom::BerthListenerRule', {
      Priority: 5,
      Conditions: Match.arrayWith([{ Field: 'source-ip', SourceIpConfig: { Values: ['203.0.113.0/24', '198.51.100.7/32'] } }]),
    });
  });

  test('is protected from deletion', () => {
    // THEN
    berth.live.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });
});

describe('a change of the container port', () => {
  test('keeps the target groups: their port is fixed, ECS registers each task with the container port', () => {
    // GIVEN
    const ported = synthBerth((raw) => {
      const environments = raw.environments as Record<string, Record<string, unknown>>;
      environments.live.container = { ...(environments.live.container as Record<string, unknown>), port: 9090 };
    });
    const groups = (template: Template) => template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup');

    // THEN: the same properties, so CloudFormation neither replaces nor updates them; the service names the new port.
    expect(groups(ported.live)).toEqual(groups(synthBerth().live));
    ported.live.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [Match.objectLike({ ContainerPort: 9090 })] });
  });
});
