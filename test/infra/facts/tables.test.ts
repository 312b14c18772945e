import { EC2_INSTANCE_TYPE_SOURCES, EC2_INSTANCE_TYPES } from '../../../infra/facts/ec2-instance-types';
import { RDS_INSTANCE_CLASS_SOURCES, RDS_INSTANCE_CLASSES } from '../../../infra/facts/rds-instance-classes';

const TYPE_NAME = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

describe('the generated EC2 instance type table', () => {
  const rows = Object.entries(EC2_INSTANCE_TYPES);

  test('holds every current family berth users pick', () => {
    // THEN
    expect(rows.length).toBeGreaterThan(1000);
    for (const family of [
      't3',
      't3a',
      't4g',
      'm5',
      'm6i',
      'm6g',
      'm7i',
      'm7g',
      'm8g',
      'c5',
      'c6g',
      'c6i',
      'c7g',
      'c7i',
      'r6g',
      'r6i',
      'r7g',
    ]) {
      expect([family, `${family}.large` in EC2_INSTANCE_TYPES]).toEqual([family, true]);
    }
  });

  test('has a complete, plausible row for every type', () => {
    // WHEN: each row's checks that fail, by name (one assertion for the table, not thousands)
    const checks: Record<string, (name: string, row: (typeof rows)[number][1]) => boolean> = {
      name: (name) => TYPE_NAME.test(name),
      architecture: (_, row) => ['x86_64', 'arm64'].includes(row.architecture),
      vcpus: (_, row) => Number.isInteger(row.vcpus) && row.vcpus >= 1 && row.vcpus <= 2048,
      memoryMiB: (_, row) => Number.isInteger(row.memoryMiB) && row.memoryMiB >= 512,
      maxNetworkInterfaces: (_, row) => Number.isInteger(row.maxNetworkInterfaces) && row.maxNetworkInterfaces >= 1,
      // trunking only ever adds task interfaces.
      trunkedTaskLimit: (_, row) =>
        row.trunkedTaskLimit === null || (Number.isInteger(row.trunkedTaskLimit) && row.trunkedTaskLimit >= row.maxNetworkInterfaces - 1),
    };
    const failing = rows.flatMap(([name, row]) =>
      Object.entries(checks)
        .filter(([, check]) => !check(name, row))
        .map(([field]) => `${name}: ${field}`),
    );

    // THEN
    expect(failing).toEqual([]);
  });

  test.each([
    ['t3.small', { architecture: 'x86_64', vcpus: 2, memoryMiB: 2048, maxNetworkInterfaces: 3, trunkedTaskLimit: null }],
    // the one small burstable type with two interfaces, not three.
    ['t3a.small', { architecture: 'x86_64', vcpus: 2, memoryMiB: 2048, maxNetworkInterfaces: 2, trunkedTaskLimit: null }],
    ['t4g.medium', { architecture: 'arm64', vcpus: 2, memoryMiB: 4096, maxNetworkInterfaces: 3, trunkedTaskLimit: null }],
    // the ECS guide's own example: a c5.large runs 2 tasks, 10 with trunking.
    ['c5.large', { architecture: 'x86_64', vcpus: 2, memoryMiB: 4096, maxNetworkInterfaces: 3, trunkedTaskLimit: 10 }],
    ['m7g.medium', { architecture: 'arm64', vcpus: 1, memoryMiB: 4096, maxNetworkInterfaces: 2, trunkedTaskLimit: 4 }],
  ])('knows %s', (name, row) => {
    expect(EC2_INSTANCE_TYPES[name]).toEqual(row);
  });

  test.each(['m7g.nano', 't3.metal', 't3.gigantic', 'c5a.8xlarge-x'])('does not know %s, which EC2 does not offer', (name) => {
    expect(EC2_INSTANCE_TYPES[name]).toBeUndefined();
  });

  test('ECS trunking is absent where the ECS guide says it is not supported', () => {
    // THEN: the burstable T families, a listed exception and a listed family.
    expect(rows.filter(([name, row]) => /^t\d/.test(name) && row.trunkedTaskLimit !== null)).toEqual([]);
    expect(EC2_INSTANCE_TYPES['c5a.8xlarge'].trunkedTaskLimit).toBeNull();
    expect(EC2_INSTANCE_TYPES['m5n.large'].trunkedTaskLimit).toBeNull();
  });
});

describe('the generated RDS DB instance class table', () => {
  const rows = Object.entries(RDS_INSTANCE_CLASSES);

  test('has engines for every class', () => {
    expect(rows.length).toBeGreaterThan(100);
    for (const [name, engines] of rows) {
      // THEN
      expect([name, /^db\.[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(name)]).toEqual([name, true]);
      expect([name, engines.length > 0 && engines.every((e, i) => ['mysql', 'postgres'].indexOf(e) >= i)]).toEqual([name, true]);
    }
  });

  test.each(['db.t4g.micro', 'db.t4g.small', 'db.t3.micro', 'db.m7g.large', 'db.r6g.large'])('offers %s for mysql and postgres', (name) => {
    expect(RDS_INSTANCE_CLASSES[name]).toEqual(['mysql', 'postgres']);
  });

  test.each(['db.c5.large', 'db.t4g.nano', 'db.m7g.nano'])('does not know %s, which RDS does not offer', (name) => {
    expect(RDS_INSTANCE_CLASSES[name]).toBeUndefined();
  });
});

describe('the tables name their sources', () => {
  test.each([
    ['EC2', EC2_INSTANCE_TYPE_SOURCES, 3],
    ['RDS', RDS_INSTANCE_CLASS_SOURCES, 1],
  ] as const)('%s: repository, commit, date, licence and the hash of the copy read', (_table, sources, count) => {
    expect(sources).toHaveLength(count);
    for (const source of sources) {
      expect(source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.date).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(source.licence).toMatch(/^(Apache-2\.0|MIT-0|CC-BY-SA-4\.0)$/);
      expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(source.gives.length).toBeGreaterThan(10);
    }
  });
});
