import { appNameProblem, DERIVED_NAMES } from '../../../infra/config/names';
import { APP_NAME, APP_NAME_SHAPE } from '../../../infra/config/patterns';
import { synthBerth } from '../../_helpers/synth';

/** Every string of `length` characters from `alphabet`. */
function strings(alphabet: readonly string[], length: number): string[] {
  return length === 0 ? [''] : strings(alphabet, length - 1).flatMap((prefix) => alphabet.map((c) => prefix + c));
}

const breaksDerivedName = (app: string) =>
  DERIVED_NAMES.some((derived) => derived.names(app).some((name) => name.length > derived.maxLength || !derived.pattern.test(name)));

describe('the names an app name becomes', () => {
  test('appName accepts exactly the names of berth’s shape that every derived name accepts', () => {
    // GIVEN short names from letters, digits and separators, and long ones at the limit
    const candidates = [
      ...[3, 4, 5].flatMap((length) => strings(['a', 'z', '0', '-', '_', '.', 'A'], length)),
      'a'.repeat(20),
      'a'.repeat(21),
      `a${'-b'.repeat(9)}c`,
      'acme--api',
      'a---b',
    ];

    // WHEN
    const disagree = candidates.filter((app) => APP_NAME.test(app) !== (APP_NAME_SHAPE.test(app) && !breaksDerivedName(app)));

    // THEN
    expect(disagree).toEqual([]);
  });

  test('a refused name of berth’s shape says which derived name breaks, and how', () => {
    // THEN
    expect(appNameProblem('acme--api')).toMatch(/^"acme--api" makes the ECR repository name "acme--api", which ECR refuses: /);
    expect(appNameProblem('acme-api')).toBeUndefined();
    expect(appNameProblem('Acme')).toBeUndefined();
  });

  test('are the names a synthesized app uses', () => {
    // GIVEN an app with a database in both environments, so that every derived name is in use
    const berth = synthBerth((raw) => {
      const environments = raw.environments as Record<string, Record<string, unknown>>;
      environments.pre.database = { enabled: true };
      environments.live.database = { enabled: true };
    });
    const templates = JSON.stringify([berth.shared.toJSON(), berth.pre.toJSON(), berth.live.toJSON()]);
    const stackNames = [berth.stacks.shared, berth.stacks.environments.pre, berth.stacks.environments.live].map((s) => s.stackName);

    // WHEN
    const names = DERIVED_NAMES.flatMap((derived) => derived.names('berth').map((name) => ({ what: derived.what, name })));
    const unused = names.filter(({ what, name }) =>
      what === 'CloudFormation stack name' ? !stackNames.includes(name) : !templates.includes(`"${name}`),
    );

    // THEN
    expect(unused).toEqual([]);
  });
});
