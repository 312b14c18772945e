import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { instances } from '../../../scripts/commands/instances';
import { EXIT } from '../../../scripts/core/errors';
import { CURRENT_AMI, givenInstances } from '../../_helpers/instances';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';

beforeEach(() => resetAwsMocks());

describe('berth instances', () => {
  test('lists each instance with its AMI, agent and task count', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [
      { id: 'i-0aaa', agentConnected: true, runningTasks: 2, publicIp: '203.0.113.7' },
      { id: 'i-0bbb', imageId: 'ami-0old', agentConnected: false, az: 'eu-west-1b' },
    ]);

    // WHEN
    const { code, out } = await runCommand(instances, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^INSTANCE\s+AZ\s+TYPE\s+LIFECYCLE\s+HEALTH/);
    expect(lines[1]).toMatch(
      /i-0aaa\s+eu-west-1a\s+t4g.medium\s+InService\s+Healthy\s+running\s+10.20.1.10\s+203.0.113.7\s+ami-0current0+\s+yes\s+2026-11-20T08:00:00Z\s+connected\s+2/,
    );
    expect(lines[2]).toMatch(/i-0bbb\s+eu-west-1b.*ami-0old\s+no \(stale\).*DISCONNECTED/);
    expect(out).toContain("1 instance(s) run an AMI that is not the launch template's current");
  });

  test('--json prints the instances and the launch template images', async () => {
    // GIVEN
    const manifest = givenManifest('pre');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code, out } = await runCommand(instances, ['pre', '--json']);

    // THEN
    expect(code).toBe(EXIT.OK);
    const document = JSON.parse(out);
    expect(document.launchTemplate).toEqual({ id: manifest.launchTemplateId, defaultImageId: CURRENT_AMI, latestImageId: CURRENT_AMI });
    expect(document.instances).toEqual([
      expect.objectContaining({ instanceId: 'i-0aaa', registered: false, imageCurrent: true, privateIp: '10.20.1.10' }),
    ]);
    expect(document.instances[0]).not.toHaveProperty('containerInstance');
  });

  test('a launch template image given as an SSM parameter is resolved through SSM', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    const parameter = '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id';
    givenInstances(manifest, [{ id: 'i-0aaa', imageId: 'ami-0new', agentConnected: true }], `resolve:ssm:${parameter}`);
    aws.ssm.on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: 'ami-0new' } });

    // WHEN
    const { code, out } = await runCommand(instances, ['live', '--json']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateId: manifest.launchTemplateId,
      Versions: ['$Default', '$Latest'],
    });
    expect(JSON.parse(out).instances[0]).toEqual(expect.objectContaining({ imageId: 'ami-0new', imageCurrent: true }));
  });

  test('an empty group says so and points at doctor', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, []);

    // WHEN
    const { code, out } = await runCommand(instances, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('berth-live-AutoScalingGroup has no instances (desired capacity 0); see berth doctor live');
  });

  test('an unknown environment is a usage error before any AWS call', async () => {
    // WHEN
    const { code, err } = await runCommand(instances, ['prod']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe('berth instances: unknown environment "prod"; allowed: pre, live');
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  test('a denied call names the IAM permission to ask for', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);
    aws.autoScaling.rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));

    // WHEN
    const { code, err } = await runCommand(instances, ['live']);

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(
      'AWS denied autoscaling:DescribeAutoScalingGroups: your role needs the IAM permission autoscaling:DescribeAutoScalingGroups',
    );
  });
});
