import { synthBerth } from '../_helpers/synth';

/** The template as JSON with what changes between machines and accounts masked. */
function masked(template: unknown): unknown {
  const text = JSON.stringify(template)
    .replace(/[0-9a-f]{64}(\.zip|\.json)?/g, '<asset-hash>')
    .replace(/\b\d{12}\b/g, '<account>');
  return JSON.parse(text);
}

describe('the synthesized templates of the example config', () => {
  const berth = synthBerth();

  test.each(['shared', 'pre', 'live'] as const)('%s matches the reviewed snapshot', (stack) => {
    // THEN: a change here is a change to what `cdk deploy` does; review the diff, then `npx jest -u`.
    expect(masked(berth[stack].toJSON())).toMatchSnapshot();
  });
});
