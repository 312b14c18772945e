import type { Manifest, ManifestEnvironment } from '../../infra/manifest';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

/**
 * A valid manifest as the stacks write it, for CLI tests.
 * @param environment pre or live
 * @param overrides fields to replace
 */
export function exampleManifest(environment: ManifestEnvironment, overrides: Partial<Manifest> = {}): Manifest {
  const subdomain = environment === 'live' ? 'be' : 'pre-be';
  const prefix = `berth-${environment}`;
  return {
    schemaVersion: 1,
    app: 'berth',
    environment,
    account: ACCOUNT,
    region: REGION,
    cluster: { name: `${prefix}-Cluster`, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${prefix}-Cluster` },
    service: { name: `${prefix}-Service`, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${prefix}-Cluster/${prefix}-Service` },
    taskDefinitionFamily: prefix,
    containerName: 'app',
    containerPort: 8080,
    repository: { name: 'berth', uri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/berth` },
    autoScalingGroupName: `${prefix}-AutoScalingGroup`,
    capacityProviderName: `${prefix}-CapacityProvider`,
    launchTemplateId: 'lt-0123456789abcdef0',
    loadBalancer: {
      arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${prefix}/0123456789abcdef`,
      dnsName: `${prefix}-123456789.${REGION}.elb.amazonaws.com`,
      canonicalHostedZoneId: 'Z32O12XQLNTSW2',
    },
    listeners: {
      https: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/${prefix}/0123456789abcdef/1111111111111111`,
      http: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/${prefix}/0123456789abcdef/2222222222222222`,
    },
    rules: {
      production: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/${prefix}/0123456789abcdef/1111111111111111/3333333333333333`,
      test: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/${prefix}/0123456789abcdef/1111111111111111/4444444444444444`,
    },
    testHeader: { name: 'x-berth-test', value: 'green' },
    targetGroups: {
      blue: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${prefix}-blue/aaaaaaaaaaaaaaaa`,
      green: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${prefix}-green/bbbbbbbbbbbbbbbb`,
    },
    domainName: `${subdomain}.example.com`,
    url: `https://${subdomain}.example.com`,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    certificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/00000000-0000-0000-0000-00000000000${environment === 'live' ? 1 : 2}`,
    logGroupName: `/berth/berth/${environment}/app`,
    execLogGroupName: `/berth/berth/${environment}/exec`,
    defaultImageTag: environment === 'live' ? 'v1.0.0' : 'master',
    ...(environment === 'live' ? { imageTagParameter: '/berth/berth/live/image-tag' } : {}),
    // as a stack that writes berth verify's field: live on Graviton, pre on x86_64.
    architecture: environment === 'live' ? 'arm64' : 'x86_64',
    ...overrides,
  };
}

/**
 * A rule's forward action over the manifest's blue and green target groups, as DescribeRules returns it.
 * @param manifest the environment's manifest
 * @param blue blue's weight
 * @param green green's weight
 * @param blueArn another target group in blue's place, e.g. one that is not the environment's
 */
export function forwardAction(manifest: Manifest, blue: number, green: number, blueArn = manifest.targetGroups.blue) {
  return {
    Type: 'forward' as const,
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: blueArn, Weight: blue },
        { TargetGroupArn: manifest.targetGroups.green, Weight: green },
      ],
    },
  };
}
