import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../infra/config';
import { DELETE, problemsAfter } from '../_helpers/config';
import { EXAMPLE_CONFIG_FILE } from '../_helpers/synth';

describe('the example config', () => {
  test('is valid and gets per-environment defaults', () => {
    // WHEN
    const config = loadConfig(EXAMPLE_CONFIG_FILE);

    // THEN
    expect(config.environments.pre.subdomain).toBe('pre-be');
    expect(config.environments.live.subdomain).toBe('be');
    expect(config.environments.pre.imagePullBehaviour).toBe('default');
    expect(config.environments.live.imagePullBehaviour).toBe('prefer-cached');
    expect(config.environments.live.architecture).toBe('arm64');
    expect(config.vpc).toMatchObject({ kind: 'new', instanceSubnets: 'private', natGateways: 1 });
  });
});

describe('instance types, ENI trunking and room for a release are checked against the tables (issue 13)', () => {
  const REFRESH = 'if AWS added it since, refresh the tables: npm run generate:instance-types (see the README)';

  test.each([
    ['m7g.nano', 'arm64', 'medium, large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, metal'],
    ['t3.metal', 'x86_64', 'nano, micro, small, medium, large, xlarge, 2xlarge'],
  ])(
    '%s, which EC2 does not offer, is refused with the sizes it does and how to refresh the table',
    (instanceType, architecture, sizes) => {
      // WHEN
      const problems = problemsAfter({ 'environments.live.instanceType': instanceType, 'environments.live.architecture': architecture });

      // THEN
      expect(problems).toEqual([
        `environments.live.instanceType: "${instanceType}" is not an EC2 instance type in berth's table (aws/karpenter-provider-aws 2026-07-11); allowed: the sizes of ${instanceType.split('.')[0]}: ${sizes}; ${REFRESH}`,
      ]);
    },
  );

  test('a task bigger than its instance: 4096 CPU units and 16000 MiB on a t4g.small', () => {
    // WHEN
    const problems = problemsAfter({
      'environments.pre.instanceType': 't4g.small',
      'environments.pre.architecture': 'arm64',
      'environments.pre.container.cpu': 4096,
      'environments.pre.container.memoryMiB': 16000,
    });

    // THEN: one line, and no release check built on a task that fits nowhere.
    expect(problems).toEqual([
      'environments.pre.container: 4096 CPU units and 16000 MiB do not fit one instance: a t4g.small offers tasks 2048 CPU units and 1894 MiB (2 vCPUs, 2048 MiB less what the OS keeps); allowed: at most 2048 CPU units and 1894 MiB, or a larger instance type',
    ]);
  });

  test('no room for a release: pre with maxCapacity 1 and 2 tasks on a t4g.small', () => {
    // WHEN
    const problems = problemsAfter({
      'environments.pre.instanceType': 't4g.small',
      'environments.pre.architecture': 'arm64',
      'environments.pre.maxCapacity': 1,
      'environments.pre.desiredTaskCount': 2,
    });

    // THEN
    expect(problems).toEqual([
      'environments.pre.maxCapacity: 1 t4g.small instance holds 2 tasks (2 per instance: 2 network interfaces for tasks); a release needs room for 4 (2 x desiredTaskCount 2); allowed: maxCapacity 2 or more, a larger instance type, an instance type ECS trunks (with eniTrunking), or desiredTaskCount 1 or fewer',
    ]);
  });

  test('no room for a release: live on t4g.small with 4 tasks of 1024 MiB and maxCapacity 2', () => {
    // WHEN
    const problems = problemsAfter({
      'environments.live.instanceType': 't4g.small',
      'environments.live.maxCapacity': 2,
      'environments.live.desiredTaskCount': 4,
      'environments.live.container.cpu': 256,
      'environments.live.container.memoryMiB': 1024,
    });

    // THEN
    expect(problems).toEqual([
      'environments.live.maxCapacity: 2 t4g.small instances hold 2 tasks (1 per instance: 1894 MiB for tasks of 1024 MiB); a release needs room for 8 (2 x desiredTaskCount 4); allowed: maxCapacity 8 or more, a larger instance type, or desiredTaskCount 1 or fewer',
    ]);
  });

  test('the defaults leave room for a release in both environments', () => {
    expect(problemsAfter({ 'environments.pre': {}, 'environments.live': {} })).toEqual([]);
  });

  test('eniTrunking on a type ECS trunks gives the trunked task limit', () => {
    // GIVEN 4 tasks on one m6i.large: 2 without trunking, 8 (by CPU) with it
    const edits = {
      'environments.live.instanceType': 'm6i.large',
      'environments.live.architecture': 'x86_64',
      'environments.live.minCapacity': 1,
      'environments.live.maxCapacity': 1,
      'environments.live.desiredTaskCount': 4,
      'environments.live.container.cpu': 256,
      'environments.live.container.memoryMiB': 512,
    };

    // THEN
    expect(problemsAfter(edits)).toEqual([
      expect.stringMatching(
        /^environments\.live\.maxCapacity: 1 m6i\.large instance holds 2 tasks .*eniTrunking \(10 tasks per m6i\.large/,
      ),
    ]);
    expect(problemsAfter({ ...edits, 'environments.live.eniTrunking': true })).toEqual([]);
  });

  test('eniTrunking on a type ECS does not trunk is refused', () => {
    expect(problemsAfter({ 'environments.pre.eniTrunking': true })).toEqual([
      'environments.pre.eniTrunking: true, but ECS ENI trunking does not support t3.small (awsdocs/amazon-ecs-developer-guide 2023-04-18); allowed: false, or an instance type ECS trunks such as m6i.large, m7g.large or c6g.large',
    ]);
  });

  test('eniTrunking defaults to false and must be a boolean', () => {
    expect(loadConfig(EXAMPLE_CONFIG_FILE).environments.live.eniTrunking).toBe(false);
    expect(problemsAfter({ 'environments.live.eniTrunking': 'yes' })).toEqual([
      'environments.live.eniTrunking: "yes" is not valid; allowed: true, false',
    ]);
  });

  test('a bad number is its own problem, not a cascade of capacity problems', () => {
    expect(problemsAfter({ 'environments.live.container.memoryMiB': 'lots', 'environments.live.maxCapacity': 0 })).toEqual([
      'environments.live.maxCapacity: 0 is not valid; allowed: a whole number from 1 to 100',
      'environments.live.container.memoryMiB: "lots" is not valid; allowed: a whole number from 128 to 120000',
    ]);
  });
});

describe('github.branch, the delivery branch', () => {
  test('defaults to master', () => {
    // WHEN
    const config = loadConfig(EXAMPLE_CONFIG_FILE);

    // THEN
    expect(config.github?.branch).toBe('master');
  });

  test.each(['main', 'develop', 'release/2.x', 'team/feature_x-1', 'v1.2'])('accepts the git branch name %s', (branch) => {
    expect(problemsAfter({ 'github.branch': branch })).toEqual([]);
  });

  test.each<[string, unknown]>([
    ['a space', 'main branch'],
    ['a control character', 'main\tx'],
    ['two dots', 'release..2'],
    ['a leading dash', '-main'],
    ['a part ending in .lock', 'main.lock'],
    ['a trailing slash', 'release/'],
    ['a trailing dot', 'main.'],
    ['a part starting with a dot', 'release/.next'],
    ['two slashes', 'release//2'],
    ['@{', 'main@{1}'],
    ['a glob that IAM would expand', 'release/*'],
    ['a question mark', 'mai?'],
    ['a colon', 'a:b'],
    ['the full ref', 'refs/heads/main'],
    ['@ alone', '@'],
    ['nothing', ''],
    ['a number', 5],
  ])('refuses %s with one line that names the field and the rules', (_title, branch) => {
    // WHEN
    const problems = problemsAfter({ 'github.branch': branch });

    // THEN
    expect(problems).toEqual([
      `github.branch: ${JSON.stringify(branch)} is not valid; allowed: a git branch name such as main or release/2.x (no spaces or ~ ^ : ? * [ \\, no "..", "@{" or "//", no part that starts with "." or ends with ".lock", not starting with "-" or "refs/")`,
    ]);
  });
});

describe('config validation names the field and what is allowed', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'an unknown environment',
      { 'environments.staging': {} },
      /^environments\.staging: unknown environment; allowed environments are: pre, live$/,
    ],
    ['a missing environment', { 'environments.live': DELETE }, /^environments\.live: missing/],
    ['a malformed CIDR', { 'vpc.cidr': '10.0.0/16' }, /^vpc\.cidr: "10\.0\.0\/16" is not an IPv4 CIDR; allowed: .*\/16 to \/24/],
    ['a CIDR prefix beyond /32', { 'vpc.cidr': '10.0.0.0/33' }, /^vpc\.cidr: "10\.0\.0\.0\/33" has prefix \/33/],
    ['a CIDR with host bits', { 'vpc.cidr': '10.20.1.0/16' }, /^vpc\.cidr: .*host bits/],
    ['a VPC too large', { 'vpc.cidr': '10.0.0.0/8' }, /^vpc\.cidr: .*prefix \/8/],
    [
      'an instance type that does not exist',
      { 'environments.pre.instanceType': 't9.small' },
      /^environments\.pre\.instanceType: "t9\.small" is not an EC2 instance type in berth's table \(aws\/karpenter-provider-aws 2026-07-11\); allowed: a type such as t3\.small/,
    ],
    [
      'an instance size that does not exist',
      { 'environments.pre.instanceType': 't3.huge' },
      /^environments\.pre\.instanceType: "t3\.huge" is not an EC2 instance type in berth's table .*; allowed: the sizes of t3: nano, micro, small,/,
    ],
    [
      'an arm64 instance with x86_64',
      { 'environments.pre.instanceType': 't4g.small' },
      /^environments\.pre\.architecture: "x86_64" does not match instance type t4g\.small, which is arm64/,
    ],
    [
      'an x86 instance with arm64',
      { 'environments.live.instanceType': 'm5.large' },
      /^environments\.live\.architecture: "arm64" does not match instance type m5\.large, which is x86_64/,
    ],
    [
      'an unknown architecture',
      { 'environments.live.architecture': 'sparc' },
      /^environments\.live\.architecture: "sparc" is not valid; allowed: x86_64, arm64$/,
    ],
    ['min above max', { 'environments.live.minCapacity': 5 }, /^environments\.live\.minCapacity: 5 is greater than maxCapacity 4/],
    [
      'desired outside min..max',
      { 'environments.live.desiredCapacity': 9 },
      /^environments\.live\.desiredCapacity: 9 is outside minCapacity\.\.maxCapacity \(2\.\.4\)$/,
    ],
    [
      'a fractional count',
      { 'environments.pre.desiredTaskCount': 1.5 },
      /^environments\.pre\.desiredTaskCount: 1\.5 is not valid; allowed: a whole number from 0 to 100$/,
    ],
    [
      'a root volume below the AMI size',
      { 'environments.pre.rootVolumeGiB': 8 },
      /^environments\.pre\.rootVolumeGiB: 8 is not valid; allowed: a whole number from 30 to 16384$/,
    ],
    [
      'a malformed AMI id',
      { 'environments.live.amiId': 'ami-xyz' },
      /^environments\.live\.amiId: "ami-xyz" is not valid; allowed: an AMI id/,
    ],
    [
      'prefer-cached for pre',
      { 'environments.pre.imagePullBehaviour': 'prefer-cached' },
      /^environments\.pre\.imagePullBehaviour: "prefer-cached" would keep running a cached `master`/,
    ],
    ['a missing domain', { domain: DELETE }, /^domain: missing; allowed: a JSON object$/],
    ['a missing domain name', { 'domain.name': DELETE }, /^domain\.name: missing; allowed: a DNS name/],
    [
      'a bad hosted zone id',
      { 'domain.hostedZoneId': 'zone-1' },
      /^domain\.hostedZoneId: "zone-1" is not valid; allowed: a Route 53 hosted zone id/,
    ],
    ['a bad account', { account: '1234' }, /^account: "1234" is not valid; allowed: a 12-digit AWS account id$/],
    ['a bad region', { region: 'europe' }, /^region: "europe" is not valid; allowed: an AWS region/],
    ['a bad app name', { appName: 'My App' }, /^appName: "My App" is not valid; allowed: 3 to 20 lower-case letters/],
    [
      'zones of another region',
      { 'vpc.availabilityZones': ['us-east-1a', 'us-east-1b'] },
      /^vpc\.availabilityZones: us-east-1a, us-east-1b not in region eu-west-1/,
    ],
    ['a single zone', { 'vpc.availabilityZones': ['eu-west-1a'] }, /^vpc\.availabilityZones: .* at least 2 distinct zones/],
    ['private instances without NAT', { 'vpc.natGateways': 0 }, /^vpc\.natGateways: 0 leaves private instances without a route/],
    ['NAT with public instances', { 'vpc.instanceSubnets': 'public' }, /^vpc\.natGateways: 1 NAT gateways would go unused/],
    [
      'an unknown field',
      { 'environments.pre.instanceTyp': 't3.small' },
      /^environments\.pre\.instanceTyp: unknown field; did you mean instanceType\? \(allowed fields are: subdomain, instanceType/,
    ],
    ['the same subdomain twice', { 'environments.pre.subdomain': 'be' }, /^environments\.live\.subdomain: "be" is also pre's subdomain/],
    [
      'a bad GitHub repository',
      { 'github.repository': 'just-a-name' },
      /^github\.repository: "just-a-name" is not valid; allowed: owner\/name/,
    ],
  ])('%s', (_title, edits, expected) => {
    // WHEN
    const problems = problemsAfter(edits);

    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  test('every problem is reported at once, each on its own line', () => {
    // WHEN
    const problems = problemsAfter({ account: 'x', 'environments.pre.instanceType': 'nope', 'environments.live.minCapacity': -1 });

    // THEN
    expect(problems).toEqual([
      expect.stringMatching(/^account:/),
      expect.stringMatching(/^environments\.pre\.instanceType:/),
      expect.stringMatching(/^environments\.live\.minCapacity:/),
    ]);
  });

  test('an imported VPC needs one subnet per zone and no NAT settings', () => {
    // WHEN
    const problems = problemsAfter({
      vpc: {
        vpcId: 'vpc-0123456789abcdef0',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        publicSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        privateSubnetIds: ['subnet-0123456789abcdef2'],
      },
    });

    // THEN
    expect(problems).toEqual([expect.stringMatching(/^vpc\.privateSubnetIds: 1 subnets for 2 availability zones/)]);
  });

  test('loadConfig says which file is unreadable or not JSON', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-config-'));
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ "appName": ');

    // THEN
    expect(() => loadConfig(path.join(dir, 'missing.json'))).toThrow(/missing\.json:\n {2}- cannot read the file/);
    expect(() => loadConfig(broken)).toThrow(/broken\.json:\n {2}- not valid JSON/);
  });
});
