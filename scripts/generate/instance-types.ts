/**
 * `npm run generate:instance-types -- --dir <folder>`: writes berth's tables of EC2 instance types and RDS DB
 * instance classes (infra/facts/) from public, named sources, so that a config is checked offline, as AWS
 * would check it, without a network call at synth time.
 *
 * No single public source has every column, so the table joins four (scripts/generate/instance-type-sources.json
 * names each, with its repository, path, commit, date and licence, and says which columns it gives). The folder
 * holds one downloaded copy of each source, named as {@link SOURCE_FILES} says; `--karpenter <file>` and the
 * like name one file directly. To refresh the tables, download each file at a newer commit, update the commit
 * and date in instance-type-sources.json, run this script and `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { GeneratedInstanceType, TableSource } from '../../infra/facts/table-types';

/** A source of the tables, as instance-type-sources.json describes it (the generated modules add the hash). */
export type Source = Omit<TableSource, 'sha256'>;

/** The four sources, by id. */
export interface Sources {
  readonly karpenter: Source;
  readonly vpcCni: Source;
  readonly ecsTrunking: Source;
  readonly rds: Source;
}

/** The id of a source. */
export type SourceId = keyof Sources;

/** File names of the sources in the `--dir` folder. */
export const SOURCE_FILES: Readonly<Record<SourceId, string>> = {
  karpenter: 'karpenter-instance-types.md',
  vpcCni: 'vpc-cni-vpc_ip_resource_limit.go',
  ecsTrunking: 'ecs-container-instance-eni.md',
  rds: 'cfn-lint-dbinstanceclass_enum.json',
};

/** The command-line flag of each source. */
const SOURCE_FLAGS: Readonly<Record<SourceId, string>> = {
  karpenter: 'karpenter',
  vpcCni: 'vpc-cni',
  ecsTrunking: 'ecs-trunking',
  rds: 'rds',
};

/** An instance type's architecture as the ECS-optimized AMI names it. */
export type Architecture = GeneratedInstanceType['architecture'];

/** One row of Karpenter's reference: what EC2 says of a type. */
export type TypeShape = Pick<GeneratedInstanceType, 'architecture' | 'vcpus' | 'memoryMiB'>;

/** ECS's trunking facts of one type. */
export interface TrunkingRow {
  /** tasks the type runs without trunking (the ECS table's own column, for a cross-check). */
  readonly withoutTrunking: number;
  /** tasks it runs with trunking. */
  readonly withTrunking: number;
}

/** One row of the generated EC2 table. */
export type InstanceTypeRow = GeneratedInstanceType;

/** Karpenter's architecture label (`kubernetes.io/arch`) to the AMI's name. */
const KUBERNETES_ARCHITECTURES: Readonly<Record<string, Architecture>> = { amd64: 'x86_64', arm64: 'arm64' };

const INSTANCE_TYPE_NAME = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

function wholeNumber(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${what}: ${JSON.stringify(text)} is not a whole number`);
  return Number(text);
}

/**
 * Reads Karpenter's instance types reference: a `### \`type\`` heading per type, then a table of labels
 * (`|karpenter.k8s.aws/instance-cpu|2|`) whose nominal vCPUs, memory (MiB) and architecture it takes.
 * @param text the markdown file
 */
export function parseKarpenterInstanceTypes(text: string): Map<string, TypeShape> {
  const types = new Map<string, TypeShape>();
  const sections = text.split(/^### `/m).slice(1);
  for (const section of sections) {
    const name = section.slice(0, section.indexOf('`'));
    if (!INSTANCE_TYPE_NAME.test(name)) throw new Error(`karpenter: "${name}" is not an instance type name`);
    const label = (key: string) => new RegExp(`^ *\\|${key.replace(/[./]/g, '\\$&')}\\|([^|]*)\\|`, 'm').exec(section)?.[1];
    const architecture = KUBERNETES_ARCHITECTURES[label('kubernetes.io/arch') ?? ''];
    if (architecture === undefined) throw new Error(`karpenter: ${name} has architecture ${JSON.stringify(label('kubernetes.io/arch'))}`);
    types.set(name, {
      architecture,
      vcpus: wholeNumber(label('karpenter.k8s.aws/instance-cpu'), `karpenter: ${name} vCPUs`),
      memoryMiB: wholeNumber(label('karpenter.k8s.aws/instance-memory'), `karpenter: ${name} memory`),
    });
  }
  if (types.size === 0) throw new Error('karpenter: no instance type found; is this the instance-types.md reference?');
  return types;
}

/**
 * Reads the VPC CNI's generated Go map of networking limits: `"type": {` then `ENILimit: N,` (the default
 * network card's maximum network interfaces; on a type with several cards this is less than the sum, which
 * is the conservative figure for task interfaces).
 * @param text the Go file
 */
export function parseVpcCniLimits(text: string): Map<string, number> {
  const limits = new Map<string, number>();
  const entry = /^\t"([^"]+)": \{\n([\s\S]*?)^\t\},?$/gm;
  for (const match of text.matchAll(entry)) {
    const eniLimit = /^\t\tENILimit:\s*(\d+),$/m.exec(match[2])?.[1];
    limits.set(match[1], wholeNumber(eniLimit, `vpc-cni: ${match[1]} ENILimit`));
  }
  if (limits.size === 0) throw new Error('vpc-cni: no instance type found; is this vpc_ip_resource_limit.go?');
  return limits;
}

/**
 * Reads the ECS developer guide's ENI trunking page: table rows `| c5\.large | 2 | 10 |` (dots escaped in the
 * archived markdown, plain in the current one), less the types and families its "not supported" notes name,
 * even where a table row lists them (the 2023 page lists m5n rows and names the m5n family unsupported; the
 * conservative reading wins).
 * @param text the markdown page
 */
export function parseEcsTrunking(text: string): Map<string, TrunkingRow> {
  const plain = text.replace(/\\([.\-()])/g, '$1');
  const rows = new Map<string, TrunkingRow>();
  for (const match of plain.matchAll(/^\| *([a-z][a-z0-9-]*\.[a-z0-9-]+) *\| *(\d+) *\| *(\d+) *\|/gm)) {
    rows.set(match[1], { withoutTrunking: Number(match[2]), withTrunking: Number(match[3]) });
  }
  if (rows.size === 0) throw new Error('ecs-trunking: no table row found; is this the ENI trunking page?');
  const notSupported = (pattern: RegExp) =>
    plain
      .split('\n')
      .filter((line) => pattern.test(line))
      .flatMap((line) => [...line.matchAll(/`([a-z0-9.-]+)`/g)].map((m) => m[1]));
  const types = notSupported(/instance types are not supported/);
  const families = notSupported(/instance families are not supported/);
  if (types.length === 0 || families.length === 0) {
    throw new Error('ecs-trunking: the "not supported" notes are missing; the page layout changed, check the parser');
  }
  for (const name of [...rows.keys()]) {
    if (types.includes(name) || families.includes(name.split('.')[0])) rows.delete(name);
  }
  return rows;
}

/** The engines berth runs, as RDS names them. */
export const DATABASE_ENGINES = ['mysql', 'postgres'] as const;

/**
 * Reads cfn-lint's `dbinstanceclass_enum.json`: per region, `allOf` entries whose `if` names an `Engine` and
 * whose `then` lists the `DBInstanceClass` values; returns each class any region offers for mysql or postgres.
 * @param text the JSON file
 */
export function parseRdsClasses(text: string): Map<string, string[]> {
  const data = JSON.parse(text) as Record<string, { allOf?: unknown[] }>;
  const classes = new Map<string, Set<string>>();
  for (const [region, schema] of Object.entries(data)) {
    for (const entry of schema.allOf ?? []) {
      const rule = entry as {
        if?: { properties?: { Engine?: { const?: unknown } } };
        then?: { properties?: { DBInstanceClass?: { enum?: unknown } } };
      };
      const engine = rule.if?.properties?.Engine?.const;
      if (typeof engine !== 'string' || !(DATABASE_ENGINES as readonly string[]).includes(engine)) continue;
      const names = rule.then?.properties?.DBInstanceClass?.enum;
      if (!Array.isArray(names)) throw new Error(`rds: ${region} ${engine} has no DBInstanceClass enum`);
      for (const name of names) {
        if (typeof name !== 'string' || !/^db\.[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(name)) {
          throw new Error(`rds: ${region} ${engine}: ${JSON.stringify(name)} is not a DB instance class`);
        }
        const engines = classes.get(name) ?? new Set<string>();
        engines.add(engine);
        classes.set(name, engines);
      }
    }
  }
  if (classes.size === 0) throw new Error('rds: no mysql or postgres class found; is this dbinstanceclass_enum.json?');
  return new Map([...classes].map(([name, engines]) => [name, DATABASE_ENGINES.filter((e) => engines.has(e))]));
}

/** The EC2 table and what the join left out or found inconsistent, for the generator's report. */
export interface JoinedTable {
  readonly rows: Map<string, InstanceTypeRow>;
  /** types Karpenter lists without a network interface limit in the VPC CNI file (left out). */
  readonly withoutInterfaceLimit: string[];
  /** types the ECS trunking table lists that Karpenter does not. */
  readonly trunkingUnmatched: string[];
  /** types whose ECS "without trunking" limit is not the interface limit less one. */
  readonly interfaceMismatches: string[];
}

/**
 * Joins the sources into the EC2 table: every type Karpenter lists that has an interface limit.
 * @param shapes from {@link parseKarpenterInstanceTypes}
 * @param interfaces from {@link parseVpcCniLimits}
 * @param trunking from {@link parseEcsTrunking}
 */
export function joinInstanceTypes(
  shapes: ReadonlyMap<string, TypeShape>,
  interfaces: ReadonlyMap<string, number>,
  trunking: ReadonlyMap<string, TrunkingRow>,
): JoinedTable {
  const rows = new Map<string, InstanceTypeRow>();
  const withoutInterfaceLimit: string[] = [];
  const interfaceMismatches: string[] = [];
  for (const name of [...shapes.keys()].sort(compareInstanceTypes)) {
    const maxNetworkInterfaces = interfaces.get(name);
    if (maxNetworkInterfaces === undefined) {
      withoutInterfaceLimit.push(name);
      continue;
    }
    const trunk = trunking.get(name);
    if (trunk && trunk.withoutTrunking !== maxNetworkInterfaces - 1) {
      interfaceMismatches.push(`${name} (ECS: ${trunk.withoutTrunking} tasks, VPC CNI: ${maxNetworkInterfaces} interfaces)`);
    }
    rows.set(name, { ...shapes.get(name)!, maxNetworkInterfaces, trunkedTaskLimit: trunk?.withTrunking ?? null });
  }
  const trunkingUnmatched = [...trunking.keys()].filter((name) => !shapes.has(name)).sort(compareInstanceTypes);
  return { rows, withoutInterfaceLimit, trunkingUnmatched, interfaceMismatches };
}

const SIZE_ORDER = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'];

/** Orders by family, then by size as a person reads them (large before xlarge before 2xlarge, metal last). */
export function compareInstanceTypes(a: string, b: string): number {
  const [familyA, sizeA] = a.split('.');
  const [familyB, sizeB] = b.split('.');
  if (familyA !== familyB) return familyA < familyB ? -1 : 1;
  return sizeRank(sizeA) - sizeRank(sizeB) || (sizeA < sizeB ? -1 : sizeA > sizeB ? 1 : 0);
}

function sizeRank(size: string): number {
  const named = SIZE_ORDER.indexOf(size);
  if (named >= 0) return named;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return SIZE_ORDER.length + Number(multiple[1]);
  return 10000;
}

function header(sources: readonly TableSource[]): string {
  const lines = sources.map(
    (s) => ` * - ${s.title}: ${s.gives}. https://github.com/${s.repository}/blob/${s.commit}/${s.path} (${s.date}, ${s.licence}).`,
  );
  return `/**\n * Generated by scripts/generate/instance-types.ts; do not edit (npm run generate:instance-types).\n * From:\n${lines.join('\n')}\n */\n`;
}

/**
 * The TypeScript module of the EC2 table.
 * @param rows the joined table
 * @param sources the sources it was built from
 */
export function renderInstanceTypesModule(rows: ReadonlyMap<string, InstanceTypeRow>, sources: readonly TableSource[]): string {
  const body = [...rows]
    .map(
      ([name, r]) =>
        `  '${name}': { architecture: '${r.architecture}', vcpus: ${r.vcpus}, memoryMiB: ${r.memoryMiB}, maxNetworkInterfaces: ${r.maxNetworkInterfaces}, trunkedTaskLimit: ${r.trunkedTaskLimit} },`,
    )
    .join('\n');
  return `${header(sources)}import type { GeneratedInstanceType, TableSource } from './table-types';

/** Where each column came from. */
export const EC2_INSTANCE_TYPE_SOURCES: readonly TableSource[] = ${JSON.stringify(sources)};

/** EC2 instance types berth knows: type to architecture, vCPUs, memory, network interfaces and ENI trunking. */
export const EC2_INSTANCE_TYPES: Readonly<Record<string, GeneratedInstanceType>> = {
${body}
};
`;
}

/**
 * The TypeScript module of the RDS table.
 * @param classes class to engines
 * @param sources the sources it was built from
 */
export function renderDatabaseClassesModule(classes: ReadonlyMap<string, readonly string[]>, sources: readonly TableSource[]): string {
  const body = [...classes]
    .sort(([a], [b]) => compareInstanceTypes(a.slice(3), b.slice(3)))
    .map(([name, engines]) => `  '${name}': [${engines.map((e) => `'${e}'`).join(', ')}],`)
    .join('\n');
  return `${header(sources)}import type { TableSource } from './table-types';

/** Where the table came from. */
export const RDS_INSTANCE_CLASS_SOURCES: readonly TableSource[] = ${JSON.stringify(sources)};

/** RDS DB instance classes to the engines (of mysql and postgres) that offer them in at least one region. */
export const RDS_INSTANCE_CLASSES: Readonly<Record<string, readonly ('mysql' | 'postgres')[]>> = {
${body}
};
`;
}

/** Formats files with the project's Prettier settings (its CLI: the API loads ES modules, which jest cannot). */
function formatWithPrettier(files: readonly string[]): void {
  const cli = require.resolve('prettier/bin/prettier.cjs');
  const config = path.join(__dirname, '..', '..', '.prettierrc.json');
  const result = spawnSync(process.execPath, [cli, '--config', config, '--write', ...files], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`prettier failed: ${result.stderr}`);
}

/** Where the generated modules go. */
export const OUTPUT_DIR = path.join(__dirname, '..', '..', 'infra', 'facts');

/**
 * Reads the sources, writes the two modules, returns the report lines.
 * @param argv the command-line arguments
 */
export function main(argv: readonly string[]): string[] {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dir: { type: 'string' },
      out: { type: 'string' },
      ...Object.fromEntries(Object.values(SOURCE_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const flagValues = values as Record<string, string | undefined>;
  const sources = JSON.parse(fs.readFileSync(path.join(__dirname, 'instance-type-sources.json'), 'utf8')) as Sources;
  const ids = Object.keys(SOURCE_FILES) as SourceId[];
  const files = Object.fromEntries(
    ids.map((id) => {
      const file = flagValues[SOURCE_FLAGS[id]] ?? (values.dir ? path.join(values.dir, SOURCE_FILES[id]) : undefined);
      if (file === undefined) throw new Error(`give --dir <folder> or --${SOURCE_FLAGS[id]} <file>`);
      return [id, file];
    }),
  ) as Record<SourceId, string>;
  const texts = Object.fromEntries(ids.map((id) => [id, fs.readFileSync(files[id], 'utf8')])) as Record<SourceId, string>;
  const recorded = (id: SourceId): TableSource => ({
    ...sources[id],
    sha256: createHash('sha256').update(texts[id]).digest('hex'),
  });

  const joined = joinInstanceTypes(
    parseKarpenterInstanceTypes(texts.karpenter),
    parseVpcCniLimits(texts.vpcCni),
    parseEcsTrunking(texts.ecsTrunking),
  );
  const classes = parseRdsClasses(texts.rds);
  const outDir = values.out ?? OUTPUT_DIR;
  const written = [path.join(outDir, 'ec2-instance-types.ts'), path.join(outDir, 'rds-instance-classes.ts')];
  fs.writeFileSync(
    written[0],
    renderInstanceTypesModule(joined.rows, [recorded('karpenter'), recorded('vpcCni'), recorded('ecsTrunking')]),
  );
  fs.writeFileSync(written[1], renderDatabaseClassesModule(classes, [recorded('rds')]));
  formatWithPrettier(written);

  const trunked = [...joined.rows.values()].filter((r) => r.trunkedTaskLimit !== null).length;
  return [
    `${joined.rows.size} EC2 instance types (${trunked} with ENI trunking), ${classes.size} RDS DB instance classes, written to ${outDir}`,
    `left out, no network interface limit in the VPC CNI file: ${joined.withoutInterfaceLimit.join(', ') || 'none'}`,
    `in the ECS trunking table but not in Karpenter's list: ${joined.trunkingUnmatched.join(', ') || 'none'}`,
    `ECS's task limit without trunking is not the interface limit less one (the VPC CNI figure is kept): ${joined.interfaceMismatches.join(', ') || 'none'}`,
  ];
}

if (require.main === module) {
  try {
    process.stdout.write(`${main(process.argv.slice(2)).join('\n')}\n`);
  } catch (err) {
    process.stderr.write(`generate:instance-types: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
