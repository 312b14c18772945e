import { DeployedStacks, evaluateAll, type IamRequest } from '../../_helpers/iam';
import { synthBerth } from '../../_helpers/synth';

// the container instances' role, evaluated as IAM would: what Session Manager, Run Command and the ECS agent
// need, and no SSM parameter at all.
describe('the instance role, evaluated', () => {
  const world = DeployedStacks.fromBerth(synthBerth());
  const instance = 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0';

  describe.each(['berth-pre', 'berth-live'] as const)('of %s', (stack) => {
    const role = world.role(stack, /^CapacityInstanceRole/);
    const cluster = world.resource(stack, 'AWS::ECS::Cluster', /Cluster/);

    test('cannot read any SSM parameter: live release state, manifests, or an arbitrary SecureString', async () => {
      // GIVEN
      const parameters = [
        world.resource('berth-shared', 'Custom::BerthImageTagParameter', /ImageTag/).arn,
        world.resource('berth-live', 'AWS::SSM::Parameter', /Manifest/).arn,
        world.resource('berth-pre', 'AWS::SSM::Parameter', /Manifest/).arn,
        'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/berth/live/database-password',
        'arn:aws:ssm:eu-west-1:123456789012:parameter/acme/payments/api-key',
      ];
      const requests: IamRequest[] = parameters.flatMap((resource) => [
        { action: 'ssm:GetParameter', resource },
        { action: 'ssm:GetParameters', resource },
        { action: 'ssm:GetParameterHistory', resource },
        { action: 'ssm:GetParametersByPath', resource },
        { action: 'ssm:PutParameter', resource },
      ]);

      // WHEN
      const results = await evaluateAll(role, requests);

      // THEN
      expect(results.filter((r) => r.endsWith(': Allowed'))).toEqual([]);
    });

    test('can do what Session Manager, Run Command and the ECS agent need', async () => {
      // GIVEN the calls of the SSM Agent (sessions, commands, heartbeat) and of the ECS agent
      const fromInstance = { 'ec2:SourceInstanceARN': instance };
      const requests: IamRequest[] = [
        { action: 'ssm:UpdateInstanceInformation', resource: instance, context: fromInstance },
        { action: 'ssmmessages:CreateControlChannel', context: fromInstance },
        { action: 'ssmmessages:CreateDataChannel' },
        { action: 'ssmmessages:OpenControlChannel' },
        { action: 'ssmmessages:OpenDataChannel' },
        { action: 'ec2messages:GetEndpoint' },
        { action: 'ec2messages:GetMessages', context: fromInstance },
        { action: 'ec2messages:AcknowledgeMessage' },
        { action: 'ec2messages:SendReply', context: fromInstance },
        { action: 'ec2messages:DeleteMessage' },
        { action: 'ec2messages:FailMessage' },
        { action: 'ecs:RegisterContainerInstance', resource: cluster },
        { action: 'ecs:DiscoverPollEndpoint' },
        { action: 'ecs:Poll', context: { 'ecs:cluster': cluster.arn } },
        { action: 'ecs:StartTelemetrySession', context: { 'ecs:cluster': cluster.arn } },
        { action: 'ecs:SubmitTaskStateChange', resource: cluster },
        { action: 'ecr:GetAuthorizationToken' },
      ];

      // WHEN
      const results = await evaluateAll(role, requests);

      // THEN
      expect(results.filter((r) => !r.endsWith(': Allowed'))).toEqual([]);
    });

    test('does not attach AmazonSSMManagedInstanceCore or any other managed policy', () => {
      // THEN
      expect(role.policies.map((p) => p.name).filter((name) => !name.startsWith(`${stack}/`))).toEqual([]);
    });
  });
});
