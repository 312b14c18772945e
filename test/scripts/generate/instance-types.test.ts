import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compareInstanceTypes,
  joinInstanceTypes,
  main,
  parseEcsTrunking,
  parseKarpenterInstanceTypes,
  parseRdsClasses,
  parseVpcCniLimits,
  SOURCE_FILES,
} from '../../../scripts/generate/instance-types';

// small hand-made copies of each source's layout; the real files are much longer.
const KARPENTER = `---
title: "Instance Types"
---
## m7g Family
### \`m7g.medium\`
#### Labels
 | Label | Value |
 |--|--|
 |karpenter.k8s.aws/instance-cpu|1|
 |karpenter.k8s.aws/instance-memory|4096|
 |kubernetes.io/arch|arm64|
#### Resources
 | Resource | Quantity |
 |--|--|
 |cpu|940m|
## t3 Family
### \`t3.small\`
#### Labels
 | Label | Value |
 |--|--|
 |karpenter.k8s.aws/instance-cpu|2|
 |karpenter.k8s.aws/instance-memory|2048|
 |kubernetes.io/arch|amd64|
### \`t3.large\`
#### Labels
 |karpenter.k8s.aws/instance-cpu|2|
 |karpenter.k8s.aws/instance-memory|8192|
 |kubernetes.io/arch|amd64|
`;

const VPC_CNI = `package vpc

var instanceNetworkingLimits = map[string]InstanceTypeLimits{
\t"m7g.medium": {
\t\tENILimit:                2,
\t\tIPv4Limit:               4,
\t},
\t"t3.small": {
\t\tENILimit:                3,
\t\tIPv4Limit:               4,
\t\tNetworkCards: []NetworkCard{
\t\t\t{
\t\t\t\tMaximumNetworkInterfaces: 3,
\t\t\t},
\t\t},
\t},
\t"c6in.32xlarge": {
\t\tENILimit:                8,
\t\tNetworkCards: []NetworkCard{
\t\t\t{
\t\t\t\tMaximumNetworkInterfaces: 8,
\t\t\t},
\t\t\t{
\t\t\t\tMaximumNetworkInterfaces: 8,
\t\t\t},
\t\t},
\t},
}
`;

const ECS_ARCHIVED = `## Supported Amazon EC2 instance types<a name="eni-trunking-supported-instance-types"></a>

**Important**
Although other instance types are supported in the same instance family, the \`c5a.8xlarge\` and \`m5.metal\` instance types are not supported\\.
The \`m5n\` and \`z1d\` instance families are not supported\\.

| Instance type | Task limit without ENI trunking | Task limit with ENI trunking |
| --- | --- | --- |
| m7g\\.medium | 1 | 4 |
| m5n\\.large | 2 | 10 |
| c5a\\.8xlarge | 7 | 60 |
| c5a\\.large | 2 | 10 |
`;

function rds(regions: Record<string, [string, string[]][]>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(regions).map(([region, rules]) => [
        region,
        {
          allOf: rules.map(([engine, classes]) => ({
            if: { properties: { DBInstanceClass: { type: 'string' }, Engine: { const: engine }, LicenseModel: false } },
            then: { properties: { DBInstanceClass: { enum: classes } } },
          })),
        },
      ]),
    ),
  );
}

describe('the instance type sources are parsed', () => {
  test('Karpenter: vCPUs, memory and architecture per type, amd64 as x86_64', () => {
    expect(Object.fromEntries(parseKarpenterInstanceTypes(KARPENTER))).toEqual({
      'm7g.medium': { architecture: 'arm64', vcpus: 1, memoryMiB: 4096 },
      't3.small': { architecture: 'x86_64', vcpus: 2, memoryMiB: 2048 },
      't3.large': { architecture: 'x86_64', vcpus: 2, memoryMiB: 8192 },
    });
  });

  test('Karpenter: a type without a label stops the generator', () => {
    const broken = KARPENTER.replace(' |karpenter.k8s.aws/instance-memory|2048|\n', '');
    expect(() => parseKarpenterInstanceTypes(broken)).toThrow('karpenter: t3.small memory: undefined is not a whole number');
  });

  test('VPC CNI: the default card interface limit, not the sum over cards', () => {
    expect(Object.fromEntries(parseVpcCniLimits(VPC_CNI))).toEqual({ 'm7g.medium': 2, 't3.small': 3, 'c6in.32xlarge': 8 });
  });

  test('ECS trunking: rows less the types and families the notes call unsupported', () => {
    expect(Object.fromEntries(parseEcsTrunking(ECS_ARCHIVED))).toEqual({
      'm7g.medium': { withoutTrunking: 1, withTrunking: 4 },
      'c5a.large': { withoutTrunking: 2, withTrunking: 10 },
    });
  });

  test('ECS trunking: the current markdown layout, with plain dots, reads the same', () => {
    expect(parseEcsTrunking(ECS_ARCHIVED.replace(/\\\./g, '.'))).toEqual(parseEcsTrunking(ECS_ARCHIVED));
  });

  test('ECS trunking: a page without the notes stops the generator instead of trunking every row', () => {
    expect(() => parseEcsTrunking(ECS_ARCHIVED.replace(/are not supported/g, 'are fine'))).toThrow(/notes are missing/);
  });

  test('RDS: classes of mysql and postgres over every region, other engines ignored', () => {
    const text = rds({
      'eu-west-1': [
        ['mysql', ['db.t4g.micro', 'db.m7g.large']],
        ['oracle-ee', ['db.x2iezn.2xlarge']],
      ],
      'us-east-1': [['postgres', ['db.t4g.micro', 'db.r8g.large']]],
    });
    expect(Object.fromEntries(parseRdsClasses(text))).toEqual({
      'db.t4g.micro': ['mysql', 'postgres'],
      'db.m7g.large': ['mysql'],
      'db.r8g.large': ['postgres'],
    });
  });
});

describe('the sources are joined into one table', () => {
  test('each type gets its interfaces and trunked limit; types without an interface limit are left out', () => {
    // GIVEN
    const shapes = parseKarpenterInstanceTypes(KARPENTER);
    const interfaces = parseVpcCniLimits(VPC_CNI);
    const trunking = parseEcsTrunking(ECS_ARCHIVED);

    // WHEN
    const joined = joinInstanceTypes(shapes, interfaces, trunking);

    // THEN
    expect(Object.fromEntries(joined.rows)).toEqual({
      'm7g.medium': { architecture: 'arm64', vcpus: 1, memoryMiB: 4096, maxNetworkInterfaces: 2, trunkedTaskLimit: 4 },
      't3.small': { architecture: 'x86_64', vcpus: 2, memoryMiB: 2048, maxNetworkInterfaces: 3, trunkedTaskLimit: null },
    });
    expect(joined.withoutInterfaceLimit).toEqual(['t3.large']);
    expect(joined.trunkingUnmatched).toEqual(['c5a.large']);
  });

  test('a disagreement between ECS and the interface limit is reported', () => {
    const joined = joinInstanceTypes(
      new Map([['c6in.32xlarge', { architecture: 'x86_64', vcpus: 128, memoryMiB: 262144 }]]),
      parseVpcCniLimits(VPC_CNI),
      new Map([['c6in.32xlarge', { withoutTrunking: 13, withTrunking: 120 }]]),
    );
    expect(joined.interfaceMismatches).toEqual(['c6in.32xlarge (ECS: 13 tasks, VPC CNI: 8 interfaces)']);
    expect(joined.rows.get('c6in.32xlarge')?.maxNetworkInterfaces).toBe(8);
  });

  test('types sort by family, then size as people read them', () => {
    expect(['m5.2xlarge', 'm5.metal', 'm5.large', 'c5.xlarge', 'm5.xlarge', 'm5.12xlarge'].sort(compareInstanceTypes)).toEqual([
      'c5.xlarge',
      'm5.large',
      'm5.xlarge',
      'm5.2xlarge',
      'm5.12xlarge',
      'm5.metal',
    ]);
  });
});

describe('npm run generate:instance-types', () => {
  test('writes both modules, formatted, with each source and the hash of the copy read', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sources-'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-facts-'));
    fs.writeFileSync(path.join(dir, SOURCE_FILES.karpenter), KARPENTER);
    fs.writeFileSync(path.join(dir, SOURCE_FILES.vpcCni), VPC_CNI);
    fs.writeFileSync(path.join(dir, SOURCE_FILES.ecsTrunking), ECS_ARCHIVED);
    fs.writeFileSync(path.join(dir, SOURCE_FILES.rds), rds({ 'eu-west-1': [['mysql', ['db.t4g.micro']]] }));

    // WHEN
    const report = main(['--dir', dir, '--out', out]);

    // THEN
    expect(report[0]).toBe(`2 EC2 instance types (1 with ENI trunking), 1 RDS DB instance classes, written to ${out}`);
    expect(report[1]).toContain('t3.large');
    const ec2 = fs.readFileSync(path.join(out, 'ec2-instance-types.ts'), 'utf8');
    expect(ec2).toContain(
      "  't3.small': { architecture: 'x86_64', vcpus: 2, memoryMiB: 2048, maxNetworkInterfaces: 3, trunkedTaskLimit: null },\n",
    );
    expect(ec2).toContain('https://github.com/aws/karpenter-provider-aws/blob/');
    expect(ec2).toMatch(/sha256: '[0-9a-f]{64}'/);
    const classes = fs.readFileSync(path.join(out, 'rds-instance-classes.ts'), 'utf8');
    expect(classes).toContain("  'db.t4g.micro': ['mysql'],\n");
  });

  test('without a source it says which flag to give', () => {
    expect(() => main(['--karpenter', 'x.md'])).toThrow('give --dir <folder> or --vpc-cni <file>');
  });
});
