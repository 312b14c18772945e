import * as fs from 'node:fs';
import * as path from 'node:path';
import { databaseEngineVersions, parseConfig } from '../../infra/config';
import { configProblems } from '../_helpers/config';

/** A valid config whose environments and VPC can be replaced. */
function rawConfig(overrides: { pre?: object; live?: object; vpc?: object } = {}) {
  return {
    appName: 'my-app',
    account: '123456789012',
    region: 'eu-west-1',
    domain: { name: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    vpc: overrides.vpc ?? {
      cidr: '10.20.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      natGateways: 1,
      instanceSubnets: 'private',
    },
    environments: { pre: overrides.pre ?? {}, live: overrides.live ?? {} },
  };
}

/** The problems a config is rejected with. */
function problems(raw: unknown): readonly string[] {
  const found = configProblems(raw);
  // parseConfig throws a ConfigError only with at least one problem, so none means the config passed.
  if (found.length === 0) throw new Error('expected a ConfigError');
  return found;
}

describe('environment database config', () => {
  test('no database block means no database', () => {
    // GIVEN / WHEN
    const config = parseConfig(rawConfig());
    // THEN
    expect(config.environments.pre.database).toBeUndefined();
    expect(config.environments.live.database).toBeUndefined();
  });

  test('a block with enabled false is checked but builds no database', () => {
    // GIVEN / WHEN
    const config = parseConfig(rawConfig({ live: { database: { enabled: false, engine: 'postgres' } } }));
    // THEN
    expect(config.environments.live.database).toBeUndefined();
  });

  test('a block without enabled is an error, so it is never silently ignored', () => {
    // GIVEN / WHEN / THEN
    expect(problems(rawConfig({ pre: { database: { engine: 'mysql' } } }))).toEqual([
      'environments.pre.database.enabled: missing; allowed: true, false',
    ]);
  });

  test('live defaults are safer than pre defaults', () => {
    // GIVEN / WHEN
    const config = parseConfig(rawConfig({ pre: { database: { enabled: true } }, live: { database: { enabled: true } } }));
    // THEN
    expect(config.environments.pre.database).toEqual({
      engine: 'mysql',
      engineVersion: { full: '8.4', major: '8.4' },
      instanceType: 't4g.micro',
      allocatedStorageGiB: 20,
      multiAz: false,
      backupRetentionDays: 7,
      deletionProtection: false,
      finalSnapshot: true,
      databaseName: 'my_app',
      secretRotationDays: 30,
    });
    expect(config.environments.live.database).toMatchObject({
      instanceType: 't4g.small',
      multiAz: true,
      backupRetentionDays: 30,
      deletionProtection: true,
      finalSnapshot: true,
    });
  });

  test('postgres defaults to its own version, and a full version keeps its major', () => {
    // GIVEN / WHEN
    const config = parseConfig(
      rawConfig({
        pre: { database: { enabled: true, engine: 'postgres' } },
        live: { database: { enabled: true, engine: 'postgres', engineVersion: '16.13', instanceType: 'db.m7g.large' } },
      }),
    );
    // THEN
    expect(config.environments.pre.database?.engineVersion).toEqual({ full: '17', major: '17' });
    expect(config.environments.live.database?.engineVersion).toEqual({ full: '16.13', major: '16' });
    expect(config.environments.live.database?.instanceType).toBe('m7g.large');
  });

  test('an engine version of the other engine is an error that names the field and what is allowed', () => {
    // GIVEN / WHEN
    const found = problems(rawConfig({ live: { database: { enabled: true, engine: 'postgres', engineVersion: '8.4' } } }));
    // THEN
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^environments\.live\.database\.engineVersion: "8\.4" is not a postgres version berth knows; allowed for postgres: a major version \(14, 15, 16, 17, 18\)/,
    );
  });

  test('MySQL before 8 is refused', () => {
    // GIVEN / WHEN / THEN
    expect(problems(rawConfig({ pre: { database: { enabled: true, engineVersion: '5.7.44' } } }))[0]).toMatch(
      /^environments\.pre\.database\.engineVersion: "5\.7\.44" is not a mysql version/,
    );
  });

  test('every version berth accepts is one aws-cdk-lib knows or a major of one', () => {
    // GIVEN / WHEN
    const mysql = databaseEngineVersions('mysql').map((v) => v.full);
    // THEN
    expect(mysql).toEqual(expect.arrayContaining(['8.0', '8.4', '8.0.40', '8.4.7']));
    expect(mysql.some((v) => v.startsWith('5.'))).toBe(false);
  });

  test('storage below the engine minimum of 20 GiB is an error that names the field', () => {
    // GIVEN / WHEN / THEN
    expect(problems(rawConfig({ pre: { database: { enabled: true, allocatedStorageGiB: 10 } } }))).toEqual([
      'environments.pre.database.allocatedStorageGiB: 10 is not valid; allowed: a whole number from 20 to 65536',
    ]);
  });

  test('enabling the database with public instance subnets in a new VPC is an error that names the field', () => {
    // GIVEN
    const vpc = { cidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 0, instanceSubnets: 'public' };
    // WHEN
    const found = problems(rawConfig({ vpc, live: { database: { enabled: true } } }));
    // THEN
    expect(found).toEqual([
      'environments.live.database.enabled: a database needs private subnets, and vpc.instanceSubnets "public" creates none; allowed: set vpc.instanceSubnets to "private", or leave the database disabled',
    ]);
  });

  test('an imported VPC needs private subnet ids for a database, even with public instance subnets', () => {
    // GIVEN
    const imported = {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      instanceSubnets: 'public',
    };
    // WHEN
    const withoutPrivate = problems(rawConfig({ vpc: imported, pre: { database: { enabled: true } } }));
    const withPrivate = parseConfig(
      rawConfig({
        vpc: { ...imported, privateSubnetIds: ['subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'] },
        pre: { database: { enabled: true } },
      }),
    );
    // THEN
    expect(withoutPrivate).toEqual([expect.stringMatching(/^environments\.pre\.database\.enabled: a database needs private subnets/)]);
    expect(withPrivate.environments.pre.database?.engine).toBe('mysql');
  });

  test('the app container may not set a variable the database injects', () => {
    // GIVEN
    const container = {
      environment: { DB_HOST: 'localhost' },
      secrets: { DB_PASSWORD: 'arn:aws:ssm:eu-west-1:123456789012:parameter/pw' },
    };
    // WHEN
    const found = problems(rawConfig({ pre: { container, database: { enabled: true } } }));
    // THEN
    expect(found).toEqual([
      'environments.pre.container: DB_HOST, DB_PASSWORD would hide the database settings berth injects; allowed: other names (DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SECRET_ARN come from the database)',
    ]);
    expect(() => parseConfig(rawConfig({ pre: { container } }))).not.toThrow();
  });

  test.each([
    ['db.c5.large', 'mysql', 'a class such as db.t4g.micro, db.t4g.small or db.m7g.large'],
    ['db.t4g.nano', 'postgres', 'the sizes of db.t4g: micro, small, medium, large, xlarge, 2xlarge'],
  ])('%s, which RDS does not offer for %s, is refused with how to refresh the table (issue 13)', (instanceType, engine, allowed) => {
    // WHEN
    const found = problems(rawConfig({ live: { database: { enabled: true, engine, instanceType } } }));
    // THEN
    expect(found).toEqual([
      `environments.live.database.instanceType: "${instanceType}" is not an RDS DB instance class for ${engine} in berth's table (aws-cloudformation/cfn-lint 2026-07-20); allowed: ${allowed}; if AWS added it since, refresh the tables: npm run generate:instance-types (see the README)`,
    ]);
  });

  test('every bad field is reported at once', () => {
    // GIVEN
    const database = {
      enabled: 'yes',
      engine: 'oracle',
      instanceType: 'huge',
      multiAz: 1,
      backupRetentionDays: 0,
      databaseName: 'my-app',
      secretRotationDays: 400,
      colour: 'blue',
    };
    // WHEN
    const found = problems(rawConfig({ live: { database } }));
    // THEN
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environments\.live\.database\.colour: unknown field/),
        'environments.live.database.enabled: "yes" is not valid; allowed: true, false',
        'environments.live.database.engine: "oracle" is not valid; allowed: mysql, postgres',
        expect.stringMatching(
          /^environments\.live\.database\.instanceType: "huge" is not an RDS DB instance class for mysql in berth's table/,
        ),
        'environments.live.database.multiAz: 1 is not valid; allowed: true, false',
        'environments.live.database.backupRetentionDays: 0 is not valid; allowed: a whole number from 1 to 35',
        expect.stringMatching(/^environments\.live\.database\.databaseName: "my-app" is not valid/),
        'environments.live.database.secretRotationDays: 400 is not valid; allowed: a whole number from 1 to 365',
      ]),
    );
    expect(found).toHaveLength(8);
  });

  test("the README's example switches a database on in a valid config", () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Database'));
    const snippet = /```json\n([\s\S]*?)```/.exec(section)![1];
    const environments = (JSON.parse(`{${snippet}}`) as { environments: { pre: object; live: object } }).environments;
    // WHEN
    const config = parseConfig(rawConfig(environments));
    // THEN
    expect(config.environments.pre.database?.engine).toBe('postgres');
    expect(config.environments.live.database?.instanceType).toBe('m7g.large');
  });
});
