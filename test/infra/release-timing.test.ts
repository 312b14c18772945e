import { loadConfig } from '../../infra/config';
import { AWS_DEFAULT_SETTINGS, compareWithAwsDefaults, releaseTiming } from '../../infra/release-timing';
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
    expect(timing).toEqual({ healthySeconds: 50, bakeSeconds: 600, deregistrationSeconds: 30, totalSeconds: 680 });
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
    expect(configured).toEqual({ healthySeconds: 50, bakeSeconds: 120, deregistrationSeconds: 10, totalSeconds: 180 });
    expect(awsDefaults).toEqual({ healthySeconds: 150, bakeSeconds: 120, deregistrationSeconds: 300, totalSeconds: 570 });
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
