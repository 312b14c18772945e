import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { ACMClient } from '@aws-sdk/client-acm';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { checkAliasRecords, checkCertificate, checkPublicResolvers, type ResolveAddresses } from '../../../scripts/checks/dns';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('live');
const NOW = new Date('2026-11-23T12:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const alias = (type: 'A' | 'AAAA', dnsName: string, zone = manifest.loadBalancer.canonicalHostedZoneId) => ({
  Name: 'be.example.com.',
  Type: type,
  AliasTarget: { DNSName: `dualstack.${dnsName}.`, HostedZoneId: zone, EvaluateTargetHealth: true },
});

beforeEach(() => resetAwsMocks());

describe('the DNS alias check', () => {
  test("an A and AAAA alias to this environment's load balancer is ok", async () => {
    // GIVEN
    aws.route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        alias('A', manifest.loadBalancer.dnsName),
        alias('AAAA', manifest.loadBalancer.dnsName),
        { ...alias('A', 'x'), Name: 'c.be.example.com.' },
      ],
      IsTruncated: false,
      MaxItems: 20,
    });

    // WHEN
    const finding = await checkAliasRecords(new Route53Client({}), manifest);

    // THEN
    expect(finding).toEqual({ link: 'DNS alias', status: 'ok', summary: `be.example.com A/AAAA alias → ${manifest.loadBalancer.dnsName}` });
    expect(aws.route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: manifest.hostedZoneId,
      StartRecordName: 'be.example.com.',
    });
  });

  test('an alias to another load balancer fails and says how to put it back', async () => {
    // GIVEN
    const pre = exampleManifest('pre');
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [alias('A', pre.loadBalancer.dnsName)], IsTruncated: false, MaxItems: 20 });

    // WHEN
    const finding = await checkAliasRecords(new Route53Client({}), manifest);

    // THEN
    expect(finding.status).toBe('fail');
    expect(finding.details).toEqual([
      `A alias points at ${pre.loadBalancer.dnsName} (zone Z32O12XQLNTSW2), not this environment's load balancer ${manifest.loadBalancer.dnsName}`,
    ]);
    expect(finding.fix).toContain('npx cdk deploy berth-live');
  });

  test('a plain A record instead of an alias fails', async () => {
    // GIVEN
    aws.route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [{ Name: 'be.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '198.51.100.1' }] }],
      IsTruncated: false,
      MaxItems: 20,
    });

    // WHEN
    const finding = await checkAliasRecords(new Route53Client({}), manifest);

    // THEN
    expect(finding.status).toBe('fail');
    expect(finding.details).toEqual(['A is not an alias: it points at 198.51.100.1']);
  });

  test('no record at all fails', async () => {
    // GIVEN
    aws.route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 20 });

    // WHEN
    const finding = await checkAliasRecords(new Route53Client({}), manifest);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({ status: 'fail', summary: 'no A record for be.example.com in hosted zone Z0123456789ABCDEFGHIJ' }),
    );
  });
});

describe('the certificate check', () => {
  const issued = (overrides: object = {}) => ({
    Certificate: {
      CertificateArn: manifest.certificateArn,
      DomainName: 'be.example.com',
      Status: 'ISSUED' as const,
      NotAfter: days(200),
      ...overrides,
    },
  });

  test('an issued certificate far from expiry is ok', async () => {
    // GIVEN
    aws.acm.on(DescribeCertificateCommand, { CertificateArn: manifest.certificateArn }).resolves(issued());

    // WHEN
    const finding = await checkCertificate(new ACMClient({}), manifest, NOW);

    // THEN
    expect(finding).toEqual({ link: 'certificate', status: 'ok', summary: 'ISSUED, covers be.example.com, expires 2027-06-11 (200 days)' });
  });

  test('a wildcard one label up covers the name', async () => {
    // GIVEN
    aws.acm
      .on(DescribeCertificateCommand)
      .resolves(issued({ DomainName: 'example.com', SubjectAlternativeNames: ['example.com', '*.example.com'] }));

    // WHEN
    const finding = await checkCertificate(new ACMClient({}), manifest, NOW);

    // THEN
    expect(finding.status).toBe('ok');
  });

  test('a certificate for other names fails', async () => {
    // GIVEN
    aws.acm
      .on(DescribeCertificateCommand)
      .resolves(issued({ DomainName: 'pre-be.example.com', SubjectAlternativeNames: ['*.pre-be.example.com'] }));

    // WHEN
    const finding = await checkCertificate(new ACMClient({}), manifest, NOW);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({
        status: 'fail',
        summary: 'certificate covers pre-be.example.com, *.pre-be.example.com, not be.example.com',
      }),
    );
  });

  test('a certificate near expiry warns, and fails in its last week', async () => {
    // GIVEN
    aws.acm
      .on(DescribeCertificateCommand)
      .resolvesOnce(
        issued({
          NotAfter: days(20),
          RenewalSummary: { RenewalStatus: 'PENDING_VALIDATION', DomainValidationOptions: [], UpdatedAt: NOW },
        }),
      )
      .resolvesOnce(issued({ NotAfter: days(3) }));

    // WHEN
    const soon = await checkCertificate(new ACMClient({}), manifest, NOW);
    const imminent = await checkCertificate(new ACMClient({}), manifest, NOW);

    // THEN
    expect(soon).toEqual(
      expect.objectContaining({
        status: 'warn',
        summary: expect.stringContaining('certificate expires in 20 day(s)'),
        details: ['renewal: PENDING_VALIDATION'],
      }),
    );
    expect(soon.fix).toContain('CNAME in hosted zone Z0123456789ABCDEFGHIJ');
    expect(imminent.status).toBe('fail');
  });

  test('an expired or unissued certificate fails', async () => {
    // GIVEN
    aws.acm
      .on(DescribeCertificateCommand)
      .resolvesOnce(issued({ NotAfter: days(-1) }))
      .resolvesOnce(issued({ Status: 'PENDING_VALIDATION' }));

    // WHEN
    const expired = await checkCertificate(new ACMClient({}), manifest, NOW);
    const pending = await checkCertificate(new ACMClient({}), manifest, NOW);

    // THEN
    expect(expired).toEqual(expect.objectContaining({ status: 'fail', summary: 'certificate expired on 2026-11-22' }));
    expect(pending).toEqual(expect.objectContaining({ status: 'fail', summary: 'certificate is PENDING_VALIDATION, not ISSUED' }));
  });
});

describe('the public resolvers check', () => {
  const ALB = ['192.0.2.10', '192.0.2.11'];
  const resolverAnswering =
    (domain: string[] | Error): ResolveAddresses =>
    async (_server, name) => {
      if (name === manifest.loadBalancer.dnsName) return ALB;
      if (domain instanceof Error) throw domain;
      return domain;
    };
  const dnsError = (code: string) => Object.assign(new Error(`queryA ${code}`), { code });

  test("answers among the load balancer's addresses are ok", async () => {
    // WHEN
    const finding = await checkPublicResolvers(resolverAnswering(['192.0.2.11']), manifest);

    // THEN
    expect(finding.status).toBe('ok');
    expect(finding.details).toEqual([
      "Cloudflare (1.1.1.1): 192.0.2.11 (the load balancer's)",
      "Google (8.8.8.8): 192.0.2.11 (the load balancer's)",
    ]);
  });

  test('answers elsewhere warn: cached, or the registrar delegates to another zone', async () => {
    // WHEN
    const finding = await checkPublicResolvers(resolverAnswering(['198.51.100.1']), manifest);

    // THEN
    expect(finding.status).toBe('warn');
    expect(finding.details?.[0]).toBe('Cloudflare (1.1.1.1): 198.51.100.1, the load balancer is at 192.0.2.10, 192.0.2.11');
    expect(finding.fix).toContain('another zone than Z0123456789ABCDEFGHIJ');
  });

  test('no answer fails and points at the delegation', async () => {
    // WHEN
    const finding = await checkPublicResolvers(resolverAnswering(dnsError('ENOTFOUND')), manifest);

    // THEN
    expect(finding.status).toBe('fail');
    expect(finding.fix).toContain('aws route53 get-hosted-zone --id Z0123456789ABCDEFGHIJ');
  });

  test('no reachable resolver only warns', async () => {
    // WHEN
    const finding = await checkPublicResolvers(resolverAnswering(dnsError('ETIMEOUT')), manifest);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({ status: 'warn', summary: 'could not ask any public resolver (offline, or DNS over UDP blocked here)' }),
    );
  });
});
