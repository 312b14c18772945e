import { DUTIES } from '../../../infra/duties';
import { problemsAfter } from '../../_helpers/config';
import { DeployedStacks, evaluateAssumeRole } from '../../_helpers/iam';
import { synthBerth } from '../../_helpers/synth';

type Environments = Record<string, Record<string, unknown>>;

const roleOf = (world: DeployedStacks, stack: string, duty: string) =>
  world.resource(stack, 'AWS::IAM::Role', new RegExp(`^OperatorAccess${duty[0].toUpperCase()}${duty.slice(1)}Role[0-9A-F]{8}$`));

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const WITH_MFA = { 'aws:MultiFactorAuthPresent': 'true' };

describe('the duty roles of the example config', () => {
  const berth = synthBerth();
  const world = DeployedStacks.fromBerth(berth);

  test('each environment has a viewer, a troubleshooter and a releaser, named for an operator to type', () => {
    // THEN
    for (const stack of ['berth-pre', 'berth-live']) {
      const environment = stack.replace('berth-', '');
      expect(DUTIES.map((duty) => roleOf(world, stack, duty).name)).toEqual(DUTIES.map((duty) => `berth-berth-${environment}-${duty}`));
    }
  });

  test("the roles trust the environment's own account, and live's only with MFA", async () => {
    // GIVEN a user of the account whose own policy allows assuming roles
    const liveReleaser = roleOf(world, 'berth-live', 'releaser');
    const preReleaser = roleOf(world, 'berth-pre', 'releaser');

    // WHEN
    const results = [
      await evaluateAssumeRole(world, liveReleaser, ALICE),
      await evaluateAssumeRole(world, liveReleaser, ALICE, WITH_MFA),
      await evaluateAssumeRole(world, preReleaser, ALICE),
      await evaluateAssumeRole(world, preReleaser, 'arn:aws:iam::210987654321:user/mallory'),
    ];

    // THEN
    expect(results).toEqual(['ImplicitlyDenied', 'Allowed', 'Allowed', 'ImplicitlyDenied']);
  });

  test('a session lasts 12 hours for a viewer and 4 for the others', () => {
    // THEN
    expect(DUTIES.map((duty) => world.propertiesOf(roleOf(world, 'berth-live', duty)).MaxSessionDuration)).toEqual([43200, 14400, 14400]);
  });
});

describe('the duty roles with the principals config lists', () => {
  const world = DeployedStacks.fromBerth(
    synthBerth((raw) => {
      (raw.environments as Environments).live.access = { troubleshooter: [ALICE, '210987654321'], requireMfa: false };
    }),
  );

  test('a listed principal may assume that duty only, and the account no longer may', async () => {
    // GIVEN alice, listed as live's troubleshooter, and bob, another user of the account
    const bob = 'arn:aws:iam::123456789012:user/bob';
    const troubleshooter = roleOf(world, 'berth-live', 'troubleshooter');
    const releaser = roleOf(world, 'berth-live', 'releaser');

    // WHEN
    const results = [
      await evaluateAssumeRole(world, troubleshooter, ALICE),
      await evaluateAssumeRole(world, troubleshooter, 'arn:aws:iam::210987654321:role/ops'),
      await evaluateAssumeRole(world, troubleshooter, bob),
      await evaluateAssumeRole(world, releaser, bob, WITH_MFA),
      await evaluateAssumeRole(world, releaser, bob),
    ];

    // THEN: the releaser still trusts the account, with the MFA live's defaults no longer ask for (requireMfa false).
    expect(results).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied', 'Allowed', 'Allowed']);
  });
});

describe('access in config', () => {
  test.each([
    ['alice', 'a 12-digit account id, or an ARN arn:aws:iam::<account>:root'],
    ['arn:aws:iam::123456789012:group/ops', 'arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>'],
  ])('refuses the principal %s, naming what is allowed', (principal, allowed) => {
    // WHEN
    const problems = problemsAfter({ 'environments.live.access.viewer': [principal] });

    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('environments.live.access.viewer');
    expect(problems[0]).toContain(allowed);
  });

  test('refuses more than 10 principals for one duty', () => {
    // WHEN
    const problems = problemsAfter({
      'environments.pre.access.releaser': Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:user/u${i}`),
    });

    // THEN
    expect(problems).toEqual([expect.stringContaining('environments.pre.access.releaser')]);
  });
});
