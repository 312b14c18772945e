/**
 * The checks of `environments.<env>.autoScaling` that its JSON Schema cannot express: they compare its
 * fields with each other and with `desiredTaskCount`. test/infra/config-schema.test.ts lists them as
 * validator-only. Nothing in this file may import aws-cdk-lib.
 */
import { type ConfigRule, environmentRule } from './check';

/** The targets a service can be scaled to hold, in the order the README lists them. */
const TARGETS = ['cpuPercent', 'memoryPercent', 'requestsPerTaskPerMinute'] as const;

/** Every validator-only rule of auto-scaling. */
export const SCALING_RULES: readonly ConfigRule[] = [
  ...environmentRule({
    reads: ['autoScaling.minTasks', 'autoScaling.maxTasks'],
    check: ({ autoScaling }, { report }) => {
      if (autoScaling && autoScaling.minTasks > autoScaling.maxTasks) {
        report(
          'autoScaling.minTasks',
          `${autoScaling.minTasks} is greater than maxTasks ${autoScaling.maxTasks}; allowed: minTasks <= maxTasks`,
        );
      }
    },
  }),
  ...environmentRule({
    // desiredTaskCount is the count a new service starts with; Application Auto Scaling would move it into the
    // range at once (RegisterScalableTarget), so a count outside it says something else than what happens.
    reads: ['desiredTaskCount', 'autoScaling.minTasks', 'autoScaling.maxTasks'],
    check: ({ desiredTaskCount, autoScaling }, { report }) => {
      if (!autoScaling || autoScaling.minTasks > autoScaling.maxTasks) return;
      const { minTasks, maxTasks } = autoScaling;
      if (desiredTaskCount < minTasks || desiredTaskCount > maxTasks) {
        report(
          'desiredTaskCount',
          `${desiredTaskCount} is outside autoScaling.minTasks..maxTasks (${minTasks}..${maxTasks}); allowed: a starting count from ${minTasks} to ${maxTasks}`,
        );
      }
    },
  }),
  ...environmentRule({
    reads: ['autoScaling.targets'],
    check: ({ autoScaling }, { report }) => {
      if (autoScaling && TARGETS.every((target) => autoScaling.targets[target] === undefined)) {
        report('autoScaling.targets', `no target is set; allowed: at least one of ${TARGETS.join(', ')}`);
      }
    },
  }),
  ...environmentRule({
    reads: ['autoScaling.scheduledMinimums', 'autoScaling.maxTasks'],
    check: ({ autoScaling }, { report }) => {
      for (const [name, window] of Object.entries(autoScaling?.scheduledMinimums ?? {})) {
        if (window.minTasks > autoScaling!.maxTasks) {
          report(
            `autoScaling.scheduledMinimums.${name}.minTasks`,
            `${window.minTasks} is greater than autoScaling.maxTasks ${autoScaling!.maxTasks}; allowed: at most ${autoScaling!.maxTasks}`,
          );
        }
      }
    },
  }),
];
