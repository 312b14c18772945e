import { loadConfig } from '../../infra/config';
import { parseConfig } from '../../infra/config';
import { linearBakeSteps } from '../../infra/config/release-schema';
import { AWS_DEFAULT_SETTINGS, compareWithAwsDefaults, describeTrafficSteps, releaseTiming } from '../../infra/release-timing';
import * as fs from 'node:fs';
import { EXAMPLE_CONFIG_FILE } from '../_helpers/synth';

describe('releaseTiming', () => {
  test('adds the start period to interval x healthy threshold, then bake and drain', () => {
    // WHEN
    const timing = releaseTiming({
      startPeriodSeconds: 30,
      intervalSeconds: 10,
      healthyThreshold: 2,
      bakeMinutes: 10,
      deregistrationDelaySeconds: 30,
    });

    // THEN
    expect(timing).toEqual({
      healthySeconds: 50,
      pauseSeconds: 0,
      trafficShiftSeconds: 0,
      bakeSeconds: 600,
      deregistrationSeconds: 30,
      totalSeconds: 680,
      withPauseSeconds: 680,
    });
  });

  test('with no start period and no bake, is health checks plus drain', () => {
    // WHEN
    const timing = releaseTiming({
      startPeriodSeconds: 0,
      intervalSeconds: 5,
      healthyThreshold: 3,
      bakeMinutes: 0,
      deregistrationDelaySeconds: 0,
    });

    // THEN
    expect(timing.totalSeconds).toBe(15);
  });
});

describe("the example config next to AWS's defaults", () => {
  const { pre, live } = loadConfig(EXAMPLE_CONFIG_FILE).environments;

  test("AWS's defaults are 30 s x 5 checks and a 300 s drain, with no start period", () => {
    // THEN
    expect(AWS_DEFAULT_SETTINGS).toEqual({
      startPeriodSeconds: 0,
      intervalSeconds: 30,
      healthyThreshold: 5,
      deregistrationDelaySeconds: 300,
    });
  });

  test('pre releases in 50 s + 2 min + 10 s against 150 s + 2 min + 300 s', () => {
    // WHEN
    const { configured, awsDefaults } = compareWithAwsDefaults(pre);

    // THEN
    expect(configured).toMatchObject({ healthySeconds: 50, bakeSeconds: 120, deregistrationSeconds: 10, totalSeconds: 180 });
    expect(awsDefaults).toMatchObject({ healthySeconds: 150, bakeSeconds: 120, deregistrationSeconds: 300, totalSeconds: 570 });
  });

  test('live keeps its bake in both columns, so the difference is the health checks and the drain', () => {
    // WHEN
    const { configured, awsDefaults } = compareWithAwsDefaults(live);

    // THEN
    expect(configured.totalSeconds).toBe(50 + 600 + 30);
    expect(awsDefaults.bakeSeconds).toBe(configured.bakeSeconds);
    expect(awsDefaults.totalSeconds - configured.totalSeconds).toBe(150 - 50 + (300 - 30));
  });
});

const SETTINGS = { startPeriodSeconds: 30, intervalSeconds: 10, healthyThreshold: 2, bakeMinutes: 10, deregistrationDelaySeconds: 30 };

describe('the traffic steps of canary and linear releases', () => {
  test.each([
    ['blue/green: no steps', { type: 'blue-green' } as const, 0],
    ['canary: its bake at the canary share', { type: 'canary', percent: 10, bakeMinutes: 5 } as const, 5 * 60],
    ['linear 25 %: 4 shifts, a bake after each but the last', { type: 'linear', stepPercent: 25, stepBakeMinutes: 3 } as const, 3 * 3 * 60],
    ['linear 30 %: 30, 60, 90, 100, so 3 bakes', { type: 'linear', stepPercent: 30, stepBakeMinutes: 4 } as const, 3 * 4 * 60],
    ['linear 100 %: one shift, no step bake', { type: 'linear', stepPercent: 100, stepBakeMinutes: 20 } as const, 0],
  ])('%s', (_case, strategy, shiftSeconds) => {
    // WHEN
    const timing = releaseTiming({ ...SETTINGS, strategy });

    // THEN the steps come between the health checks and the final bake, and count in the total
    expect(timing.trafficShiftSeconds).toBe(shiftSeconds);
    expect(timing.totalSeconds).toBe(50 + shiftSeconds + 600 + 30);
    expect(timing.pauseSeconds).toBe(0);
    expect(timing.withPauseSeconds).toBe(timing.totalSeconds);
  });

  test('counts linear steps as CloudFormation does: 100 / step - 1 when it divides, else its floor (StepPercent 11 makes 9)', () => {
    expect([10, 11, 25, 33.3, 3.3, 12.5, 3, 100].map(linearBakeSteps)).toEqual([9, 9, 3, 3, 30, 7, 33, 0]);
  });

  test("says the steps in the operator's words", () => {
    expect(describeTrafficSteps({ type: 'canary', percent: 10, bakeMinutes: 5 })).toBe('canary 10 % for 5 min, then 100 %');
    expect(describeTrafficSteps({ type: 'linear', stepPercent: 25, stepBakeMinutes: 3 })).toBe(
      'linear 25 % steps every 3 min: 100 % after 4 steps (9 min)',
    );
    expect(describeTrafficSteps({ type: 'blue-green' })).toBe('blue/green: all production traffic at once');
  });
});

describe('the smoke-test gate', () => {
  test("its pause is a stage of its own: not in the least total, up to the hook's timeout in the longest", () => {
    // WHEN
    const timing = releaseTiming({ ...SETTINGS, strategy: { type: 'canary', percent: 10, bakeMinutes: 5 }, pauseMinutes: 30 });

    // THEN
    expect(timing.pauseSeconds).toBe(30 * 60);
    expect(timing.totalSeconds).toBe(50 + 300 + 600 + 30);
    expect(timing.withPauseSeconds).toBe(timing.totalSeconds + 30 * 60);
  });

  function environmentWith(release: object) {
    const raw = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));
    raw.environments.pre.release = release;
    return parseConfig(raw).environments.pre;
  }

  test.each([
    ['smoke checks', { smoke: [{ path: '/health', status: 200 }], pauseTimeoutMinutes: 20 }, 20 * 60],
    ['approval only', { approve: true, pauseTimeoutMinutes: 45 }, 45 * 60],
    ['neither: no pause, whatever its timeout says', { approve: false, pauseTimeoutMinutes: 45 }, 0],
  ])('an environment pauses with %s', (_case, release, pauseSeconds) => {
    // WHEN
    const { configured, awsDefaults } = compareWithAwsDefaults(environmentWith(release));

    // THEN both columns keep the environment's gate
    expect(configured.pauseSeconds).toBe(pauseSeconds);
    expect(awsDefaults.pauseSeconds).toBe(pauseSeconds);
  });

  test('a configured strategy counts in both columns, like the bake', () => {
    // WHEN
    const { configured, awsDefaults } = compareWithAwsDefaults(
      environmentWith({ strategy: { type: 'linear', stepPercent: 20, stepBakeMinutes: 5 } }),
    );

    // THEN 5 shifts, 4 bakes of 5 minutes
    expect(configured.trafficShiftSeconds).toBe(20 * 60);
    expect(awsDefaults.trafficShiftSeconds).toBe(20 * 60);
    expect(configured.totalSeconds).toBe(50 + 20 * 60 + 120 + 10);
  });
});
