import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../infra/config';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { zonesOf } from '../../infra/config/aws-rules';
import zoneTable from '../../infra/config/availability-zones.json';
import { GIT_BRANCH } from '../../infra/config/schema';
import { DELETE, problemsAfter } from '../_helpers/config';
import { exampleRawConfig } from '../_helpers/synth';

const SIX_ZONES = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => `us-east-1${letter}`);

describe('config checks what AWS would refuse, before any construct is built', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a region that does not exist',
      { region: 'eu-central-9', 'vpc.availabilityZones': ['eu-central-9a', 'eu-central-9b'] },
      /^region: "eu-central-9" is not a region aws-cdk-lib knows; allowed: a region of partition aws: af-south-1, .*eu-central-1, .*; did you mean eu-central-1\?$/,
    ],
    [
      'a zone the region does not have',
      { region: 'eu-central-1', 'vpc.availabilityZones': ['eu-central-1a', 'eu-central-1z'] },
      /^vpc\.availabilityZones: eu-central-1z is not a zone of eu-central-1; allowed: eu-central-1a, eu-central-1b, eu-central-1c \(EC2's zones on \d{4}-\d\d-\d\d/,
    ],
    [
      'a hosted zone id Route 53 never issues',
      { 'domain.hostedZoneId': 'Z1' },
      /^domain\.hostedZoneId: "Z1" is not valid; allowed: a Route 53 hosted zone id: Z and 9 to 31 upper-case letters or digits/,
    ],
    [
      'a hosted zone id copied with the prefix the AWS CLI prints',
      { 'domain.hostedZoneId': '/hostedzone/Z0123456789ABCDEFGHIJ' },
      /^domain\.hostedZoneId: "\/hostedzone\/Z0123456789ABCDEFGHIJ" has the \/hostedzone\/ prefix the AWS CLI prints; allowed:/,
    ],
    [
      'a /24 over six zones, which gives /28 public subnets',
      { region: 'us-east-1', 'vpc.cidr': '10.0.0.0/24', 'vpc.availabilityZones': SIX_ZONES },
      /^vpc\.cidr: 10\.0\.0\.0\/24 over 6 zones gives \/28 subnets \(11 usable addresses each\); a load balancer needs a \/27 or larger in every zone; allowed: a \/23 or larger CIDR for 6 zones, or fewer zones$/,
    ],
    [
      'public subnets too small for two load balancers and the instances in them',
      {
        'vpc.cidr': '10.0.0.0/24',
        'vpc.instanceSubnets': 'public',
        'vpc.natGateways': 0,
        'environments.live.maxCapacity': 100,
        'environments.live.desiredTaskCount': 60,
      },
      /^vpc\.cidr: 10\.0\.0\.0\/24 over 2 zones gives \/25 subnets \(123 usable addresses each\); the public subnet of each zone needs 128 \(8 free for each of the 2 load balancers, the instances and tasks at a release's peak\); allowed: a \/23 or larger CIDR for 2 zones/,
    ],
    [
      'private subnets too small for the tasks of a release',
      { 'vpc.cidr': '10.0.0.0/24', 'environments.live.maxCapacity': 100, 'environments.live.desiredTaskCount': 40 },
      /^vpc\.cidr: 10\.0\.0\.0\/24 over 2 zones gives \/26 subnets \(59 usable addresses each\); the private subnet of each zone needs 92 for instances, blue and green tasks and databases at a release's peak; allowed: a \/23 or larger/,
    ],
    [
      'an app name ECR refuses as a repository name',
      { appName: 'acme--api' },
      /^appName: "acme--api" makes the ECR repository name "acme--api", which ECR refuses: lower-case letters and digits in groups joined by a single "\.", "_" or "-", 2 to 256 characters; allowed: 3 to 20 lower-case letters/,
    ],
    [
      'more NAT gateways than zones',
      { 'vpc.natGateways': 3 },
      /^vpc\.natGateways: 3 is not valid; allowed: a whole number from 0 to 2 \(one per zone at most\)$/,
    ],
    [
      'a secret of another partition than the region',
      { 'environments.live.container.secrets': { API_KEY: 'arn:aws-cn:ssm:cn-north-1:123456789012:parameter/api-key' } },
      /^environments\.live\.container\.secrets\.API_KEY: "arn:aws-cn:ssm:cn-north-1:123456789012:parameter\/api-key" is in partition aws-cn, and region eu-west-1 in aws; allowed: an ARN that starts with arn:aws:$/,
    ],
    [
      'an OIDC provider of another partition than the region',
      { 'github.oidcProviderArn': 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
      /^github\.oidcProviderArn: .* is in partition aws-us-gov, and region eu-west-1 in aws/,
    ],
    [
      'a branch name git refuses',
      { 'github.branch': 'release..1' },
      /^github\.branch: "release\.\.1" is not valid; allowed: a git branch name such as main or release\/2\.x \(no spaces/,
    ],
  ])('%s is one line that names the field', (_title, edits, expected) => {
    // WHEN
    const problems = problemsAfter(edits);

    // THEN
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a 14-character hosted zone id (issued before 2019)', { 'domain.hostedZoneId': 'Z2FDTNDATAQYW2' }],
    ['a 10-character hosted zone id', { 'domain.hostedZoneId': 'ZEQ814LA8Y' }],
    ['a /23 over six zones', { region: 'us-east-1', 'vpc.cidr': '10.0.0.0/23', 'vpc.availabilityZones': SIX_ZONES }],
    [
      'a zone letter another account sees in an old region (us-west-1c)',
      { region: 'us-west-1', 'vpc.availabilityZones': ['us-west-1b', 'us-west-1c'] },
    ],
    ['a region the zone table does not list', { region: 'mx-central-1', 'vpc.availabilityZones': ['mx-central-1a', 'mx-central-1b'] }],
    ['a GovCloud region, of its own partition', { region: 'us-gov-west-1', 'vpc.availabilityZones': ['us-gov-west-1a', 'us-gov-west-1b'] }],
  ])('%s is accepted', (_title, edits) => {
    // THEN
    expect(problemsAfter(edits)).toEqual([]);
  });

  test('zone letters of the oldest regions follow the zone ids, since each account has its own letters', () => {
    // THEN: us-west-1 has usw1-az1 and usw1-az3; ap-northeast-1 retired its b for new accounts, which see a, c, d.
    expect(zonesOf('us-west-1')).toEqual(['us-west-1a', 'us-west-1b', 'us-west-1c']);
    expect(zonesOf('ap-northeast-1')).toEqual(['ap-northeast-1a', 'ap-northeast-1b', 'ap-northeast-1c', 'ap-northeast-1d']);
    expect(zonesOf('eu-central-1')).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    expect(zonesOf('mx-central-1')).toBeUndefined();
  });
});

describe('the zone table', () => {
  test('names its source and date, and lists regions aws-cdk-lib knows with zones and zone ids of each', () => {
    // GIVEN
    const known = RegionInfo.regions.map((r) => r.name);

    // THEN
    expect(zoneTable.source).toMatchObject({
      repository: 'getmoto/moto',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    expect(Object.keys(zoneTable.regions).length).toBeGreaterThanOrEqual(30);
    for (const [region, { zones, zoneIds }] of Object.entries(zoneTable.regions)) {
      expect(known).toContain(region);
      expect(zones.length).toBeGreaterThanOrEqual(2);
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${region}[a-z]$`));
      for (const id of zoneIds) expect(id).toMatch(/^[a-z]+\d+-az\d+$/);
    }
  });
});

describe('a misspelt field name is reported once, as the unknown field with the closest known name', () => {
  test('instanceTyp on live (arm64) is one line, not also an architecture that does not match the default type', () => {
    // WHEN
    const problems = problemsAfter({ 'environments.live.instanceType': DELETE, 'environments.live.instanceTyp': 't4g.medium' });

    // THEN
    expect(problems).toEqual([
      expect.stringMatching(/^environments\.live\.instanceTyp: unknown field; did you mean instanceType\? \(allowed fields are: .*\)$/),
    ]);
  });

  test('a misspelt required field is not also reported missing', () => {
    // WHEN
    const problems = problemsAfter({ region: DELETE, regin: 'eu-west-1' });

    // THEN
    expect(problems).toEqual([expect.stringMatching(/^regin: unknown field; did you mean region\? \(allowed fields are: .*\)$/)]);
  });

  test('a misspelt engine does not make the postgres version a problem of the default mysql', () => {
    // WHEN
    const problems = problemsAfter({ 'environments.pre.database': { enabled: true, engin: 'postgres', engineVersion: '16' } });

    // THEN
    expect(problems).toEqual([
      expect.stringMatching(/^environments\.pre\.database\.engin: unknown field; did you mean engine\? \(allowed fields are: .*\)$/),
    ]);
  });

  test('a misspelt instanceSubnets does not make the NAT gateways a problem', () => {
    // WHEN
    const problems = problemsAfter({ 'vpc.instanceSubnets': DELETE, 'vpc.instanceSubnet': 'public', 'vpc.natGateways': 0 });

    // THEN
    expect(problems).toEqual([
      expect.stringMatching(/^vpc\.instanceSubnet: unknown field; did you mean instanceSubnets\? \(allowed fields are: .*\)$/),
    ]);
  });

  test('a name far from every field gets no guess', () => {
    // THEN
    expect(problemsAfter({ 'environments.pre.colour': 'blue' })).toEqual([
      expect.stringMatching(/^environments\.pre\.colour: unknown field; allowed fields are: subdomain, .*, database$/),
    ]);
  });
});

describe('github.branch', () => {
  test('defaults to master', () => {
    // WHEN
    const config = parseConfig(exampleRawConfig());

    // THEN
    expect(config.github?.branch).toBe('master');
  });

  test('takes another branch name', () => {
    // GIVEN
    const raw = exampleRawConfig();
    (raw.github as Record<string, unknown>).branch = 'main';

    // THEN
    expect(parseConfig(raw).github?.branch).toBe('main');
  });

  test('accepts exactly the names `git check-ref-format --branch` accepts, less `@` and full refs', () => {
    // GIVEN names around each of git's rules (git-check-ref-format(1))
    const names = [
      'master',
      'main',
      'feature/login',
      'release-1.2',
      'x.lock.y',
      'ünïcode',
      'a@b',
      'x/HEAD',
      'HEAD',
      'x'.repeat(255),
      '-x',
      'a b',
      'a..b',
      'a/.b',
      '.a',
      'a.lock',
      'a/b.lock/c',
      'a@{b',
      'a/',
      '/a',
      'a//b',
      'a\\b',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[b',
      'a.',
      'a\tb',
      'a\u007fb',
    ];
    const repository = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-git-'));
    spawnSync('git', ['init', '--quiet'], { cwd: repository });
    const git = (name: string) =>
      spawnSync('git', ['check-ref-format', '--branch', name], { cwd: repository, encoding: 'utf8' }).status === 0;

    // the OIDC trust names refs/heads/<branch> itself, and `@` alone means HEAD to git commands.
    const refusedThoughGitTakes = ['@', 'refs/heads/x'];

    // WHEN
    const disagree = [...names, ...refusedThoughGitTakes].filter((name) => git(name) !== GIT_BRANCH.test(name));

    // THEN
    expect(disagree).toEqual(refusedThoughGitTakes);
  });
});
