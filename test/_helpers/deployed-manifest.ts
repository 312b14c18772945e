import { MANIFEST_SCHEMA } from '../../infra/manifest';

/** A JSON value, as a template holds it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The manifest parameter's value as JSON, each CloudFormation intrinsic replaced by a value the schema
 * accepts where it stands: what the CLI will read once CloudFormation has resolved the tokens.
 */
export function deployedManifest(value: Json): { text: string; tokens: Record<string, Json> } {
  const parts = (value as { 'Fn::Join': [string, Json[]] })['Fn::Join'][1];
  const tokens: Record<string, Json> = {};
  const marked = parts
    .map((part, i) => {
      if (typeof part === 'string') return part;
      tokens[`__token${i}__`] = part;
      return `__token${i}__`;
    })
    .join('');
  // fill each token with a sample that matches the pattern of the field it stands in.
  const parsed = JSON.parse(marked) as Record<string, Json>;
  const fill = (node: Json, schema: Record<string, unknown> | undefined): Json => {
    if (typeof node === 'string' && node.includes('__token')) {
      const pattern = (schema?.pattern as string | undefined) ?? '';
      if (pattern.startsWith('^arn:aws')) return 'arn:aws:service:eu-west-1:123456789012:resource/x';
      if (pattern.startsWith('^sg-')) return 'sg-0123456789abcdef0';
      if (pattern.startsWith('^lt-')) return 'lt-0123456789abcdef0';
      if (pattern.startsWith('^[0-9]{12}\\.dkr')) return '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
      if (pattern.startsWith('^Z')) return 'Z0123456789ABCDEFGHIJ';
      if (pattern.startsWith('^https://')) return 'https://be.example.com';
      return 'resolved';
    }
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, fill(child, properties[key])]));
    }
    return node;
  };
  return { text: JSON.stringify(fill(parsed, MANIFEST_SCHEMA as unknown as Record<string, unknown>)), tokens };
}
