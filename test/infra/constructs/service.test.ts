import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../../../infra/config';
import { parseManifest } from '../../../infra/manifest';
import { deployedManifest, type Json } from '../../_helpers/deployed-manifest';
import { synthBerth } from '../../_helpers/synth';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:berth/live/api-key-AbCdEf';
const PARAMETER_ARN = 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/live/db-password';

// GIVEN: live with plain settings and two secrets; pre as in the example.
const berth = synthBerth((raw) => {
  const environments = raw.environments as Record<string, Record<string, unknown>>;
  environments.live.container = {
    ...(environments.live.container as Record<string, unknown>),
    environment: { LOG_LEVEL: 'info' },
    secrets: { API_KEY: SECRET_ARN, DB_PASSWORD: PARAMETER_ARN },
  };
});

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;

/** The statements of every inline policy attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(template: Template, rolePrefix: string): { Action: string | string[]; Resource: unknown }[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(rolePrefix),
  );
  return policies.flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
  );
}

describe.each<[EnvironmentName, Template]>([
  ['pre', berth.pre],
  ['live', berth.live],
])('the %s service', (name, template) => {
  const settings = berth.config.environments[name];

  test("its task definition is the environment's own family, on awsvpc, with one essential app container", () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: `berth-${name}`,
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['EC2'],
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'app',
          Essential: true,
          Cpu: settings.container.cpu,
          Memory: settings.container.memoryMiB,
          StopTimeout: settings.container.stopTimeoutSeconds,
          PortMappings: [{ ContainerPort: settings.container.port, Protocol: 'tcp', Name: 'http' }],
        }),
      ],
    });
  });

  test('the container checks its own health with the configured command and timings', () => {
    // THEN
    const check = settings.container.healthCheck;
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          HealthCheck: {
            Command: ['CMD-SHELL', check.command],
            Interval: check.intervalSeconds,
            Timeout: check.timeoutSeconds,
            Retries: check.retries,
            StartPeriod: check.startPeriodSeconds,
          },
        }),
      ],
    });
  });

  test('the container logs to a KMS-encrypted log group kept for a year', () => {
    // THEN
    const logGroups = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365, KmsKeyId: Match.anyValue() } });
    const appLogGroup = Object.keys(logGroups).find((id) => id.startsWith('ServiceLogGroup'));
    expect(appLogGroup).toBeDefined();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: Match.objectLike({ 'awslogs-group': { Ref: appLogGroup }, 'awslogs-stream-prefix': 'app' }),
          },
        }),
      ],
    });
  });

  test("the service waits for the cluster's capacity-provider association, and is deleted before it", () => {
    // GIVEN
    const [associationId] = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
    const [service] = Object.values(template.findResources('AWS::ECS::Service') as Resources);

    // THEN: the strategy names the provider; without the association ECS refuses the service, and a teardown that
    // removed the association first would leave the service without capacity (aws/containers-roadmap#631).
    expect(associationId).toBeDefined();
    expect(service.DependsOn).toContain(associationId);
  });

  test('a stack deletion can terminate the instances: the scale-in protection is released after the service and before the group', () => {
    // GIVEN
    const [[protectionId, protection]] = Object.entries(template.findResources('Custom::BerthScaleInProtection') as Resources) as [
      [string, Resources[string]],
    ];
    const [service] = Object.values(template.findResources('AWS::ECS::Service') as Resources);
    const [groupId] = Object.keys(template.findResources('AWS::AutoScaling::AutoScalingGroup'));

    // THEN: CloudFormation deletes in reverse order of dependencies (aws/aws-cdk#18179).
    expect(service.DependsOn).toContain(protectionId);
    expect(protection.Properties).toMatchObject({
      AutoScalingGroupName: { Ref: groupId },
      Cluster: { Ref: 'CapacityClusterDB0BCD31' },
    });
  });

  test("the service places tasks through the environment's capacity provider, without public IPs", () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: settings.desiredTaskCount,
      CapacityProviderStrategy: [{ CapacityProvider: { Ref: Match.stringLikeRegexp('^CapacityCapacityProvider') }, Weight: 1 }],
      LaunchType: Match.absent(),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      EnableExecuteCommand: true,
    });
  });

  test('releases are ECS-native blue/green with the configured bake, circuit breaker and rollback', () => {
    // THEN
    const [service] = Object.values(template.findResources('AWS::ECS::Service') as Resources);
    // ECS-native blue/green runs under the ECS deployment controller, never CodeDeploy's.
    expect((service.Properties.DeploymentController as { Type?: string } | undefined)?.Type ?? 'ECS').toBe('ECS');
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'BLUE_GREEN',
        BakeTimeInMinutes: settings.bakeMinutes,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      }),
      HealthCheckGracePeriodSeconds: settings.container.healthCheck.startPeriodSeconds,
    });
  });

  test('a later cdk deploy keeps the released revision: the service names the family, and a new template revision forces its own rollout', () => {
    // GIVEN
    const [taskDefinitionId] = Object.keys(template.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: `berth-${name}` } }));

    // THEN: the family (its latest ACTIVE revision, which the CLI keeps current) instead of CloudFormation's revision.
    template.hasResourceProperties('AWS::ECS::Service', {
      TaskDefinition: `berth-${name}`,
      ForceNewDeployment: { EnableForceNewDeployment: true, ForceNewDeploymentNonce: { Ref: taskDefinitionId } },
    });
  });

  test("the service names the production rule's serving group as its target group and the other as the alternate", () => {
    // THEN: blue and green swap roles at every release; the values come from the live rule at each deployment.
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [
        {
          ContainerName: 'app',
          ContainerPort: settings.container.port,
          TargetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngressProductionRule'), 'ServingTargetGroupArn'] },
          AdvancedConfiguration: {
            AlternateTargetGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngressProductionRule'), 'IdleTargetGroupArn'] },
            ProductionListenerRule: { Ref: Match.stringLikeRegexp('^IngressProductionRule') },
            TestListenerRule: { Ref: Match.stringLikeRegexp('^IngressTestRule') },
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceGreenTargetRole'), 'Arn'] },
          },
        },
      ],
    });
  });

  test('any change of the service changes the production rule too, so the rule is read again first', () => {
    // GIVEN
    const [taskDefinitionId] = Object.keys(template.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: `berth-${name}` } }));

    // THEN
    template.hasResourceProperties('Custom::BerthListenerRule', {
      Priority: 15,
      ServiceUpdate: Match.objectLike({
        desiredCount: settings.desiredTaskCount,
        forceNewDeployment: { enableForceNewDeployment: true, forceNewDeploymentNonce: { Ref: taskDefinitionId } },
        loadBalancerTarget: `app:${settings.container.port}`,
      }),
    });
  });

  test('ECS manages the load balancer with a role only the ECS service can assume', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers']] },
      ],
    });
  });

  test('the three release alarms roll a deployment back', () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        Alarms: {
          Enable: true,
          Rollback: true,
          AlarmNames: [
            { Ref: Match.stringLikeRegexp('^DeploymentAlarmsTarget5xx') },
            { Ref: Match.stringLikeRegexp('^DeploymentAlarmsUnhealthyHosts') },
            { Ref: Match.stringLikeRegexp('^DeploymentAlarmsP99Latency') },
          ],
        },
      }),
    });
  });

  test("the tasks admit only the load balancer's security group, only on the container port", () => {
    // THEN
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Resources).filter((rule) =>
      JSON.stringify(rule.Properties.GroupId).includes('ServiceSecurityGroup'),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0].Properties).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: settings.container.port,
      ToPort: settings.container.port,
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^IngressLoadBalancerSecurityGroup/), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('tasks: inbound only from the load balancer'),
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('the instances still accept no inbound traffic: awsvpc tasks have their own security group', () => {
    // THEN
    const instanceGroups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('container instances') },
    });
    expect(Object.keys(instanceGroups)).toHaveLength(1);
    const [instanceGroupId] = Object.keys(instanceGroups);
    expect(instanceGroups[instanceGroupId].Properties.SecurityGroupIngress).toBeUndefined();
    const rulesOnInstances = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Resources).filter((rule) =>
      JSON.stringify(rule.Properties.GroupId).includes(instanceGroupId),
    );
    expect(rulesOnInstances).toEqual([]);
  });

  test('ECS Exec gives the task role the ssmmessages channels and the exec log group, nothing more', () => {
    // THEN
    const actions = statementsOf(template, 'ServiceTaskDefinitionTaskRole').flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('ssmmessages:')).sort()).toEqual([
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ]);
    expect(actions.filter((a) => !a.startsWith('ssmmessages:') && !a.startsWith('logs:'))).toEqual([]);
  });
});

describe('the pre service', () => {
  test('runs the master image of the shared repository', () => {
    // THEN
    const image = JSON.stringify(berth.pre.findResources('AWS::ECS::TaskDefinition'));
    expect(image).toContain('ExportsOutputRefRepository');
    expect(image).toContain('":master"');
    expect(image).not.toContain('{{resolve:ssm');
  });

  test('has no secrets, so its execution role reads none', () => {
    // THEN
    const actions = statementsOf(berth.pre, 'ServiceTaskDefinitionExecutionRole').flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:'))).toEqual([]);
  });
});

describe('the live service', () => {
  test('reads its image tag from /berth/<app>/live/image-tag through a CloudFormation dynamic reference', () => {
    // THEN: a dynamic reference, not a template parameter, so a deploy keeps the promoted release.
    const image = JSON.stringify(berth.live.findResources('AWS::ECS::TaskDefinition'));
    expect(image).toContain(':{{resolve:ssm:/berth/berth/live/image-tag}}');
    expect(Object.keys(berth.live.findParameters('*', { Default: Match.stringLikeRegexp('image-tag') }))).toEqual([]);
  });

  test('passes plain settings as environment variables and secrets as ECS secrets', () => {
    // THEN
    berth.live.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([{ Name: 'LOG_LEVEL', Value: 'info' }]),
          Secrets: [
            { Name: 'API_KEY', ValueFrom: SECRET_ARN },
            { Name: 'DB_PASSWORD', ValueFrom: PARAMETER_ARN },
          ],
        }),
      ],
    });
  });

  test('lets the execution role read exactly the configured secrets and nothing else', () => {
    // GIVEN
    const statements = statementsOf(berth.live, 'ServiceTaskDefinitionExecutionRole');
    const secretReads = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')));

    // THEN
    expect(secretReads.map((s) => s.Resource).sort()).toEqual([SECRET_ARN, PARAMETER_ARN]);
    for (const statement of secretReads) {
      expect(
        [statement.Action]
          .flat()
          .every((a) =>
            /^(secretsmanager:(GetSecretValue|DescribeSecret)|ssm:(DescribeParameters|GetParameters?|GetParameterHistory))$/.test(a),
          ),
      ).toBe(true);
    }
  });
});

describe('what the environment stack exposes for a database (issue 7)', () => {
  test("the task definition, app container and task security group are the service's own", () => {
    // GIVEN
    const stack = berth.stacks.environments.live;

    // THEN
    expect(stack.taskDefinition).toBe(stack.service.taskDefinition);
    expect(stack.appContainer).toBe(stack.service.appContainer);
    expect(stack.appContainer.containerName).toBe('app');
    expect(stack.taskSecurityGroup).toBe(stack.service.securityGroup);
  });
});

describe('release strategies and the pause before production traffic', () => {
  // GIVEN: pre linear without a gate; live canary with two smoke checks.
  const released = synthBerth((raw) => {
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    environments.pre.release = { strategy: { type: 'linear', stepPercent: 25, stepBakeMinutes: 3 } };
    environments.live.release = {
      strategy: { type: 'canary', percent: 10, bakeMinutes: 5 },
      smoke: [
        { path: '/health', status: 200 },
        { path: '/version', status: 200, bodyContains: 'v' },
      ],
      pauseTimeoutMinutes: 45,
    };
  });
  const deploymentConfiguration = (template: Template) =>
    Object.values(template.findResources('AWS::ECS::Service') as Resources)[0].Properties.DeploymentConfiguration as Record<
      string,
      unknown
    >;

  test('canary shifts the configured share first and bakes it, with the alarms rolling back', () => {
    // THEN
    expect(deploymentConfiguration(released.live)).toMatchObject({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
      BakeTimeInMinutes: 10,
      Alarms: { Enable: true, Rollback: true },
    });
  });

  test('smoke checks add a PAUSE hook after test traffic that rolls back at its timeout, without a target or role', () => {
    // THEN
    expect(deploymentConfiguration(released.live).LifecycleHooks).toEqual([
      {
        TargetType: 'PAUSE',
        LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        TimeoutConfiguration: { Action: 'ROLLBACK', TimeoutInMinutes: 45 },
      },
    ]);
  });

  test('linear shifts in steps; without smoke checks or approval there is no pause', () => {
    // THEN
    const pre = deploymentConfiguration(released.pre);
    expect(pre).toMatchObject({ Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 25, StepBakeTimeInMinutes: 3 } });
    expect(pre.LifecycleHooks).toBeUndefined();
  });

  test('by default live pauses for approval (30 minutes) and pre releases blue/green without a pause', () => {
    // THEN
    expect(deploymentConfiguration(berth.live)).toMatchObject({
      Strategy: 'BLUE_GREEN',
      LifecycleHooks: [{ TargetType: 'PAUSE', TimeoutConfiguration: { Action: 'ROLLBACK', TimeoutInMinutes: 30 } }],
    });
    expect(deploymentConfiguration(berth.pre)).toMatchObject({ Strategy: 'BLUE_GREEN' });
    expect(deploymentConfiguration(berth.pre).LifecycleHooks).toBeUndefined();
  });

  test("the production rule's service-update trigger changes with the pause, so a stack update reads the live rule first", () => {
    // THEN
    const trigger = (template: Template) =>
      JSON.stringify(
        Object.values(template.findResources('Custom::BerthListenerRule') as Resources).map((rule) => rule.Properties.ServiceUpdate),
      );
    expect(trigger(released.live)).toContain('"timeoutInMinutes":45');
    expect(trigger(berth.live)).toContain('"timeoutInMinutes":30');
  });
});

describe("the manifest's pre-flight field", () => {
  const manifestOf = (environment: EnvironmentName, template: Template) => {
    const parameter = Object.values(
      template.findResources('AWS::SSM::Parameter', { Properties: { Name: `/berth/berth/${environment}/manifest` } }),
    )[0];
    return parseManifest(deployedManifest(parameter.Properties.Value as Json).text, `the ${environment} manifest`);
  };

  test("names the instances' architecture, valid against the schema", () => {
    // GIVEN live on arm64 and pre on x86_64 (the example config)
    // WHEN / THEN
    expect([manifestOf('live', berth.live).architecture, manifestOf('pre', berth.pre).architecture]).toEqual(['arm64', 'x86_64']);
  });

  test('leaves the secrets to the task definition, so many secrets cannot outgrow the parameter', () => {
    // GIVEN live with two secrets
    // WHEN
    const manifest = JSON.stringify(manifestOf('live', berth.live));
    // THEN: berth verify reads them from the running task definition, which the next release copies.
    expect(manifest).not.toContain(SECRET_ARN);
    expect(manifest).not.toContain(PARAMETER_ARN);
  });
});
