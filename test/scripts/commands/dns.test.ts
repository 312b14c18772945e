import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { createDnsCommand, dns as realDns } from '../../../scripts/commands/dns';
import { EXIT } from '../../../scripts/core/errors';
import { startDnsServer, type LocalDnsServer } from '../../_helpers/dns-server';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';

const NOW = new Date('2026-11-23T12:00:00Z');
const ALB_IPS = ['192.0.2.10'];

function givenDns(domainTarget: string, certificateDays: number) {
  const manifest = givenManifest('live');
  aws.route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      {
        Name: 'be.example.com.',
        Type: 'A',
        AliasTarget: { DNSName: `${domainTarget}.`, HostedZoneId: 'Z32O12XQLNTSW2', EvaluateTargetHealth: true },
      },
    ],
    IsTruncated: false,
    MaxItems: 20,
  });
  aws.acm.on(DescribeCertificateCommand).resolves({
    Certificate: { DomainName: 'be.example.com', Status: 'ISSUED', NotAfter: new Date(NOW.getTime() + certificateDays * 86_400_000) },
  });
  return manifest;
}

beforeEach(() => resetAwsMocks());

describe('berth dns', () => {
  const dns = createDnsCommand({ resolve: async () => ALB_IPS, now: () => NOW });

  test('every link ok prints them and exits 0', async () => {
    // GIVEN
    const manifest = givenDns(exampleDnsName(), 90);

    // WHEN
    const { code, out } = await runCommand(dns, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('be.example.com (live)');
    expect(out).toContain(`ok    DNS alias    be.example.com A alias → ${manifest.loadBalancer.dnsName}`);
    expect(out).toContain('every link is ok.');
  });

  test('an alias to elsewhere fails with exit 4 and the fix; --json carries the findings', async () => {
    // GIVEN
    givenDns('other-123.eu-west-1.elb.amazonaws.com', 90);

    // WHEN
    const { code, out } = await runCommand(dns, ['live', '--json']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    const document = JSON.parse(out);
    expect(document.status).toBe('fail');
    expect(document.findings.map((f: { link: string; status: string }) => [f.link, f.status])).toEqual([
      ['DNS alias', 'fail'],
      ['certificate', 'ok'],
      ['public DNS', 'ok'],
    ]);
  });

  test('a certificate near expiry alone is a warning: exit 6', async () => {
    // GIVEN
    givenDns(exampleDnsName(), 12);

    // WHEN
    const { code, out } = await runCommand(dns, ['live']);

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(out).toContain('WARN  certificate');
    expect(out).toContain('fix: ACM validates through a CNAME');
  });

  test('a denied read is a warning naming the permission, and the other links are still checked', async () => {
    // GIVEN
    givenDns(exampleDnsName(), 90);
    aws.route53.on(ListResourceRecordSetsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    // WHEN
    const { code, out } = await runCommand(dns, ['live']);

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(out).toContain('WARN  DNS alias    could not check: AWS denied route53:ListResourceRecordSets');
    expect(out).toContain('ok    certificate');
  });
});

function exampleDnsName(): string {
  return 'berth-live-123456789.eu-west-1.elb.amazonaws.com';
}

describe('berth dns with resolvers chosen for this network', () => {
  // the real resolver of berth dns, asking a DNS server on 127.0.0.1 only.
  let server: LocalDnsServer;
  beforeAll(async () => {
    server = await startDnsServer({ 'be.example.com': ALB_IPS, [exampleDnsName()]: ALB_IPS });
  });
  afterAll(() => server.close());
  beforeEach(() => server.questions.splice(0));

  test('--resolver names the resolver the public-DNS link asks', async () => {
    // GIVEN
    givenDns(exampleDnsName(), 90);

    // WHEN
    const { code, out } = await runCommand(realDns, ['live', '--resolver', `Office=${server.address}`]);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain("ok    public DNS   public resolvers answer the load balancer's addresses");
    expect(out).toContain(`Office (${server.address}): 192.0.2.10 (the load balancer's)`);
    expect(server.questions.sort()).toEqual(['be.example.com', exampleDnsName()]);
  });

  test('BERTH_PUBLIC_RESOLVERS names them when --resolver does not', async () => {
    // GIVEN
    givenDns(exampleDnsName(), 90);

    // WHEN
    const { code, out } = await runCommand(realDns, ['live'], {
      env: { BERTH_PUBLIC_RESOLVERS: `Office=${server.address},Lab=${server.address}` },
    });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(`Office (${server.address}): 192.0.2.10`);
    expect(out).toContain(`Lab (${server.address}): 192.0.2.10`);
  });

  test('--skip-public-dns reports the link as skipped and asks no resolver', async () => {
    // GIVEN
    givenDns(exampleDnsName(), 90);

    // WHEN
    const { code, out } = await runCommand(realDns, ['live', '--skip-public-dns', '--json']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out).findings).toContainEqual({ link: 'public DNS', status: 'skip', summary: 'skipped (--skip-public-dns)' });
    expect(server.questions).toEqual([]);
  });

  test('a malformed resolver is a usage error before any AWS call', async () => {
    // WHEN
    const { code, err } = await runCommand(realDns, ['live', '--resolver', 'Office=10.0.0']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('berth dns: --resolver "Office=10.0.0" is not Name=ip[:port]');
    expect(aws.ssm.calls()).toHaveLength(0);
  });
});
