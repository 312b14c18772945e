import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { DATABASE_ENVIRONMENT_VARIABLES } from '../../../infra/constructs/database';
import { parseManifest } from '../../../infra/manifest';
import { deployedManifest, type Json } from '../../_helpers/deployed-manifest';
import { synthBerth } from '../../_helpers/synth';

// one synth for the file: live runs MySQL, pre runs none.
const berth = synthBerth((raw) => {
  const environments = raw.environments as Record<string, Record<string, unknown>>;
  environments.live.database = { enabled: true, engine: 'mysql' };
});
const liveStack = berth.stacks.environments.live;
const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

describe('an environment with a database', () => {
  test('keeps the logical ids of the database and its secret, so a refactor cannot replace them', () => {
    // GIVEN / WHEN
    const ids = (type: string) => Object.keys(berth.live.findResources(type));
    // THEN
    expect(ids('AWS::RDS::DBInstance')).toEqual(['DatabaseInstanceAA8A5FDE']);
    expect(ids('AWS::SecretsManager::Secret')).toEqual(['DatabaseSecret3B817195']);
    expect(ids('AWS::SecretsManager::SecretTargetAttachment')).toEqual(['DatabaseSecretAttachmentE5D1B020']);
    expect(ids('AWS::RDS::DBSubnetGroup')).toEqual(['DatabaseInstanceSubnetGroupDE121BB6']);
    expect(ids('AWS::RDS::DBParameterGroup')).toEqual(['DatabaseParameterGroup2A921026']);
  });

  test("has a single ingress rule: the database clients' group, which the application tasks join, on the database port", () => {
    // GIVEN
    const databaseGroup = logicalId(liveStack.database!.securityGroup);
    const clients = logicalId(liveStack.database!.clientSecurityGroup);
    // WHEN
    const rules = Object.values(
      berth.live.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [databaseGroup, 'GroupId'] } },
      }),
    ).map((r) => r.Properties);
    // THEN
    expect(rules).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        SourceSecurityGroupId: { 'Fn::GetAtt': [clients, 'GroupId'] },
        FromPort: { 'Fn::GetAtt': ['DatabaseInstanceAA8A5FDE', 'Endpoint.Port'] },
        ToPort: { 'Fn::GetAtt': ['DatabaseInstanceAA8A5FDE', 'Endpoint.Port'] },
      }),
    ]);
    berth.live.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({
          SecurityGroups: [{ 'Fn::GetAtt': [logicalId(liveStack.taskSecurityGroup), 'GroupId'] }, { 'Fn::GetAtt': [clients, 'GroupId'] }],
        }),
      },
    });
  });

  test('the application container gets the credentials as secrets, next to its own settings', () => {
    // GIVEN / WHEN / THEN
    berth.live.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'berth-live',
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'app',
          Secrets: Match.arrayWith(
            Object.entries(DATABASE_ENVIRONMENT_VARIABLES).map(([name, field]) => ({
              Name: name,
              ValueFrom: { 'Fn::Join': ['', [{ Ref: 'DatabaseSecretAttachmentE5D1B020' }, `:${field}::`]] },
            })),
          ),
        }),
      ],
    });
  });

  test("the service's execution role and task role may read exactly the database secret", () => {
    // GIVEN
    const roles = [liveStack.taskDefinition.obtainExecutionRole(), liveStack.taskDefinition.taskRole];
    for (const role of roles) {
      // WHEN
      const statements = Object.values(
        berth.live.findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: logicalId(role) }] },
        }),
      ).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: Json }[]);
      // THEN
      const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(secretReads.map((s) => s.Resource)).toEqual([{ Ref: 'DatabaseSecretAttachmentE5D1B020' }]);
    }
  });

  test('adds the client task definition, family <app>-<env>-db-client', () => {
    // GIVEN / WHEN / THEN
    berth.live.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'berth-live-db-client',
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [Match.objectLike({ Name: 'client', Image: 'public.ecr.aws/docker/library/mysql:8.4' })],
    });
  });

  test('the manifest names the database, and is valid against the manifest schema once deployed', () => {
    // GIVEN
    const parameter = Object.values(
      berth.live.findResources('AWS::SSM::Parameter', {
        Properties: { Name: '/berth/berth/live/manifest' },
      }),
    )[0];
    // WHEN
    const { text, tokens } = deployedManifest(parameter.Properties.Value as Json);
    const manifest = parseManifest(text, 'the live manifest');
    // THEN
    expect(manifest.database).toMatchObject({
      engine: 'mysql',
      port: 3306,
      clientTaskDefinitionFamily: 'berth-live-db-client',
      clientSecurityGroupId: 'sg-0123456789abcdef0',
    });
    expect(Object.values(tokens)).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': ['DatabaseInstanceAA8A5FDE', 'Endpoint.Address'] },
        { Ref: 'DatabaseSecretAttachmentE5D1B020' },
        { 'Fn::GetAtt': [logicalId(liveStack.database!.clientSecurityGroup), 'GroupId'] },
      ]),
    );
  });
});

describe('an environment without a database', () => {
  test('has no database resources and no database in its manifest', () => {
    // GIVEN / WHEN
    const parameter = Object.values(
      berth.pre.findResources('AWS::SSM::Parameter', {
        Properties: { Name: '/berth/berth/pre/manifest' },
      }),
    )[0];
    const { text } = deployedManifest(parameter.Properties.Value as Json);
    // THEN
    berth.pre.resourceCountIs('AWS::RDS::DBInstance', 0);
    berth.pre.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(berth.stacks.environments.pre.database).toBeUndefined();
    expect(parseManifest(text, 'the pre manifest').database).toBeUndefined();
  });
});
