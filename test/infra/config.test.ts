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
      /^environments\.pre\.instanceType: "t9\.small" is not an EC2 instance type; allowed: <family>\.<size>/,
    ],
    [
      'an instance size that does not exist',
      { 'environments.pre.instanceType': 't3.huge' },
      /^environments\.pre\.instanceType: "t3\.huge" has no size "huge"; valid sizes are: nano, micro/,
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
      /^environments\.pre\.instanceTyp: unknown field; allowed fields are: subdomain, instanceType/,
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
