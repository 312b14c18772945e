import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseConfig, SYNTH_RULES } from '../../infra/config';
import { checkConfig, type ConfigRule } from '../../infra/config/check';
import { SUPPORTED_KEYWORDS } from '../../infra/config/schema-kit';
import { README_FILE, readmeRows, SCHEMA_FILE, schemaText, withTables } from '../../scripts/generate/config-schema';
import { EXAMPLE_CONFIG_FILE, exampleRawConfig } from '../_helpers/synth';

type Json = Record<string, unknown>;

const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Json;
// strictTypes and strictRequired are ajv's own lints, beyond JSON Schema: the conditions' `if` parts name
// object keywords without `type: object`, which JSON Schema applies to objects only, as the validator does.
const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false });
ajv.addVocabulary(['markdownDescription', 'patternErrorMessage']);
const schemaAccepts = ajv.compile(schema);

/** Whether the validator's schema reading (no validator-only rules) accepts a config. */
const readingAccepts = (raw: unknown) => checkConfig(raw, []).problems.length === 0;

/** Whether synth accepts a config: the schema and every rule. */
function synthAccepts(raw: unknown): boolean {
  try {
    parseConfig(raw);
    return true;
  } catch {
    return false;
  }
}

/** A copy of a config with one dotted path set (or deleted, for undefined); missing objects are created. */
function edited(base: Json, dotted: string, value: unknown): Json {
  const copy = structuredClone(base);
  const keys = dotted.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Json>((obj, key) => {
    obj[key] ??= {};
    return obj[key] as Json;
  }, copy);
  if (value === undefined) Reflect.deleteProperty(parent, last);
  else parent[last] = value;
  return copy;
}

const IMPORTED_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
  privateSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
};

/** A window of scheduled minimums, for the configs with auto-scaling. */
const WINDOW = { minTasks: 2, start: '0 8 ? * MON-FRI *', end: '0 19 ? * MON-FRI *', timeZone: 'Europe/Berlin' };

/** Auto-scaling that the example's group sizes hold in each environment. */
const AUTO_SCALING = {
  pre: { minTasks: 1, maxTasks: 2, targets: { cpuPercent: 60 }, scheduledMinimums: { 'business-hours': WINDOW } },
  live: { minTasks: 2, maxTasks: 4, targets: { cpuPercent: 60, memoryPercent: 70, requestsPerTaskPerMinute: 1000 } },
};

/** Notifications with both kinds of recipient, for the configs with notifications. */
const NOTIFICATIONS = {
  email: ['releases@example.com', 'team@example.com'],
  slack: { workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE' },
};

/**
 * The configs the corpus edits: the example, with an imported VPC, with a database, with auto-scaling and with
 * notifications in each environment.
 */
function bases(): Json[] {
  const example = exampleRawConfig();
  const withDatabase = edited(edited(example, 'environments.pre.database', { enabled: true }), 'environments.live.database', {
    enabled: true,
  });
  const withScaling = edited(
    edited(example, 'environments.pre.autoScaling', AUTO_SCALING.pre),
    'environments.live.autoScaling',
    AUTO_SCALING.live,
  );
  const withNotifications = edited(
    edited(example, 'environments.pre.notifications', NOTIFICATIONS),
    'environments.live.notifications',
    NOTIFICATIONS,
  );
  return [example, { ...example, vpc: IMPORTED_VPC }, withDatabase, withScaling, withNotifications];
}

/**
 * Values that probe each keyword a field uses: inside and outside its limits, of its type and of another.
 * @param node the field's schema
 * @param current the field's value in the config edited, if any
 */
function probes(node: Json, current: unknown): unknown[] {
  const values: unknown[] = [null, {}, 'not-a-valid-value!'];
  if (current !== undefined) values.push(current);
  if (Array.isArray(current) && current.length > 0) values.push([current[0], current[0]], current.slice(0, 1), [...current, current[0]]);
  if (node.type === 'integer') {
    const [min, max] = [node.minimum as number, node.maximum as number];
    values.push(min, max, min - 1, max + 1, min + 0.5, String(min));
  }
  if (node.type === 'boolean') values.push(true, false, 'yes', 1);
  if (node.enum) values.push(...(node.enum as unknown[]), 'NOPE');
  if (node.type === 'string') values.push('', 5, 'x'.repeat(300), ...(node.default === undefined ? [] : [node.default]));
  if (node.type === 'array') values.push([], [5], ['not-valid'], 'x', ...(node.default === undefined ? [] : [node.default]));
  if (node.propertyNames) values.push({ GOOD_NAME: 'x' }, { 'bad-name': 'x' }, { GOOD_NAME: 5 });
  return values;
}

/** Every object schema and leaf field of the JSON Schema, by dotted path (environments.pre.…, vpc.… of both members). */
function fields(node: Json, prefix = ''): { path: string; node: Json; isObject: boolean }[] {
  if (node.anyOf) return (node.anyOf as Json[]).flatMap((member) => fields(member, prefix));
  const properties = node.properties as Record<string, Json> | undefined;
  if (node.type === 'object' && properties) {
    const own = prefix === '' ? [] : [{ path: prefix, node, isObject: true }];
    return [...own, ...Object.entries(properties).flatMap(([key, child]) => fields(child, prefix === '' ? key : `${prefix}.${key}`))];
  }
  return [{ path: prefix, node, isObject: false }];
}

/** The generated corpus: every field's type, limits and enum; unknown fields and typos in every object; every required field missing. */
function generatedCorpus(): { title: string; config: Json }[] {
  const corpus: { title: string; config: Json }[] = [];
  for (const [index, base] of bases().entries()) {
    for (const field of fields(schema)) {
      if (index === 1 && !field.path.startsWith('vpc')) continue;
      if (index === 2 && !field.path.includes('.database')) continue;
      if (index === 3 && !field.path.includes('.autoScaling')) continue;
      if (index === 4 && !field.path.includes('.notifications')) continue;
      if (field.isObject) {
        corpus.push({ title: `${field.path} with an unknown field`, config: edited(base, `${field.path}.zzUnknown`, 1) });
        for (const key of Object.keys(field.node.properties as Json)) {
          const misspelt = edited(base, `${field.path}.${key}`, undefined);
          corpus.push({ title: `${field.path}.${key} misspelt`, config: edited(misspelt, `${field.path}.${key.slice(0, -1)}`, 'x') });
        }
        for (const key of (field.node.required as string[] | undefined) ?? []) {
          corpus.push({ title: `${field.path}.${key} missing`, config: edited(base, `${field.path}.${key}`, undefined) });
        }
      } else {
        const current = field.path.split('.').reduce<unknown>((obj, key) => (obj as Json | undefined)?.[key], base);
        for (const value of probes(field.node, current)) {
          corpus.push({ title: `${field.path} = ${JSON.stringify(value).slice(0, 40)}`, config: edited(base, field.path, value) });
        }
      }
    }
  }
  return corpus;
}

/** Cross-field rules the JSON Schema expresses (`if`/`then`): both must refuse the first and accept the second. */
const CONDITIONS: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    'NAT gateways with public instance subnets',
    { 'vpc.instanceSubnets': 'public' },
    { 'vpc.instanceSubnets': 'public', 'vpc.natGateways': 0 },
  ],
  ['no NAT gateway for private instance subnets', { 'vpc.natGateways': 0 }, { 'vpc.natGateways': 2 }],
  [
    'private instance subnets of an imported VPC need private subnet ids',
    { vpc: { ...IMPORTED_VPC, privateSubnetIds: [] } },
    { vpc: IMPORTED_VPC },
  ],
  [
    'notifications name at least one recipient',
    { 'environments.live.notifications': { email: undefined } },
    { 'environments.live.notifications': { slack: NOTIFICATIONS.slack } },
  ],
  ['dual-stack needs an imported VPC', { 'environments.live.dualStack': true }, { vpc: IMPORTED_VPC, 'environments.live.dualStack': true }],
  [
    'a database needs private subnets in a new VPC',
    { 'vpc.instanceSubnets': 'public', 'vpc.natGateways': 0, 'environments.pre.database': { enabled: true } },
    { 'vpc.instanceSubnets': 'public', 'vpc.natGateways': 0, 'environments.pre.database': { enabled: false } },
  ],
  [
    'a database needs private subnet ids in an imported VPC',
    { vpc: { ...IMPORTED_VPC, privateSubnetIds: undefined, instanceSubnets: 'public' }, 'environments.live.database': { enabled: true } },
    { vpc: { ...IMPORTED_VPC, instanceSubnets: 'public' }, 'environments.live.database': { enabled: true } },
  ],
  [
    'the app container may not set what the database injects',
    { 'environments.pre.database': { enabled: true }, 'environments.pre.container.environment': { DB_HOST: 'x' } },
    { 'environments.pre.container.environment': { DB_HOST: 'x' } },
  ],
];

/**
 * The checks the JSON Schema cannot express: the schema accepts each config, the validator refuses it.
 * Together they cover every rule synth runs (see the last test).
 */
const VALIDATOR_ONLY: [string, Record<string, unknown>][] = [
  [
    'a canary percent that is not a multiple of 0.1 (field check)',
    { 'environments.live.release.strategy': { type: 'canary', percent: 0.15 } },
  ],
  [
    'canary bakes past 33 hours (pre)',
    { 'environments.pre.bakeMinutes': 1440, 'environments.pre.release.strategy': { type: 'canary', bakeMinutes: 600 } },
  ],
  [
    'linear bakes past 33 hours (live)',
    { 'environments.live.release.strategy': { type: 'linear', stepPercent: 10, stepBakeMinutes: 300 } },
  ],
  [
    'a pause and bakes past 36 hours (pre)',
    {
      'environments.pre.bakeMinutes': 1000,
      'environments.pre.release': { strategy: { type: 'canary', bakeMinutes: 900 }, approve: true, pauseTimeoutMinutes: 300 },
    },
  ],
  [
    'a pause and bakes past 36 hours (live)',
    {
      'environments.live.bakeMinutes': 1400,
      'environments.live.release': { strategy: { type: 'canary', bakeMinutes: 500 }, pauseTimeoutMinutes: 300 },
    },
  ],
  ['a VPC CIDR with host bits set (field check)', { 'vpc.cidr': '10.20.1.0/16' }],
  ['zones of another region', { 'vpc.availabilityZones': ['us-east-1a', 'us-east-1b'] }],
  ['more NAT gateways than zones', { 'vpc.natGateways': 3 }],
  ['public subnet ids not one per zone', { vpc: { ...IMPORTED_VPC, publicSubnetIds: ['subnet-0000000000000000a'] } }],
  ['private subnet ids not one per zone', { vpc: { ...IMPORTED_VPC, privateSubnetIds: ['subnet-0000000000000000c'] } }],
  [
    'subnets too small for the load balancers',
    {
      'vpc.cidr': '10.0.0.0/24',
      region: 'us-east-1',
      'vpc.availabilityZones': ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
    },
  ],
  ['minCapacity above maxCapacity (pre)', { 'environments.pre.minCapacity': 3, 'environments.pre.maxCapacity': 2 }],
  ['minCapacity above maxCapacity (live)', { 'environments.live.minCapacity': 5 }],
  ['desiredCapacity outside min..max (pre)', { 'environments.pre.desiredCapacity': 9 }],
  ['desiredCapacity outside min..max (live)', { 'environments.live.desiredCapacity': 9 }],
  ['a target health check timeout not under its interval (pre)', { 'environments.pre.healthCheck.timeoutSeconds': 10 }],
  ['a target health check timeout not under its interval (live)', { 'environments.live.healthCheck.timeoutSeconds': 10 }],
  ['a container health check timeout not under its interval (pre)', { 'environments.pre.container.healthCheck.timeoutSeconds': 10 }],
  ['a container health check timeout not under its interval (live)', { 'environments.live.container.healthCheck.timeoutSeconds': 10 }],
  [
    'a variable both plain and secret (pre)',
    { 'environments.pre.container': { environment: { A: 'x' }, secrets: { A: 'arn:aws:ssm:eu-west-1:123456789012:parameter/a' } } },
  ],
  [
    'a variable both plain and secret (live)',
    { 'environments.live.container': { environment: { A: 'x' }, secrets: { A: 'arn:aws:ssm:eu-west-1:123456789012:parameter/a' } } },
  ],
  ['the same subdomain twice', { 'environments.pre.subdomain': 'be' }],
  ['a name too long for a certificate (pre)', { 'environments.pre.subdomain': `pre.${'x'.repeat(60)}` }],
  ['a name too long for a certificate (live)', { 'environments.live.subdomain': `live.${'x'.repeat(60)}` }],
  ['a region aws-cdk-lib does not know', { region: 'eu-central-9', 'vpc.availabilityZones': ['eu-central-9a', 'eu-central-9b'] }],
  ['a zone the region does not have', { 'vpc.availabilityZones': ['eu-west-1a', 'eu-west-1z'] }],
  [
    'an ARN of another partition',
    { 'github.oidcProviderArn': 'arn:aws-cn:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
  ],
  ['an instance type the table does not know (pre)', { 'environments.pre.instanceType': 't9.small' }],
  ['an instance type the table does not know (live)', { 'environments.live.instanceType': 't9.small' }],
  ['an architecture that does not match the table’s (pre)', { 'environments.pre.instanceType': 't4g.small' }],
  ['an architecture that does not match the table’s (live)', { 'environments.live.instanceType': 'm5.large' }],
  ['a database version aws-cdk-lib does not know (pre)', { 'environments.pre.database': { enabled: true, engineVersion: '5.7.44' } }],
  [
    'a database version aws-cdk-lib does not know (live)',
    { 'environments.live.database': { enabled: false, engine: 'postgres', engineVersion: '8.4' } },
  ],
  ['ENI trunking on a type ECS does not trunk (pre)', { 'environments.pre.eniTrunking': true }],
  [
    'ENI trunking on a type ECS does not trunk (live)',
    { 'environments.live.instanceType': 't4g.small', 'environments.live.eniTrunking': true },
  ],
  ['a task bigger than its instance (pre)', { 'environments.pre.container.cpu': 4096 }],
  ['no room for a release (live)', { 'environments.live.maxCapacity': 2, 'environments.live.desiredTaskCount': 4 }],
  ['no room for a release at maxTasks (pre)', { 'environments.pre.autoScaling': { ...AUTO_SCALING.pre, maxTasks: 3 } }],
  ['auto-scaling minTasks above maxTasks (pre)', { 'environments.pre.autoScaling': { ...AUTO_SCALING.pre, minTasks: 3 } }],
  ['auto-scaling minTasks above maxTasks (live)', { 'environments.live.autoScaling': { ...AUTO_SCALING.live, minTasks: 5 } }],
  ['a starting count outside the auto-scaling range (pre)', { 'environments.pre.autoScaling': { ...AUTO_SCALING.pre, minTasks: 2 } }],
  [
    'a starting count outside the auto-scaling range (live)',
    { 'environments.live.autoScaling': { ...AUTO_SCALING.live, maxTasks: 1, minTasks: 1 } },
  ],
  ['no auto-scaling target (pre)', { 'environments.pre.autoScaling': { ...AUTO_SCALING.pre, targets: {} } }],
  ['no auto-scaling target (live)', { 'environments.live.autoScaling': { ...AUTO_SCALING.live, targets: {} } }],
  [
    'a scheduled minimum above maxTasks (pre)',
    { 'environments.pre.autoScaling': { ...AUTO_SCALING.pre, scheduledMinimums: { peak: { ...WINDOW, minTasks: 3 } } } },
  ],
  [
    'a scheduled minimum above maxTasks (live)',
    { 'environments.live.autoScaling': { ...AUTO_SCALING.live, scheduledMinimums: { peak: { ...WINDOW, minTasks: 5 } } } },
  ],
  [
    'a time zone no time zone database knows (field check)',
    { 'environments.live.autoScaling': { ...AUTO_SCALING.live, scheduledMinimums: { peak: { ...WINDOW, timeZone: 'Mars/Olympus' } } } },
  ],
  [
    'a database class the table does not list for the engine (pre)',
    { 'environments.pre.database': { enabled: true, instanceType: 'db.zz9.large' } },
  ],
  [
    'a database class the table does not list for the engine (live)',
    { 'environments.live.database': { enabled: true, instanceType: 'zz9.large' } },
  ],
];

const withEdits = (edits: Record<string, unknown>) =>
  Object.entries(edits).reduce((config, [dotted, value]) => edited(config, dotted, value), exampleRawConfig());

describe('config/berth.schema.json', () => {
  test('is what npm run schema writes from infra/config/schema.ts', () => {
    // THEN
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  test('is what config/example.json names, by a path relative to it, and accepts it', () => {
    // GIVEN
    const example = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')) as Json;

    // THEN
    expect(example.$schema).toBe('./berth.schema.json');
    expect(path.resolve(path.dirname(EXAMPLE_CONFIG_FILE), example.$schema as string)).toBe(SCHEMA_FILE);
    expect(schemaAccepts(example)).toBe(true);
  });

  test('uses only the keywords the validator reads, and annotations', () => {
    // GIVEN
    const used = new Set<string>();
    const collect = (node: Json) => {
      for (const [key, value] of Object.entries(node)) {
        used.add(key);
        if (key === 'properties') Object.values(value as Record<string, Json>).forEach(collect);
        else if (['anyOf', 'allOf'].includes(key)) (value as Json[]).forEach(collect);
        else if (['items', 'not', 'if', 'then', 'else', 'propertyNames', 'additionalProperties'].includes(key) && typeof value === 'object')
          collect(value as Json);
      }
    };

    // WHEN
    collect(schema);

    // THEN
    expect([...used].filter((key) => !(SUPPORTED_KEYWORDS as readonly string[]).includes(key))).toEqual([]);
  });

  test('names what is allowed in berth’s words wherever a pattern would be all an editor could show', () => {
    // GIVEN
    const patterns = fields(schema).filter((field) => !field.isObject && typeof field.node.pattern === 'string');

    // THEN
    expect(patterns.length).toBeGreaterThan(20);
    expect(patterns.filter((field) => typeof field.node.patternErrorMessage !== 'string').map((field) => field.path)).toEqual([]);
  });
});

describe('the README’s config tables', () => {
  test('are what npm run schema writes from the definitions, so they cannot drift', () => {
    // GIVEN
    const readme = fs.readFileSync(README_FILE, 'utf8');

    // THEN
    expect(readme).toBe(withTables(readme));
  });

  test('list every field of the schema once, with each environment’s default', () => {
    // GIVEN
    const rows = readmeRows();
    const paths = new Set(
      fields(schema)
        .filter((field) => !field.isObject)
        .map((field) => field.path.replace(/^environments\.(pre|live)\./, 'environments.')),
    );

    // THEN
    expect(rows.map((row) => (typeof row.defaults === 'string' ? row.field : `environments.${row.field}`)).sort()).toEqual(
      [...paths].sort(),
    );
    expect(rows.find((row) => row.field === 'bakeMinutes')?.defaults).toEqual({ pre: '2', live: '10' });
    expect(rows.find((row) => row.field === 'initialImageTag')?.defaults).toEqual({ pre: '—', live: '`v1.0.0`' });
    expect(rows.find((row) => row.field === 'vpc.natGateways')?.defaults).toBe('1 with private instance subnets, 0 with public');
    expect(rows.find((row) => row.field === 'appName')?.defaults).toBe('required');
  });
});

describe('the JSON Schema and the validator agree on a corpus of configs', () => {
  const corpus = generatedCorpus();

  test('the corpus probes every field, and holds good and bad configs', () => {
    // THEN
    expect(corpus.length).toBeGreaterThan(500);
    expect(corpus.filter(({ config }) => schemaAccepts(config)).length).toBeGreaterThan(50);
    expect(corpus.filter(({ config }) => !schemaAccepts(config)).length).toBeGreaterThan(400);
  });

  test('every generated config: types, limits, enums, unknown fields, typos, missing fields', () => {
    // WHEN
    const disagree = corpus.filter(({ config }) => schemaAccepts(config) !== readingAccepts(config)).map(({ title }) => title);

    // THEN
    expect(disagree).toEqual([]);
  });

  test.each(CONDITIONS)('the cross-field rule the schema expresses: %s', (_title, refused, accepted) => {
    // GIVEN
    const bad = withEdits(refused);
    const good = withEdits(accepted);

    // THEN
    expect([schemaAccepts(bad), readingAccepts(bad), synthAccepts(bad)]).toEqual([false, false, false]);
    expect([schemaAccepts(good), readingAccepts(good), synthAccepts(good)]).toEqual([true, true, true]);
  });

  test.each(VALIDATOR_ONLY)('validator only: %s', (_title, edits) => {
    // GIVEN
    const config = withEdits(edits);

    // THEN
    expect(schemaAccepts(config)).toBe(true);
    expect(synthAccepts(config)).toBe(false);
  });

  test('the validator-only list covers every rule synth runs beyond the schema, in each environment', () => {
    // GIVEN
    const configs = VALIDATOR_ONLY.map(([, edits]) => withEdits(edits));
    const found = (config: Json, rules: ConfigRule[]) => checkConfig(config, rules).problems.length;
    // what the schema reading alone finds in each config, read once rather than once per rule.
    const schemaOnly = configs.map((config) => found(config, []));

    // WHEN a rule adds a problem to what the schema reading found
    const unused = SYNTH_RULES.filter((rule) => !configs.some((config, i) => found(config, [rule]) > schemaOnly[i]));

    // THEN
    expect(unused.map((rule) => rule.reads.join(','))).toEqual([]);
  });
});
