/**
 * A small kit to write berth's config schema once. Each field is a TypeBox schema, so the JSON Schema
 * (`config/berth.schema.json`) and the TypeScript types come from the same definition; under a symbol
 * key, which never reaches the JSON Schema, a field also carries berth's words for what it allows.
 * {@link readSchema} walks that schema over a config: it fills in defaults, and reports each problem on
 * one line, `<path>: <what is wrong>; allowed: <what is allowed>`.
 *
 * The walker reads the JSON Schema keywords in {@link SUPPORTED_KEYWORDS} with their JSON Schema
 * meaning (test/infra/config-schema.test.ts holds it to ajv on a corpus of configs). Nothing here may
 * import aws-cdk-lib: the CLI bundles it.
 */
// the builders one by one (not the `Type` namespace), so that the CLI bundle keeps only these.
import {
  Array as ArrayOf,
  Boolean as BooleanType,
  Integer,
  Never,
  Object as ObjectOf,
  Optional,
  type OptionalKind,
  type SchemaOptions,
  type Static,
  String as StringType,
  type TArray,
  type TObject,
  type TOptional,
  type TProperties,
  type TSchema,
  type TUnion,
  Union,
  Unsafe,
} from '@sinclair/typebox';

/** Which README table lists a field (see scripts/generate/config-schema.ts). */
export type ReadmeTable = 'config' | 'environment' | 'traffic' | 'database' | 'scaling' | 'notifications' | 'access';

/** berth's own notes on a schema node. */
export interface FieldNotes {
  /** what is allowed, in berth's words: the part of a problem after `allowed:`. */
  readonly allowed?: string;
  /** what is wrong with a value the schema refuses (e.g. `"10.0.0.0/33" has prefix /33`); by default `<value> is not valid`. */
  readonly explain?: (value: unknown) => string | undefined;
  /**
   * a check the JSON Schema cannot express, on a value that passed the schema; returns what is wrong.
   * Listed as validator-only in the schema test.
   */
  readonly refine?: (value: unknown) => string | undefined;
  /** the default in words, where it depends on other fields (README and editor hover). */
  readonly defaultText?: string;
  /** what an object's keys are, for unknown keys: `environment` gives "unknown environment; allowed environments are: …". */
  readonly noun?: string;
  /** picks the member of an `anyOf` that a value means (the walker checks only that one). */
  readonly branch?: (value: Readonly<Record<string, unknown>>) => number;
  /** the README table the field and the fields under it are listed in. */
  readonly table?: ReadmeTable;
  /** an optional section the walker fills from its fields' defaults when the config leaves it out. */
  readonly filled?: boolean;
}

/** berth's notes on one `if`/`then`/`else` member of an object's `allOf`: a cross-field rule the JSON Schema expresses. */
export interface ConditionNotes {
  /** the field a failure is reported on, relative to the object. */
  readonly field: string;
  /** what is wrong, given the object. */
  readonly explain: (value: Readonly<Record<string, unknown>>) => string;
  /** what is allowed instead. */
  readonly allowed: string;
}

const NOTES = Symbol.for('berth.config.notes');
const CONDITION = Symbol.for('berth.config.condition');

/** Marks, in the types, an optional field that reading always fills (a default, or a section of defaults). */
export const FILLED = Symbol.for('berth.config.filled');

/** A schema of an optional field that reading always fills. */
export type TFilled<T extends TSchema> = TOptional<T> & { readonly [FILLED]: true };

type Notes = { [NOTES]?: FieldNotes; [CONDITION]?: ConditionNotes };

/** The notes of a node (none when it has none). */
export function notesOf(node: TSchema): FieldNotes {
  return (node as Notes)[NOTES] ?? {};
}

/** Adds notes to a node and returns it. */
export function annotate<T extends TSchema>(node: T, notes: FieldNotes): T {
  (node as Notes)[NOTES] = { ...notesOf(node), ...notes };
  return node;
}

/** The keywords the schema may use: each is read by {@link readSchema} (validation) or is an annotation. */
export const SUPPORTED_KEYWORDS = [
  // validation
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'enum',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'anyOf',
  'allOf',
  'if',
  'then',
  'else',
  'not',
  // annotations
  '$schema',
  '$id',
  'title',
  'description',
  'markdownDescription',
  'patternErrorMessage',
  'default',
  'examples',
] as const;

// ---------------------------------------------------------------------------------------------------------
// builders

interface Described {
  /** what the field means (README "meaning" column, editor hover); markdown. */
  readonly description: string;
}

/**
 * A whole number from `minimum` to `maximum`.
 * @param minimum smallest allowed
 * @param maximum largest allowed
 * @param options description and notes
 */
export function integer(minimum: number, maximum: number, options: Described & FieldNotes) {
  const { description, ...notes } = options;
  return annotate(Integer({ minimum, maximum, description }), notes);
}

/**
 * A string that matches `pattern` (anchored, as JavaScript reads it with the `u` flag).
 * @param pattern the whole value must match
 * @param options description, what is allowed in words, and notes
 */
export function text(pattern: RegExp, options: Described & FieldNotes & { readonly allowed: string }) {
  const { description, ...notes } = options;
  if (!pattern.source.startsWith('^') || !pattern.source.endsWith('$')) throw new Error(`pattern ${pattern} must be anchored`);
  return annotate(StringType({ pattern: pattern.source, description }), notes);
}

/**
 * One of a few strings.
 * @param values the strings allowed
 * @param options description and notes
 */
export function choice<const V extends readonly string[]>(values: V, options: Described & FieldNotes) {
  const { description, ...notes } = options;
  return annotate(Unsafe<V[number]>({ type: 'string', enum: [...values], description }), notes);
}

/** true or false. */
export function flag(options: Described & FieldNotes) {
  const { description, ...notes } = options;
  return annotate(BooleanType({ description }), notes);
}

/**
 * A list of items.
 * @param items the schema of each item
 * @param options description, limits on the list, and notes
 */
export function list<T extends TSchema>(
  items: T,
  options: Described & FieldNotes & { readonly minItems?: number; readonly maxItems?: number; readonly uniqueItems?: boolean },
) {
  const { description, minItems, maxItems, uniqueItems, ...notes } = options;
  return annotate(ArrayOf(items, { description, minItems, maxItems, uniqueItems }), notes);
}

/**
 * An object of names to values, such as environment variables (names to strings) or named sections.
 * @param names what a name must be
 * @param values what a value must be
 * @param options description and notes
 */
export function map<V extends TSchema>(names: TSchema, values: V, options: Described & FieldNotes) {
  const { description, ...notes } = options;
  return annotate(
    Unsafe<Readonly<Record<string, Static<V>>>>({ type: 'object', propertyNames: names, additionalProperties: values, description }),
    notes,
  );
}

/**
 * An object with exactly these fields.
 * @param properties the fields
 * @param options description and notes
 */
export function section<P extends TProperties>(properties: P, options: Described & FieldNotes) {
  const { description, ...notes } = options;
  return annotate(ObjectOf(properties, { additionalProperties: false, description }), notes);
}

/**
 * Any string (for `$schema`, which editors read).
 * @param options description
 */
export function anyText(options: Described) {
  return StringType({ description: options.description });
}

/**
 * The config file's root: an object with exactly these fields.
 * @param properties the fields
 * @param options JSON Schema annotations of the file
 */
export function root<P extends TProperties>(properties: P, options: SchemaOptions) {
  return ObjectOf(properties, { ...options, additionalProperties: false });
}

/**
 * One of a few object schemas; `branch` picks the one a value means.
 * @param members the objects
 * @param options description and how to pick a member
 */
export function oneOf<T extends TSchema[]>(members: [...T], options: Described & { readonly branch: NonNullable<FieldNotes['branch']> }) {
  return annotate(Union(members, { description: options.description }), { branch: options.branch });
}

/**
 * A field that must not be set here (such as `initialImageTag` on pre).
 * @param options description, why it is refused, and what to do instead
 */
export function refused(options: Described & { readonly why: string; readonly allowed: string }) {
  return annotate(Never({ description: options.description }), { explain: () => options.why, allowed: options.allowed });
}

/**
 * An optional field with a default: reading fills it in, and the JSON Schema shows it.
 * @param node the field
 * @param value its default
 */
export function withDefault<T extends TSchema>(node: T, value: Static<T>): TFilled<T> {
  return Object.assign(Optional({ ...node, default: value } as T) as TOptional<T>, { [FILLED]: true as const });
}

/**
 * An optional section whose fields all have defaults: reading fills it when the config leaves it out.
 * @param node the section
 */
export function filled<T extends TObject>(node: T): TFilled<T> {
  return Object.assign(Optional(annotate({ ...node }, { filled: true })) as TOptional<T>, { [FILLED]: true as const });
}

/** An optional field without a default (or with one that depends on other fields; the resolver fills it). */
export function optional<T extends TSchema>(node: T): TOptional<T> {
  return Optional(node) as TOptional<T>;
}

/**
 * A cross-field rule that the JSON Schema expresses: when `if` holds the object must match `then`,
 * otherwise `else`. It goes into the object's `allOf`.
 * @param rule the JSON Schema conditional
 * @param notes where and how a failure is reported
 */
export function condition(rule: { readonly if: object; readonly then?: object; readonly else?: object }, notes: ConditionNotes): TSchema {
  return Object.assign({ ...rule } as unknown as TSchema, { [CONDITION]: notes });
}

/**
 * Adds conditions to an object schema (`allOf`), keeping its type.
 * @param node the object
 * @param conditions from {@link condition}
 */
export function withConditions<T extends TSchema>(node: T, conditions: readonly TSchema[]): T {
  return Object.assign(node, { allOf: [...((node.allOf as TSchema[] | undefined) ?? []), ...conditions] });
}

// ---------------------------------------------------------------------------------------------------------
// types

type IsOptional<S> = S extends { readonly [OptionalKind]: 'Optional' } ? true : false;
type IsFilled<S> = S extends { readonly [FILLED]: true } ? true : false;
type Simplify<T> = { readonly [K in keyof T]: T[K] } & unknown;

/**
 * A value as {@link readSchema} returns it: like TypeBox's `Static`, but a field with a default (or a
 * section of defaults) is always there, and everything is readonly.
 */
export type Read<T extends TSchema> =
  T extends TObject<infer P>
    ? ReadObject<P>
    : T extends TUnion<infer U>
      ? Read<U[number]>
      : T extends TArray<infer I>
        ? readonly Read<I>[]
        : Static<T>;

type ReadObject<P extends TProperties> = Simplify<
  {
    readonly [K in keyof P as IsOptional<P[K]> extends true ? (IsFilled<P[K]> extends true ? K : never) : K]: Read<P[K]>;
  } & {
    readonly [K in keyof P as IsOptional<P[K]> extends true ? (IsFilled<P[K]> extends true ? never : K) : never]?: Read<P[K]>;
  }
>;

// ---------------------------------------------------------------------------------------------------------
// reading

/** One problem with a config: the field's path and the whole line that names it. */
export interface Problem {
  /** dotted path of the field (`environments.live.instanceType`); `config` for the file as a whole. */
  readonly path: string;
  /** `<path>: <what is wrong>; allowed: <what is allowed>`. */
  readonly message: string;
}

/** What one read of a config found: problems, and which fields are not to be trusted. */
export class Reading {
  private readonly found: Problem[] = [];
  private readonly bad = new Set<string>();
  private readonly doubted = new Set<string>();
  private readonly order = new Map<string, number>();

  /** @param silent only record that something is wrong (for `if`, `not` and list items) */
  constructor(private readonly silent = false) {}

  /** Whether any problem was found. */
  get failed(): boolean {
    return this.bad.size > 0;
  }

  /** Remembers where a field comes in the config, so problems are listed in the config's order. */
  visit(path: string): void {
    if (!this.order.has(path)) this.order.set(path, this.order.size);
  }

  /**
   * Records a problem.
   * @param path the field
   * @param text what follows `<path>: `
   */
  report(path: string, text: string): void {
    this.bad.add(path);
    if (!this.silent) this.found.push({ path, message: `${path === '' ? 'config' : path}: ${text}` });
  }

  /** Marks a field whose value is a default only because the config misspelt its name. */
  doubt(path: string): void {
    this.doubted.add(path);
  }

  /** Whether {@link doubt} marked this field. */
  isDoubted(path: string): boolean {
    return this.doubted.has(path);
  }

  /** Records that a field is wrong without a line of its own (another problem already says why). */
  suppress(path: string): void {
    this.bad.add(path);
  }

  /**
   * Whether a field, everything above it and everything in it were read without a problem and are not
   * in doubt: a rule reads only such fields, so one mistake is reported once.
   * @param path the field
   */
  isClean(path: string): boolean {
    for (const other of [...this.bad, ...this.doubted]) {
      if (other === path || other === '' || path.startsWith(`${other}.`) || other.startsWith(`${path}.`)) return false;
    }
    return true;
  }

  /** The problems, in the order of the fields in the config. */
  get problems(): readonly Problem[] {
    const rank = (path: string): number => {
      for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf('.')))) {
        const index = this.order.get(p);
        if (index !== undefined) return index;
        if (p === '') return -1;
      }
    };
    return [...this.found].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

/**
 * Reads a value with a schema: the value with defaults filled in (a field with a problem gets its
 * default, or an empty value of its type, so that rules can run on the rest), and the problems found.
 * @param schema the schema
 * @param value the parsed JSON
 * @param reading where problems go
 */
export function readSchema<T extends TSchema>(schema: T, value: unknown, reading: Reading = new Reading()): Read<T> {
  return walk(schema, value, '', reading) as Read<T>;
}

/** Whether a value matches a schema (no problem found). */
export function matches(schema: TSchema, value: unknown): boolean {
  const reading = new Reading(true);
  walk(schema, value, '', reading);
  return !reading.failed;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const json = (value: unknown) => (value === undefined ? 'undefined' : JSON.stringify(value));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const patterns = new Map<string, RegExp>();
const regex = (source: string) => patterns.get(source) ?? patterns.set(source, new RegExp(source, 'u')).get(source)!;

function hasType(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      throw new Error(`schema type ${json(type)} is not supported`);
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** berth's words for what a node allows. */
export function allowedText(node: TSchema | undefined): string {
  if (node === undefined) return 'nothing else';
  const notes = notesOf(node);
  if (notes.allowed) return notes.allowed;
  if (node.enum) return (node.enum as unknown[]).join(', ');
  if (node.const !== undefined) return json(node.const);
  if (node.anyOf) return 'a JSON object';
  switch (node.type) {
    case 'integer':
      return `a whole number from ${node.minimum} to ${node.maximum}`;
    case 'boolean':
      return 'true, false';
    case 'array':
      return `a list of ${allowedText(node.items as TSchema)}`;
    case 'object':
      return node.propertyNames
        ? `an object of ${allowedText(node.propertyNames as TSchema)} to ${allowedText(node.additionalProperties as TSchema)}`
        : 'a JSON object';
    default:
      return 'a string';
  }
}

/** A stand-in for a field with a problem: its default, else an empty value of its type. */
function fallback(node: TSchema): unknown {
  if ('default' in node) return structuredClone(node.default);
  if (node.anyOf) return walk((node.anyOf as TSchema[])[0], {}, '', new Reading(true));
  switch (node.type) {
    case 'object':
      return node.properties ? walk(node, {}, '', new Reading(true)) : {};
    case 'array':
      return [];
    case 'string':
      return (node.enum as string[] | undefined)?.[0] ?? '';
    case 'integer':
    case 'number':
      return node.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

function walk(node: TSchema, value: unknown, path: string, reading: Reading): unknown {
  reading.visit(path);
  const notes = notesOf(node);
  const fail = (what?: string, allowed = allowedText(node)) => {
    reading.report(path, `${what ?? notes.explain?.(value) ?? `${json(value)} is not valid`}; allowed: ${allowed}`);
    return fallback(node);
  };

  if (node.not !== undefined && matches(node.not as TSchema, value)) return fail();
  if (node.anyOf) {
    if (!isObject(value)) return fail(`${json(value)} is not an object`);
    const members = node.anyOf as TSchema[];
    return walk(members[notes.branch?.(value) ?? 0], value, path, reading);
  }
  if (node.type !== undefined && !hasType(node.type, value)) {
    if (node.type === 'object') return fail(`${json(value)} is not an object`);
    if (node.type === 'array') return fail(`${json(value)} is not a list`, `a list of ${allowedText(node.items as TSchema)}`);
    return fail();
  }
  if (node.const !== undefined && !equal(node.const, value)) return fail();
  if (node.enum !== undefined && !(node.enum as unknown[]).some((allowed) => equal(allowed, value))) return fail();
  if (typeof value === 'string' && typeof node.pattern === 'string' && !regex(node.pattern).test(value)) return fail();
  if (typeof value === 'number') {
    if (typeof node.minimum === 'number' && value < node.minimum) return fail();
    if (typeof node.maximum === 'number' && value > node.maximum) return fail();
  }
  let result = value;
  if (Array.isArray(value)) {
    result = walkList(node, value, path, reading);
    if (result === undefined) return fallback(node);
  } else if (isObject(value)) {
    result = walkObject(node, value, path, reading);
  }
  const wrong = notes.refine?.(value);
  if (wrong !== undefined) reading.report(path, `${wrong}; allowed: ${allowedText(node)}`);
  return result;
}

/** Returns the items, or undefined after reporting what is wrong with the list. */
function walkList(node: TSchema, value: readonly unknown[], path: string, reading: Reading): unknown[] | undefined {
  const items = node.items as TSchema | undefined;
  if (items) {
    const bad = value.filter((item) => !matches(items, item));
    if (bad.length > 0) {
      reading.report(path, `${bad.map(json).join(', ')} not valid; allowed: ${allowedText(items)}`);
      return undefined;
    }
  }
  const tooFew = typeof node.minItems === 'number' && value.length < node.minItems;
  const tooMany = typeof node.maxItems === 'number' && value.length > node.maxItems;
  const repeated = node.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length;
  if (tooFew || tooMany || repeated) {
    reading.report(path, `${notesOf(node).explain?.(value) ?? `${json(value)} is not valid`}; allowed: ${allowedText(node)}`);
    return undefined;
  }
  return items ? value.map((item, index) => walk(items, item, join(path, String(index)), new Reading(true))) : [...value];
}

function walkObject(node: TSchema, value: Record<string, unknown>, path: string, reading: Reading): Record<string, unknown> {
  const notes = notesOf(node);
  const properties = (node.properties ?? {}) as Record<string, TSchema>;
  const known = Object.keys(properties);
  const required = new Set((node.required as string[] | undefined) ?? []);
  const names = node.propertyNames as TSchema | undefined;
  const others = node.additionalProperties as TSchema | boolean | undefined;
  const result: Record<string, unknown> = {};

  for (const [key, item] of Object.entries(value)) {
    if (key in properties) continue;
    const itemPath = join(path, key);
    if (others === false) {
      const noun = notes.noun ?? 'field';
      const guess = closest(key, known);
      if (guess !== undefined && value[guess] === undefined) reading.doubt(join(path, guess));
      reading.visit(itemPath);
      // the closest known name first: a typo is one line that says what was meant (issue 13).
      reading.report(
        itemPath,
        guess
          ? `unknown ${noun}; did you mean ${guess}? (allowed ${noun}s are: ${known.join(', ')})`
          : `unknown ${noun}; allowed ${noun}s are: ${known.join(', ')}`,
      );
    } else if (names && !matches(names, key)) {
      reading.visit(itemPath);
      reading.report(itemPath, `not a valid name; allowed: ${allowedText(names)}`);
    } else if (typeof others === 'object') {
      const before = new Reading(true);
      walk(others, item, itemPath, before);
      if (before.failed) walk(others, item, itemPath, reading);
      else result[key] = item;
    } else {
      result[key] = item;
    }
  }

  for (const [key, child] of Object.entries(properties)) {
    const childPath = join(path, key);
    if (value[key] !== undefined) {
      result[key] = walk(child, value[key], childPath, reading);
    } else if (required.has(key)) {
      reading.visit(childPath);
      // a misspelt name was reported as an unknown field that names this one; saying it is missing too would repeat it.
      if (reading.isDoubted(childPath)) reading.suppress(childPath);
      else reading.report(childPath, `missing; allowed: ${allowedText(child)}`);
      result[key] = fallback(child);
    } else if ('default' in child) {
      reading.visit(childPath);
      result[key] = structuredClone(child.default);
    } else if (notesOf(child).filled) {
      result[key] = walk(child, {}, childPath, reading);
    }
  }
  for (const key of required) {
    if (!(key in properties) && value[key] === undefined) reading.report(join(path, key), 'missing');
  }

  for (const member of (node.allOf as TSchema[] | undefined) ?? []) checkCondition(member, value, path, reading);
  return result;
}

function checkCondition(member: TSchema, value: Record<string, unknown>, path: string, reading: Reading): void {
  const notes = (member as Notes)[CONDITION];
  if (member.if === undefined) {
    if (!matches(member, value)) reading.report(path, 'does not match the schema');
    return;
  }
  const fields = [member.if, member.then, member.else].flatMap((part) => (part ? leafPaths(part as TSchema) : []));
  if (!fields.every((field) => reading.isClean(join(path, field)))) return;
  const branch = matches(member.if as TSchema, value) ? member.then : member.else;
  if (branch === undefined || matches(branch as TSchema, value)) return;
  if (!notes) throw new Error(`a condition at ${path || 'the root'} has no notes`);
  reading.report(join(path, notes.field), `${notes.explain(value)}; allowed: ${notes.allowed}`);
}

/** The fields a conditional schema mentions (the innermost ones), relative to the object it applies to. */
function leafPaths(node: TSchema): string[] {
  const properties = Object.entries((node.properties ?? {}) as Record<string, TSchema>).flatMap(([key, child]) => {
    const inner = leafPaths(child);
    return inner.length > 0 ? inner.map((p) => join(key, p)) : [key];
  });
  const required = (node.required as string[] | undefined) ?? [];
  const nested = [node.not, ...((node.anyOf as TSchema[] | undefined) ?? [])].flatMap((part) => (part ? leafPaths(part as TSchema) : []));
  return [...new Set([...properties, ...required, ...nested])];
}

/**
 * The known name a misspelt one most likely means, if any is close (Damerau-Levenshtein distance of at
 * most a third of its length, ignoring case).
 * @param word the unknown name
 * @param candidates the known names
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
