import { loadConfig, parseConfig } from '../../infra/config';
import { problemsAfter } from '../_helpers/config';
import { EXAMPLE_CONFIG_FILE, exampleRawConfig } from '../_helpers/synth';

const IMPORTED_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
  privateSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
};

describe('traffic and release defaults of the example config', () => {
  const { pre, live } = loadConfig(EXAMPLE_CONFIG_FILE).environments;

  test('pre releases quickly: short drain and bake, no deletion protection, a month of access logs', () => {
    // THEN
    expect(pre).toMatchObject({
      deregistrationDelaySeconds: 10,
      bakeMinutes: 2,
      deletionProtection: false,
      accessLogRetentionDays: 30,
      dualStack: false,
    });
    expect(pre.initialImageTag).toBeUndefined();
  });

  test('live releases carefully: longer drain and bake, deletion protection, a year of access logs', () => {
    // THEN
    expect(live).toMatchObject({
      deregistrationDelaySeconds: 30,
      bakeMinutes: 10,
      deletionProtection: true,
      accessLogRetentionDays: 365,
      dualStack: false,
    });
    expect(live.initialImageTag).toBe('v1.0.0');
  });

  test('both check /health every 10 s and take a target after 2 passes', () => {
    // THEN
    for (const environment of [pre, live]) {
      expect(environment.healthCheck).toEqual({
        path: '/health',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      });
      expect(environment.testRule).toEqual({ headerName: 'x-berth-test', headerValue: 'green', sourceCidrs: [] });
      expect(environment.alarms).toEqual({ target5xxPerMinute: 10, p99LatencyMs: 2000, evaluationMinutes: 2 });
    }
  });

  test("the container health check curls the load balancer's health path on the container port", () => {
    // THEN
    expect(live.container.healthCheck).toEqual({
      command: 'curl -fsS http://localhost:8080/health || exit 1',
      intervalSeconds: 10,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 30,
    });
    expect(live.container.environment).toEqual({});
    expect(live.container.secrets).toEqual({});
  });
});

describe('traffic and release settings from config', () => {
  test('a custom health path and port reach the default container health check', () => {
    // GIVEN
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    environments.pre.healthCheck = { path: '/ready' };
    environments.pre.container = { port: 3000 };

    // WHEN
    const { pre } = parseConfig(raw).environments;

    // THEN
    expect(pre.container.healthCheck.command).toBe('curl -fsS http://localhost:3000/ready || exit 1');
  });

  test('environment variables and secrets pass through unchanged', () => {
    // GIVEN
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    const secrets = {
      API_KEY: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:berth/api-key-AbCdEf',
      DB_PASSWORD: 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/db-password',
    };
    environments.live.container = { environment: { LOG_LEVEL: 'info' }, secrets };

    // WHEN
    const { live } = parseConfig(raw).environments;

    // THEN
    expect(live.container.environment).toEqual({ LOG_LEVEL: 'info' });
    expect(live.container.secrets).toEqual(secrets);
  });

  test('an imported VPC allows dual-stack', () => {
    // THEN
    expect(problemsAfter({ vpc: IMPORTED_VPC, 'environments.live.dualStack': true })).toEqual([]);
  });
});

describe('traffic and release validation names the field and what is allowed', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a health path without a slash',
      { 'environments.pre.healthCheck.path': 'health' },
      /^environments\.pre\.healthCheck\.path: "health" is not valid; allowed: an HTTP path starting with \//,
    ],
    [
      'a health check timeout as long as the interval',
      { 'environments.live.healthCheck.timeoutSeconds': 10 },
      /^environments\.live\.healthCheck\.timeoutSeconds: 10 is not less than intervalSeconds 10; allowed: a timeout shorter than the interval$/,
    ],
    [
      'a healthy threshold of 1',
      { 'environments.live.healthCheck.healthyThreshold': 1 },
      /^environments\.live\.healthCheck\.healthyThreshold: 1 is not valid; allowed: a whole number from 2 to 10$/,
    ],
    [
      'an unknown health check field',
      { 'environments.live.healthCheck.port': 80 },
      /^environments\.live\.healthCheck\.port: unknown field; allowed fields are: path, intervalSeconds/,
    ],
    [
      'a deregistration delay above an hour',
      { 'environments.live.deregistrationDelaySeconds': 3601 },
      /^environments\.live\.deregistrationDelaySeconds: 3601 is not valid; allowed: a whole number from 0 to 3600$/,
    ],
    [
      'a bake time above a day',
      { 'environments.live.bakeMinutes': 1441 },
      /^environments\.live\.bakeMinutes: 1441 is not valid; allowed: a whole number from 0 to 1440$/,
    ],
    [
      'a header name with a space',
      { 'environments.pre.testRule.headerName': 'x berth' },
      /^environments\.pre\.testRule\.headerName: "x berth" is not valid; allowed: an HTTP header name/,
    ],
    [
      'a header value with a wildcard',
      { 'environments.pre.testRule.headerValue': 'gr*en' },
      /^environments\.pre\.testRule\.headerValue: "gr\*en" is not valid; allowed: letters, digits/,
    ],
    [
      'a source that is not a CIDR',
      { 'environments.live.testRule.sourceCidrs': ['203.0.113.0'] },
      /^environments\.live\.testRule\.sourceCidrs: "203\.0\.113\.0" not valid; allowed: IPv4 CIDRs/,
    ],
    [
      'four source CIDRs',
      { 'environments.live.testRule.sourceCidrs': ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'] },
      /^environments\.live\.testRule\.sourceCidrs: 4 CIDRs; allowed: at most 3/,
    ],
    [
      'a zero 5xx threshold',
      { 'environments.live.alarms.target5xxPerMinute': 0 },
      /^environments\.live\.alarms\.target5xxPerMinute: 0 is not valid; allowed: a whole number from 1/,
    ],
    [
      'a fractional latency',
      { 'environments.live.alarms.p99LatencyMs': 1.5 },
      /^environments\.live\.alarms\.p99LatencyMs: 1\.5 is not valid; allowed: a whole number/,
    ],
    [
      'dual-stack with the VPC berth creates',
      { 'environments.live.dualStack': true },
      /^environments\.live\.dualStack: true needs public subnets with IPv6 CIDR blocks, .*; allowed: false, or an imported VPC/,
    ],
    [
      'a subdomain too long for a certificate',
      { 'environments.pre.subdomain': `pre.${'x'.repeat(50)}.api` },
      /^environments\.pre\.subdomain: pre\.x+\.api\.example\.com has 70 characters; allowed: at most 64 with the domain/,
    ],
    [
      'a dual-stack switch that is not a boolean',
      { 'environments.live.dualStack': 'yes' },
      /^environments\.live\.dualStack: "yes" is not valid; allowed: true, false$/,
    ],
    [
      'access logs kept for no days',
      { 'environments.pre.accessLogRetentionDays': 0 },
      /^environments\.pre\.accessLogRetentionDays: 0 is not valid; allowed: a whole number from 1 to 3650$/,
    ],
    [
      'an initial tag on pre',
      { 'environments.pre.initialImageTag': 'v1.0.0' },
      /^environments\.pre\.initialImageTag: pre always runs the `master` image; allowed: only environments\.live\.initialImageTag$/,
    ],
    [
      'an initial tag that is not a release',
      { 'environments.live.initialImageTag': 'latest' },
      /^environments\.live\.initialImageTag: "latest" is not valid; allowed: a release tag vMAJOR\.MINOR\.PATCH/,
    ],
    [
      'a container health check timeout as long as its interval',
      { 'environments.pre.container.healthCheck.timeoutSeconds': 10 },
      /^environments\.pre\.container\.healthCheck\.timeoutSeconds: 10 is not less than intervalSeconds 10/,
    ],
    [
      'a start period above 5 minutes',
      { 'environments.pre.container.healthCheck.startPeriodSeconds': 301 },
      /^environments\.pre\.container\.healthCheck\.startPeriodSeconds: 301 is not valid; allowed: a whole number from 0 to 300$/,
    ],
    [
      'an environment variable name with a hyphen',
      { 'environments.pre.container.environment': { 'LOG-LEVEL': 'info' } },
      /^environments\.pre\.container\.environment\.LOG-LEVEL: not a valid name; allowed: variable names/,
    ],
    [
      'an environment variable that is not a string',
      { 'environments.pre.container.environment': { PORT: 8080 } },
      /^environments\.pre\.container\.environment\.PORT: 8080 is not valid; allowed: strings/,
    ],
    [
      'a secret given by name, not ARN',
      { 'environments.live.container.secrets': { API_KEY: 'berth/api-key' } },
      /^environments\.live\.container\.secrets\.API_KEY: "berth\/api-key" is not valid; allowed: complete Secrets Manager secret ARNs/,
    ],
    [
      'a partial Secrets Manager ARN',
      { 'environments.live.container.secrets': { API_KEY: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:berth/api-key' } },
      /^environments\.live\.container\.secrets\.API_KEY: .* is not valid; allowed: complete Secrets Manager secret ARNs \(.*-<6 characters>\)/,
    ],
    [
      'a variable that is both plain and secret',
      {
        'environments.live.container.environment': { API_KEY: 'x' },
        'environments.live.container.secrets': { API_KEY: 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/api-key' },
      },
      /^environments\.live\.container\.secrets: API_KEY also set in environment; allowed: each variable in one of environment or secrets$/,
    ],
  ])('%s is one problem', (_what, edits, expected) => {
    // WHEN
    const problems = problemsAfter(edits);

    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});

describe('release strategy, smoke checks and approval from config', () => {
  test('without a release section: blue/green, no smoke checks; live asks for approval, pre does not', () => {
    // WHEN
    const { pre, live } = loadConfig(EXAMPLE_CONFIG_FILE).environments;

    // THEN
    expect(pre.release).toEqual({ strategy: { type: 'blue-green' }, smoke: [], approve: false, pauseTimeoutMinutes: 15 });
    expect(live.release).toEqual({ strategy: { type: 'blue-green' }, smoke: [], approve: true, pauseTimeoutMinutes: 30 });
  });

  test("a canary or linear strategy without its numbers gets ECS's defaults", () => {
    // GIVEN
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    environments.pre.release = { strategy: { type: 'linear' } };
    environments.live.release = { strategy: { type: 'canary' } };

    // WHEN
    const { pre, live } = parseConfig(raw).environments;

    // THEN
    expect(pre.release.strategy).toEqual({ type: 'linear', stepPercent: 10, stepBakeMinutes: 6 });
    expect(live.release.strategy).toEqual({ type: 'canary', percent: 5, bakeMinutes: 10 });
  });

  test.each([
    [
      { strategy: { type: 'canery' } },
      'environments.live.release.strategy.type: "canery" is not valid; allowed: blue-green, canary, linear',
    ],
    [
      { strategy: { type: 'canary', percent: 0.05 } },
      'environments.live.release.strategy.percent: 0.05 is not valid; allowed: a number from 0.1 to 100 in steps of 0.1',
    ],
    [
      { strategy: { type: 'canary', percent: 12.34 } },
      'environments.live.release.strategy.percent: 12.34 is not a multiple of 0.1; allowed: a number from 0.1 to 100 in steps of 0.1',
    ],
    [
      { strategy: { type: 'linear', stepPercent: 2 } },
      'environments.live.release.strategy.stepPercent: 2 is not valid; allowed: a number from 3 to 100 in steps of 0.1',
    ],
    [
      { strategy: { type: 'linear', stepPercent: 10, stepBakeMinutes: 300 } },
      'environments.live.release.strategy: bakeMinutes 10 + stepBakeMinutes 300 x 9 steps = 2710 minutes of bake, more than the 1980 (33 hours) CloudFormation accepts for a deployment; allowed: shorter bakes or fewer steps',
    ],
    [
      { strategy: { type: 'canary', bakeMinutes: 1440 }, pauseTimeoutMinutes: 800 },
      'environments.live.release.pauseTimeoutMinutes: 800 + 1450 minutes of bake = 2250, more than the 2160 (36 hours) a CloudFormation operation may take; allowed: at most 710',
    ],
    [{ pauseTimeoutMinutes: 0 }, 'environments.live.release.pauseTimeoutMinutes: 0 is not valid; allowed: a whole number from 1 to 20160'],
    [
      { smoke: [{ path: 'health', status: 200 }] },
      'environments.live.release.smoke: {"path":"health","status":200} not valid; allowed: checks such as { "path": "/health", "status": 200 }, optionally with bodyContains and header { name, value }',
    ],
  ])('%j is refused: %s', (release, message) => {
    // THEN
    expect(problemsAfter({ 'environments.live.release': release })).toEqual([message]);
  });

  test('linear steps count as CloudFormation counts them: 100/33 is 3 steps, 100/25 is 3', () => {
    // THEN
    expect(problemsAfter({ 'environments.live.release.strategy': { type: 'linear', stepPercent: 33, stepBakeMinutes: 656 } })).toEqual([]);
    expect(problemsAfter({ 'environments.live.release.strategy': { type: 'linear', stepPercent: 25, stepBakeMinutes: 657 } })).toHaveLength(
      1,
    );
  });
});
