import { Match } from 'aws-cdk-lib/assertions';
import { synthBerth } from '../../_helpers/synth';

describe('the shared stack with a new VPC (the example config)', () => {
  const { shared, config } = synthBerth();

  test('spreads public and private subnets over the configured zones, behind one NAT gateway', () => {
    // THEN
    shared.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    shared.resourceCountIs('AWS::EC2::Subnet', 4);
    shared.resourceCountIs('AWS::EC2::NatGateway', 1);
    for (const zone of config.vpc.availabilityZones) {
      shared.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: zone, MapPublicIpOnLaunch: false });
    }
  });

  test('logs rejected traffic to a KMS-encrypted log group kept for a year', () => {
    // THEN
    shared.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    shared.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    shared.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the repository scans on push and keeps releases immutable while master moves', () => {
    // THEN
    shared.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'berth',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'master' },
      ],
    });
  });

  test('the lifecycle policy protects every release before it expires commit builds and untagged images', () => {
    // GIVEN
    const repository = Object.values(shared.findResources('AWS::ECR::Repository'))[0];
    const policy = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText) as {
      rules: { rulePriority: number; selection: Record<string, unknown>; action: { type: string } }[];
    };

    // THEN
    expect(policy.rules.map((r) => [r.rulePriority, r.selection])).toEqual([
      [1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 9999 }],
      [2, { tagStatus: 'tagged', tagPatternList: ['sha-*'], countType: 'imageCountMoreThan', countNumber: 20 }],
      [3, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7, countUnit: 'days' }],
    ]);
  });

  test('the repository survives stack deletion and keeps its logical id', () => {
    // THEN: a changed logical id would make CloudFormation replace the repository and its images.
    shared.templateMatches({
      Resources: { Repository22E53BBD: { Type: 'AWS::ECR::Repository', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } },
    });
  });
});

describe('the shared stack with instances in public subnets (the low-cost option)', () => {
  const { shared, pre } = synthBerth((raw) => {
    raw.vpc = { cidr: '10.30.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 0, instanceSubnets: 'public' };
  });

  test('has no NAT gateway and no private subnets, and public subnets give instances public addresses', () => {
    // THEN
    shared.resourceCountIs('AWS::EC2::NatGateway', 0);
    shared.resourceCountIs('AWS::EC2::Subnet', 2);
    shared.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    pre.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      VPCZoneIdentifier: Match.arrayWith([{ 'Fn::ImportValue': Match.stringLikeRegexp('PublicSubnet1') }]),
    });
  });
});

describe('the shared stack with an imported VPC', () => {
  const { shared, pre } = synthBerth((raw) => {
    raw.vpc = {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      privateSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
    };
  });

  test('creates no network resources and places instances in the given private subnets', () => {
    // THEN
    shared.resourceCountIs('AWS::EC2::VPC', 0);
    shared.resourceCountIs('AWS::EC2::Subnet', 0);
    pre.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      VPCZoneIdentifier: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
    });
  });
});
