import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type DatabaseConfig, type EnvironmentName, parseConfig } from '../../../infra/config';
import { Database, DATABASE_ENVIRONMENT_VARIABLES, DATABASE_SECRET_ARN_VARIABLE } from '../../../infra/constructs/database';
import { DatabaseClient } from '../../../infra/constructs/database-client';
import { DATABASE_CLIENT_CONTAINER_NAME } from '../../../infra/manifest';
import { LogsKey } from '../../../infra/constructs/logs-key';
import type { IConstruct } from 'constructs';
import { testApp } from '../../_helpers/synth';

/** The database settings config validation produces for an environment, with its defaults filled in. */
function databaseConfig(environment: EnvironmentName, database: Record<string, unknown>): DatabaseConfig {
  const config = parseConfig({
    appName: 'berth',
    account: '123456789012',
    region: 'eu-west-1',
    domain: { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    vpc: { cidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 1, instanceSubnets: 'private' },
    environments: { pre: {}, live: {}, [environment]: { database: { enabled: true, ...database } } },
  });
  return config.environments[environment].database!;
}

/** A stack with a VPC, a database, its client task and an application task definition that uses it. */
function databaseStack(app: App, id: string, environment: EnvironmentName, database: Record<string, unknown>) {
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 1 });
  const logsKey = new LogsKey(stack, 'LogsKey', { purpose: 'test logs' }).key;
  const db = new Database(stack, 'Database', { vpc, environmentName: environment, config: databaseConfig(environment, database) });
  const client = new DatabaseClient(stack, 'DatabaseClient', {
    database: db,
    family: `berth-${environment}-db-client`,
    execLogGroup: new logs.LogGroup(stack, 'ExecLogGroup', { encryptionKey: logsKey }),
    logsKey,
  });
  const appTaskDefinition = new ecs.Ec2TaskDefinition(stack, 'AppTaskDefinition', { networkMode: ecs.NetworkMode.AWS_VPC });
  const appContainer = appTaskDefinition.addContainer('App', {
    containerName: 'app',
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
    memoryLimitMiB: 256,
  });
  const appSecurityGroup = new ec2.SecurityGroup(stack, 'AppSecurityGroup', { vpc });
  db.admit(appSecurityGroup);
  db.injectCredentials(appContainer);
  return { stack, vpc, db, client, appTaskDefinition, appSecurityGroup };
}

// one app, synthesized once for the whole file: each synth takes seconds on two cores.
// CloudFormation's own template validation runs in the compliance tests; here it would only add seconds.
const app = testApp({ builtinCloudFormationValidation: false });
const live = databaseStack(app, 'Live', 'live', { engine: 'mysql' });
const pre = databaseStack(app, 'Pre', 'pre', { engine: 'postgres', engineVersion: '16.13' });
const preWithoutSnapshot = databaseStack(app, 'PreWithoutSnapshot', 'pre', { finalSnapshot: false });
const liveTemplate = Template.fromStack(live.stack);
const preTemplate = Template.fromStack(pre.stack);

/** The logical id of a construct's CloudFormation resource. */
const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ref = logicalId;

describe('Database', () => {
  test('storage is encrypted gp3 and never publicly accessible', () => {
    // GIVEN / WHEN
    const template = liveTemplate;
    // THEN
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageEncrypted: true,
      StorageType: 'gp3',
      AllocatedStorage: '20',
      PubliclyAccessible: false,
      Engine: 'mysql',
      EngineVersion: '8.4',
      DBInstanceClass: 'db.t4g.small',
      DBName: 'berth',
      Port: '3306',
    });
  });

  test('the database and its subnet group are in the private subnets only', () => {
    // GIVEN
    const privateSubnets = live.vpc.privateSubnets.map((s) => ({ Ref: logicalId(live.stack, s) }));
    // WHEN
    const groups = liveTemplate.findResources('AWS::RDS::DBSubnetGroup');
    // THEN
    expect(Object.values(groups)).toHaveLength(1);
    expect(Object.values(groups)[0].Properties.SubnetIds).toEqual(privateSubnets);
    liveTemplate.hasResourceProperties('AWS::Serverless::Application', {
      Parameters: Match.objectLike({ vpcSubnetIds: { 'Fn::Join': ['', [privateSubnets[0], ',', privateSubnets[1]]] } }),
    });
  });

  test('the security group has one ingress rule per admitted group, on the database port, and no other', () => {
    // GIVEN
    const databaseGroup = logicalId(live.stack, live.db.securityGroup);
    const port = { 'Fn::GetAtt': [logicalId(live.stack, live.db.instance), 'Endpoint.Port'] };
    // WHEN
    const rules = Object.values(
      liveTemplate.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [databaseGroup, 'GroupId'] } },
      }),
    ).map((r) => r.Properties);
    // THEN
    const sources = [live.db.clientSecurityGroup, live.appSecurityGroup].map((sg) => ({ 'Fn::GetAtt': [ref(live.stack, sg), 'GroupId'] }));
    expect(rules).toHaveLength(2);
    expect(rules.map((r) => r.SourceSecurityGroupId)).toEqual(expect.arrayContaining(sources));
    for (const rule of rules) {
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: port, ToPort: port });
      expect(rule.CidrIp).toBeUndefined();
    }
    liveTemplate.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^berth live database:'),
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('nothing in the stack opens a port to a CIDR range', () => {
    // GIVEN / WHEN
    const cidrRules = liveTemplate.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { CidrIp: Match.anyValue() } });
    // THEN
    expect(cidrRules).toEqual({});
  });

  test('the parameter group requires TLS: require_secure_transport for MySQL, rds.force_ssl for PostgreSQL', () => {
    // GIVEN / WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'mysql8.4',
      Parameters: Match.objectLike({ require_secure_transport: 'ON' }),
    });
    preTemplate.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres16',
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    liveTemplate.hasResourceProperties('AWS::RDS::DBInstance', {
      DBParameterGroupName: { Ref: Match.stringLikeRegexp('^DatabaseParameterGroup') },
    });
  });

  test('the master secret is generated with the database name and rotated by the single-user rotation application', () => {
    // GIVEN / WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ username: 'admin', dbname: 'berth' }),
        GenerateStringKey: 'password',
      }),
    });
    liveTemplate.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    liveTemplate.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('^DatabaseSecretAttachment') },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    liveTemplate.hasResourceProperties('AWS::Serverless::Application', {
      Parameters: Match.objectLike({ vpcSecurityGroupIds: { 'Fn::GetAtt': [ref(live.stack, live.db.clientSecurityGroup), 'GroupId'] } }),
    });
    expect(JSON.stringify(liveTemplate.findMappings('*'))).toContain('SecretsManagerRDSMySQLRotationSingleUser');
    expect(JSON.stringify(preTemplate.findMappings('*'))).toContain('SecretsManagerRDSPostgreSQLRotationSingleUser');
  });

  test("the application container gets host, port, name, user and password as ECS secrets, and the secret's ARN", () => {
    // GIVEN
    const attachment = Object.keys(liveTemplate.findResources('AWS::SecretsManager::SecretTargetAttachment'))[0];
    // WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'app',
          Secrets: Object.entries(DATABASE_ENVIRONMENT_VARIABLES).map(([name, field]) => ({
            Name: name,
            ValueFrom: { 'Fn::Join': ['', [{ Ref: attachment }, `:${field}::`]] },
          })),
          Environment: Match.arrayWith([{ Name: DATABASE_SECRET_ARN_VARIABLE, Value: { Ref: attachment } }]),
        }),
      ],
    });
  });

  test('the execution role and the task role may read exactly that secret', () => {
    // GIVEN
    const attachment = Object.keys(liveTemplate.findResources('AWS::SecretsManager::SecretTargetAttachment'))[0];
    const roles = [live.appTaskDefinition.obtainExecutionRole(), live.appTaskDefinition.taskRole];
    for (const role of roles) {
      // WHEN
      const policies = Object.values(
        liveTemplate.findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: logicalId(live.stack, role) }] },
        }),
      );
      // THEN
      const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[]);
      const secretStatements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
      expect(secretStatements).toEqual([
        { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: attachment } },
      ]);
    }
  });

  test('live defaults: multi-AZ, deletion protection, 30 days of backups and a final snapshot', () => {
    // GIVEN / WHEN / THEN
    liveTemplate.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({ MultiAZ: true, DeletionProtection: true, BackupRetentionPeriod: 30 }),
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
  });

  test('pre defaults: single-AZ, no deletion protection, 7 days of backups, still a final snapshot', () => {
    // GIVEN / WHEN / THEN
    preTemplate.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({
        MultiAZ: false,
        DeletionProtection: false,
        BackupRetentionPeriod: 7,
        DBInstanceClass: 'db.t4g.micro',
      }),
      DeletionPolicy: 'Snapshot',
    });
  });

  test('finalSnapshot false deletes the database with the stack', () => {
    // GIVEN / WHEN
    const template = Template.fromStack(preWithoutSnapshot.stack);
    // THEN
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
  });

  test('slow statements are logged and every log type is exported', () => {
    // GIVEN / WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'] });
    preTemplate.hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['postgresql', 'upgrade'], Port: '5432' });
  });

  test('the stateful resources keep their logical ids', () => {
    // GIVEN / WHEN
    const ids = (type: string) => Object.keys(liveTemplate.findResources(type));
    // THEN
    expect(ids('AWS::RDS::DBInstance')).toEqual(['DatabaseInstanceAA8A5FDE']);
    expect(ids('AWS::SecretsManager::Secret')).toEqual(['DatabaseSecret3B817195']);
    expect(ids('AWS::SecretsManager::SecretTargetAttachment')).toEqual(['DatabaseSecretAttachmentE5D1B020']);
    expect(ids('AWS::RDS::DBSubnetGroup')).toEqual(['DatabaseInstanceSubnetGroupDE121BB6']);
  });
});

describe('DatabaseClient', () => {
  test("is an awsvpc task definition with the engine's client image that sleeps for the session limit", () => {
    // GIVEN / WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'berth-live-db-client',
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [
        Match.objectLike({
          Name: DATABASE_CLIENT_CONTAINER_NAME,
          Image: 'public.ecr.aws/docker/library/mysql:8.4',
          EntryPoint: ['sleep'],
          Command: ['3600'],
          User: 'mysql',
          LinuxParameters: Match.objectLike({ InitProcessEnabled: true }),
          Secrets: Object.keys(DATABASE_ENVIRONMENT_VARIABLES).map((name) => Match.objectLike({ Name: name })),
        }),
      ],
    });
    preTemplate.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'berth-pre-db-client',
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/docker/library/postgres:16-alpine', User: 'postgres' })],
    });
  });

  test('its task role may open ECS Exec channels and write the exec log group', () => {
    // GIVEN
    const taskRole = logicalId(live.stack, live.client.taskDefinition.taskRole);
    // WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: taskRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel']), Resource: '*' }),
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExecLogGroup'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  test('only its execution role may read the secret: a session always starts with the current password', () => {
    // GIVEN
    const roles = { execution: live.client.taskDefinition.obtainExecutionRole(), task: live.client.taskDefinition.taskRole };
    // WHEN
    const secretResources = (role: IConstruct) =>
      Object.values(
        liveTemplate.findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: logicalId(live.stack, role) }] },
        }),
      )
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')))
        .map((s) => s.Resource);
    // THEN
    expect(secretResources(roles.execution)).toEqual([{ Ref: 'DatabaseSecretAttachmentE5D1B020' }]);
    expect(secretResources(roles.task)).toEqual([]);
    liveTemplate.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'berth-live-db-client',
      ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'AWS_REGION', Value: 'eu-west-1' }] })],
    });
  });

  test('its security group reaches only HTTPS and the database port', () => {
    // GIVEN
    const clientGroup = ref(live.stack, live.db.clientSecurityGroup);
    // WHEN / THEN
    liveTemplate.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('database clients'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
    });
    const egress = Object.values(
      liveTemplate.findResources('AWS::EC2::SecurityGroupEgress', {
        Properties: { GroupId: { 'Fn::GetAtt': [clientGroup, 'GroupId'] } },
      }),
    );
    expect(egress).toHaveLength(1);
    expect(egress[0].Properties.DestinationSecurityGroupId).toEqual({ 'Fn::GetAtt': [ref(live.stack, live.db.securityGroup), 'GroupId'] });
  });
});
