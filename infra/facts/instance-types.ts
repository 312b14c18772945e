/**
 * Look-ups in the generated tables of EC2 instance types and RDS DB instance classes. No aws-cdk-lib and no
 * network: synth and the CLI read the same committed tables.
 */
import { EC2_INSTANCE_TYPE_SOURCES, EC2_INSTANCE_TYPES } from './ec2-instance-types';
import { RDS_INSTANCE_CLASS_SOURCES, RDS_INSTANCE_CLASSES } from './rds-instance-classes';
import type { GeneratedInstanceType, TableSource } from './table-types';

/** An EC2 instance type berth knows, with its name. */
export interface InstanceTypeFacts extends GeneratedInstanceType {
  /** the type's name, e.g. `t3.small`. */
  readonly name: string;
}

/** What to run when a type or class is missing from a table, for the one-line config errors. */
export const REFRESH_TABLES_HINT = 'if AWS added it since, refresh the tables: npm run generate:instance-types (see the README)';

/**
 * The table's facts of an EC2 instance type.
 * @param name the type, e.g. `t3.small`
 * @returns the facts, or undefined when the table does not know the type
 */
export function findInstanceType(name: string): InstanceTypeFacts | undefined {
  const row = Object.hasOwn(EC2_INSTANCE_TYPES, name) ? EC2_INSTANCE_TYPES[name] : undefined;
  return row === undefined ? undefined : { name, ...row };
}

/**
 * The sizes the table knows of a family, smallest first.
 * @param family e.g. `m7g`
 */
export function familySizes(family: string): string[] {
  return Object.keys(EC2_INSTANCE_TYPES)
    .filter((name) => name.startsWith(`${family}.`))
    .map((name) => name.slice(family.length + 1));
}

/**
 * The engines (mysql, postgres) that offer an RDS DB instance class.
 * @param name the class with its `db.` prefix, e.g. `db.t4g.micro`
 * @returns the engines, or undefined when neither engine offers the class
 */
export function findDatabaseClass(name: string): readonly ('mysql' | 'postgres')[] | undefined {
  return Object.hasOwn(RDS_INSTANCE_CLASSES, name) ? RDS_INSTANCE_CLASSES[name] : undefined;
}

/**
 * The sizes of an RDS DB instance class family that an engine offers, smallest first.
 * @param family e.g. `t4g` (without `db.`)
 * @param engine mysql or postgres
 */
export function databaseFamilySizes(family: string, engine: 'mysql' | 'postgres'): string[] {
  return Object.entries(RDS_INSTANCE_CLASSES)
    .filter(([name, engines]) => name.startsWith(`db.${family}.`) && engines.includes(engine))
    .map(([name]) => name.slice(family.length + 4));
}

/** Which source gave the ENI trunking column (named in the trunking error). */
export function trunkingSource(): TableSource {
  return sourceGiving(EC2_INSTANCE_TYPE_SOURCES, 'trunking');
}

/** The source of the EC2 table's list of types and its date, for an error message. */
export function instanceTypeTableDates(): string {
  return datesOf([sourceGiving(EC2_INSTANCE_TYPE_SOURCES, 'instance types')]);
}

/** Short names of the source of the RDS table and its date, for an error message. */
export function databaseClassTableDates(): string {
  return datesOf(RDS_INSTANCE_CLASS_SOURCES);
}

function sourceGiving(sources: readonly TableSource[], word: string): TableSource {
  const source = sources.find((s) => s.gives.includes(word));
  if (source === undefined) throw new Error(`no source of the generated table gives ${word}`);
  return source;
}

function datesOf(sources: readonly TableSource[]): string {
  return sources.map((s) => `${s.repository} ${s.date}`).join(', ');
}
