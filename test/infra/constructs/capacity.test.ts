import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../../../infra/config';
import { synthBerth } from '../../_helpers/synth';

const berth = synthBerth();

describe.each<[EnvironmentName, Template]>([
  ['pre', berth.pre],
  ['live', berth.live],
])('the %s capacity', (name, template) => {
  const settings = berth.config.environments[name];

  test('the launch template requires IMDSv2 with hop limit 1, encrypted gp3, detailed monitoring and no SSH key', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: settings.instanceType,
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: { VolumeType: 'gp3', Encrypted: true, VolumeSize: settings.rootVolumeGiB, DeleteOnTermination: true },
          },
        ],
        Monitoring: { Enabled: true },
        KeyName: Match.absent(),
      }),
    });
  });

  test('the AMI is the ECS-optimized Amazon Linux 2023 image for the configured architecture, read at deploy time', () => {
    // GIVEN
    const path =
      settings.architecture === 'arm64'
        ? '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id'
        : '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

    // THEN
    const parameters = template.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: path });
    expect(Object.keys(parameters)).toHaveLength(1);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ ImageId: { Ref: Object.keys(parameters)[0] } }),
    });
  });

  test('the instances accept no inbound traffic at all', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('container instances'),
      SecurityGroupIngress: Match.absent(),
    });
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { FromPort: 22 }, 0);
  });

  test('the instance role is assumed by EC2; what it may do is evaluated in capacity-iam.test.ts', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('the Auto Scaling group has the configured size and replaces instances one at a time', () => {
    // THEN
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      Properties: Match.objectLike({
        MinSize: String(settings.minCapacity),
        MaxSize: String(settings.maxCapacity),
        DesiredCapacity: Match.absent(),
        NewInstancesProtectedFromScaleIn: true,
        AvailabilityZones: [...berth.config.vpc.availabilityZones],
      }),
      UpdatePolicy: {
        AutoScalingRollingUpdate: Match.objectLike({
          MaxBatchSize: 1,
          MinInstancesInService: Math.min(settings.minCapacity, settings.maxCapacity - 1),
        }),
        AutoScalingScheduledAction: Match.anyValue(),
      },
    });
  });

  test('the capacity provider manages scaling, termination protection and draining, and is the cluster default', () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: {
        AutoScalingGroupArn: Match.anyValue(),
        ManagedScaling: Match.objectLike({ Status: 'ENABLED', TargetCapacity: 100 }),
        ManagedTerminationProtection: 'ENABLED',
        ManagedDraining: 'ENABLED',
      },
    });
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      DefaultCapacityProviderStrategy: [{ CapacityProvider: Match.anyValue(), Weight: 1 }],
    });
  });

  test('no drain-hook function is deployed: managed draining replaces it', () => {
    // THEN: the one function is berth's custom-resource handler.
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual(['BerthHandlerFunction53DA2EF1']);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('the cluster has Container Insights and logs ECS Exec sessions to an encrypted log group', () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      Configuration: {
        ExecuteCommandConfiguration: {
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchLogGroupName: Match.anyValue(), CloudWatchEncryptionEnabled: true },
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
  });

  test('every resource is tagged with its environment', () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::Cluster', { Tags: Match.arrayWith([{ Key: 'berth:environment', Value: name }]) });
  });
});

describe('a pinned AMI', () => {
  const { live, pre } = synthBerth((raw) => {
    (raw.environments as Record<string, Record<string, unknown>>).live.amiId = 'ami-0123456789abcdef0';
  });

  test('wins over the SSM parameter for its environment only', () => {
    // THEN
    live.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ ImageId: 'ami-0123456789abcdef0' }) });
    expect(Object.keys(live.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' }))).toHaveLength(0);
    expect(Object.keys(pre.findParameters('*', { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' }))).toHaveLength(1);
  });
});

describe('a configured desired capacity', () => {
  const { pre } = synthBerth((raw) => {
    (raw.environments as Record<string, Record<string, unknown>>).pre.desiredCapacity = 2;
  });

  test('is set on the group', () => {
    // THEN
    pre.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { DesiredCapacity: '2' });
  });
});
