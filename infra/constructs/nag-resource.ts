/**
 * A resolved resource as cdk-nag names it in a finding: `Fn::Join` parts joined, `Ref` as `<id>`, `Fn::GetAtt` as
 * `<id.attribute>`, anything else (`Fn::Select`, `Fn::ImportValue`) as its JSON.
 * @param resolved the resource, resolved by its stack
 */
export function nagResource(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  const value = resolved as { 'Fn::Join'?: [string, unknown[]]; Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (value['Fn::Join']) return value['Fn::Join'][1].map(nagResource).join(value['Fn::Join'][0]);
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(resolved);
}
