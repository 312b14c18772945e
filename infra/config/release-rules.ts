/**
 * The checks of `environments.<env>.release` that its JSON Schema cannot express: the arithmetic of the bakes
 * against CloudFormation's limits. test/infra/config-schema.test.ts lists them as validator-only. Nothing in
 * this file may import aws-cdk-lib.
 */
import { type ConfigRule, environmentRule } from './check';
import { MAX_DEPLOYMENT_BAKE_MINUTES, MAX_STACK_OPERATION_MINUTES, strategyBakeMinutes } from './release-schema';
import { releasePauseMinutes } from './resolve';

/** What the strategy's bakes come to, in words, for a message. */
function bakeSum(bakeMinutes: number, strategy: Parameters<typeof strategyBakeMinutes>[0]): string {
  const own = strategyBakeMinutes(strategy);
  if (strategy.type === 'canary') return `bakeMinutes ${bakeMinutes} + canary bakeMinutes ${strategy.bakeMinutes} = ${bakeMinutes + own}`;
  if (strategy.type === 'linear') {
    return `bakeMinutes ${bakeMinutes} + stepBakeMinutes ${strategy.stepBakeMinutes} x ${own / (strategy.stepBakeMinutes || 1)} steps = ${bakeMinutes + own}`;
  }
  return `bakeMinutes ${bakeMinutes}`;
}

/** Every validator-only rule of releases. */
export const RELEASE_RULES: readonly ConfigRule[] = [
  ...environmentRule({
    reads: ['bakeMinutes', 'release.strategy'],
    check: ({ bakeMinutes, release }, { report }) => {
      const total = bakeMinutes + strategyBakeMinutes(release.strategy);
      if (total > MAX_DEPLOYMENT_BAKE_MINUTES) {
        report(
          'release.strategy',
          `${bakeSum(bakeMinutes, release.strategy)} minutes of bake, more than the ${MAX_DEPLOYMENT_BAKE_MINUTES} (33 hours) CloudFormation accepts for a deployment; allowed: shorter bakes or fewer steps`,
        );
      }
    },
  }),
  ...environmentRule({
    // a deployment `cdk deploy` starts waits at the pause up to its timeout, then bakes: past 36 hours CloudFormation
    // gives up on the stack operation (aws-properties-ecs-service-canaryconfiguration: hooks extend the time).
    reads: ['bakeMinutes', 'release.strategy', 'release.pauseTimeoutMinutes', 'release.smoke', 'release.approve'],
    check: (environment, { report }) => {
      const pause = releasePauseMinutes(environment);
      const bakes = environment.bakeMinutes + strategyBakeMinutes(environment.release.strategy);
      if (pause !== undefined && bakes <= MAX_DEPLOYMENT_BAKE_MINUTES && pause + bakes > MAX_STACK_OPERATION_MINUTES) {
        report(
          'release.pauseTimeoutMinutes',
          `${pause} + ${bakes} minutes of bake = ${pause + bakes}, more than the ${MAX_STACK_OPERATION_MINUTES} (36 hours) a CloudFormation operation may take; allowed: at most ${MAX_STACK_OPERATION_MINUTES - bakes}`,
        );
      }
    },
  }),
];
