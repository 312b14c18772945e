/**
 * The config of how an environment releases (`environments.<env>.release`), one part of the schema in ./schema:
 * the traffic-shift strategy, the smoke checks and the approval at the pause before production traffic.
 * Nothing in this file may import aws-cdk-lib: the CLI reads the config through it.
 */
import { Number as NumberType } from '@sinclair/typebox';
import type { EnvironmentName } from '../environments';
import { annotate, choice, flag, integer, list, oneOf, optional, section, text, withDefault, type FieldNotes } from './schema-kit';

/**
 * CloudFormation refuses an ECS deployment whose computed time exceeds 33 hours: `BakeTimeInMinutes +
 * CanaryBakeTimeInMinutes` (canary), `BakeTimeInMinutes + StepBakeTimeInMinutes x steps` (linear). Source:
 * CloudFormation template reference, aws-properties-ecs-service-canaryconfiguration / -linearconfiguration.
 */
export const MAX_DEPLOYMENT_BAKE_MINUTES = 33 * 60;

/** CloudFormation operations time out after 36 hours (same source); a pause counts towards it. */
export const MAX_STACK_OPERATION_MINUTES = 36 * 60;

/** The most smoke checks one environment runs at the pause. */
export const MAX_SMOKE_CHECKS = 20;

/**
 * A number from `minimum` to `maximum` in steps of 0.1 (ECS: "multiples of 0.1"); the step is checked as
 * aws-cdk-lib checks it (`Number.isInteger(value * 10)`), so the L2 never refuses a value the config took.
 */
function tenths(minimum: number, maximum: number, options: { readonly description: string } & FieldNotes) {
  const { description, ...notes } = options;
  return annotate(NumberType({ minimum, maximum, description }), {
    allowed: `a number from ${minimum} to ${maximum} in steps of 0.1`,
    refine: (value) => (Number.isInteger((value as number) * 10) ? undefined : `${String(value)} is not a multiple of 0.1`),
    ...notes,
  });
}

const STRATEGY_TYPE = 'the strategy: `blue-green` (all production traffic at once), `canary` or `linear`';
const strategyType = <const V extends string>(value: V) =>
  annotate(choice([value] as const, { description: STRATEGY_TYPE }), {
    allowed: 'blue-green, canary, linear',
    defaultText: '`blue-green`',
  });
const bake = (description: string, ecsDefault: number) => withDefault(integer(0, 1440, { description }), ecsDefault);

/**
 * ECS's defaults for the strategies' settings, which the config takes as its own and the CLI assumes for a
 * service whose deployment configuration leaves one out. ECS API reference, CanaryConfiguration
 * (canaryPercent 0.1-100, default 5; canaryBakeTimeInMinutes 0-1440, default 10) and LinearConfiguration
 * (stepPercent 3-100 in multiples of 0.1, default 10; stepBakeTimeInMinutes 0-1440, default 6);
 * @aws-sdk/client-ecs and aws-cdk-lib's CfnService docs agree.
 */
export const ECS_STRATEGY_DEFAULTS = {
  canary: { percent: 5, bakeMinutes: 10 },
  linear: { stepPercent: 10, stepBakeMinutes: 6 },
} as const;

const strategySchema = oneOf(
  [
    section({ type: strategyType('blue-green') }, { description: 'blue-green' }),
    section(
      {
        type: strategyType('canary'),
        percent: withDefault(
          tenths(0.1, 100, { description: 'canary: the share of production traffic the new tasks get first' }),
          ECS_STRATEGY_DEFAULTS.canary.percent,
        ),
        bakeMinutes: bake('canary: minutes at that share, alarms armed, before the rest shifts', ECS_STRATEGY_DEFAULTS.canary.bakeMinutes),
      },
      { description: 'canary' },
    ),
    section(
      {
        type: strategyType('linear'),
        stepPercent: withDefault(
          tenths(3, 100, { description: 'linear: the share of production traffic each step adds' }),
          ECS_STRATEGY_DEFAULTS.linear.stepPercent,
        ),
        stepBakeMinutes: bake(
          'linear: minutes after each step, alarms armed, before the next',
          ECS_STRATEGY_DEFAULTS.linear.stepBakeMinutes,
        ),
      },
      { description: 'linear' },
    ),
  ],
  {
    description: 'how production traffic shifts to the new tasks',
    branch: (value) => ({ canary: 1, linear: 2 })[String(value.type)] ?? 0,
  },
);

const smokeCheckSchema = annotate(
  section(
    {
      path: text(/^\/[\x21-\x7e]{0,1023}$/, {
        description: 'a smoke check: the path requested, with the test header, on the environment’s URL',
        allowed: 'an HTTP path starting with / such as /health',
      }),
      status: integer(100, 599, { description: 'a smoke check: the status it expects' }),
      bodyContains: optional(
        text(/^[\s\S]{1,1024}$/, { description: 'a smoke check: text the body must contain', allowed: '1 to 1024 characters' }),
      ),
      header: optional(
        section(
          {
            name: text(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, {
              description: 'a smoke check: a header the answer must have',
              allowed: 'an HTTP header name',
            }),
            value: optional(
              text(/^[\s\S]{1,1024}$/, {
                description: 'a smoke check: text that header’s value must contain',
                allowed: '1 to 1024 characters',
              }),
            ),
          },
          { description: 'a header the answer must have' },
        ),
      ),
    },
    { description: 'one smoke check' },
  ),
  { allowed: 'checks such as { "path": "/health", "status": 200 }, optionally with bodyContains and header { name, value }' },
);

/**
 * `environments.<env>.release`: every field has a default, so an environment without the section releases
 * blue/green as before; live asks for approval by default, pre does not.
 * @param name pre or live
 */
export function releaseSchema(name: EnvironmentName) {
  const per = <T>(values: Readonly<Record<EnvironmentName, T>>) => values[name];
  return section(
    {
      strategy: withDefault(strategySchema, { type: 'blue-green' }),
      smoke: withDefault(
        list(smokeCheckSchema, {
          description: `checks run over HTTPS with the test header against the new tasks at the pause, before production traffic; at most ${MAX_SMOKE_CHECKS}`,
          maxItems: MAX_SMOKE_CHECKS,
          explain: (checks) => `${(checks as unknown[]).length} checks`,
        }),
        [],
      ),
      approve: withDefault(
        flag({ description: 'after the smoke checks pass, a person confirms the shift of production traffic (`--yes` in CI)' }),
        per({ pre: false, live: true }),
      ),
      pauseTimeoutMinutes: withDefault(
        integer(1, 20160, {
          description:
            'with smoke checks or approval the release pauses before production traffic; when nobody continues it within this time, ECS rolls it back',
        }),
        per({ pre: 15, live: 30 }),
      ),
    },
    { description: 'how the environment releases', table: 'traffic' },
  );
}

/** The strategy of a release as read from config. */
export type ReleaseStrategyConfig =
  | { readonly type: 'blue-green' }
  | { readonly type: 'canary'; readonly percent: number; readonly bakeMinutes: number }
  | { readonly type: 'linear'; readonly stepPercent: number; readonly stepBakeMinutes: number };

/**
 * The bakes between the traffic steps of a linear release: `100 / StepPercent - 1` when it divides evenly, else
 * its floor. ECS bakes after every shift but the one that reaches 100 % (ECS API reference, LinearConfiguration:
 * "This bake time is not applied after reaching 100 percent traffic"), and CloudFormation counts the steps this
 * way (template reference, aws-properties-ecs-service-linearconfiguration: StepPercent 11 makes 9 steps, 25
 * makes 3). Computed in tenths, the unit ECS takes, so 100 / 3.3 is not a floating-point accident.
 * @param stepPercent the share of production traffic each step adds
 */
export function linearBakeSteps(stepPercent: number): number {
  const steps = 1000 / Math.round(stepPercent * 10);
  return Number.isInteger(steps) ? steps - 1 : Math.floor(steps);
}

/**
 * Minutes the strategy's own bakes add to a release before its final bake (CloudFormation's arithmetic): a
 * canary's bake, a linear release's bake per step times its steps, nothing for blue/green. The one place this
 * is computed: the config's limits, `npm run bench release-timing` and the CLI's follow timeout use it.
 * @param strategy the strategy, from config or as ECS reports the service's
 */
export function strategyBakeMinutes(strategy: ReleaseStrategyConfig): number {
  if (strategy.type === 'canary') return strategy.bakeMinutes;
  if (strategy.type === 'linear') return strategy.stepBakeMinutes * linearBakeSteps(strategy.stepPercent);
  return 0;
}
