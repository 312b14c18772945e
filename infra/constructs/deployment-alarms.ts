import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { EnvironmentName, ReleaseAlarmsConfig } from '../config';

/** Properties of {@link DeploymentAlarms}. */
export interface DeploymentAlarmsProps {
  /** the environment, for the alarm descriptions. */
  readonly environmentName: EnvironmentName;
  /** the blue and green target groups; after each release they swap roles, so every alarm watches both. */
  readonly targetGroups: readonly elbv2.ApplicationTargetGroup[];
  /** thresholds from config. */
  readonly alarms: ReleaseAlarmsConfig;
}

/**
 * The CloudWatch alarms that roll a release back when they fire during the deployment or its bake time:
 * target 5xx answers, unhealthy targets and p99 latency, each over blue and green together.
 */
export class DeploymentAlarms extends Construct {
  /** target 5xx answers per minute, both target groups summed. */
  readonly target5xx: cloudwatch.Alarm;
  /** the most unhealthy targets in either target group. */
  readonly unhealthyHosts: cloudwatch.Alarm;
  /** the higher p99 target response time of the two target groups. */
  readonly p99Latency: cloudwatch.Alarm;
  /** all of the above, in that order. */
  readonly all: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DeploymentAlarmsProps) {
    super(scope, id);
    const { alarms, environmentName } = props;
    const period = Duration.minutes(1);
    const byGroup = (metric: (tg: elbv2.ApplicationTargetGroup) => cloudwatch.IMetric) =>
      Object.fromEntries(props.targetGroups.map((tg, i) => [`tg${i}`, metric(tg)]));
    const ids = props.targetGroups.map((_tg, i) => `tg${i}`);
    const common = {
      evaluationPeriods: alarms.evaluationMinutes,
      datapointsToAlarm: alarms.evaluationMinutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // an idle target group reports nothing; silence is not a failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };

    this.target5xx = new cloudwatch.Alarm(this, 'Target5xx', {
      ...common,
      alarmDescription: `berth ${environmentName}: the application answered ${alarms.target5xxPerMinute} or more 5xx a minute for ${alarms.evaluationMinutes} minute(s); during a release this rolls it back`,
      metric: new cloudwatch.MathExpression({
        expression: ids.map((i) => `FILL(${i}, 0)`).join(' + '),
        usingMetrics: byGroup((tg) => tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' })),
        period,
        label: 'target 5xx per minute',
      }),
      threshold: alarms.target5xxPerMinute,
    });
    this.unhealthyHosts = new cloudwatch.Alarm(this, 'UnhealthyHosts', {
      ...common,
      alarmDescription: `berth ${environmentName}: a task failed the load balancer's health checks for ${alarms.evaluationMinutes} minute(s); during a release this rolls it back`,
      metric: new cloudwatch.MathExpression({
        expression: `MAX([${ids.map((i) => `FILL(${i}, 0)`).join(', ')}])`,
        usingMetrics: byGroup((tg) => tg.metrics.unhealthyHostCount({ period, statistic: 'Maximum' })),
        period,
        label: 'unhealthy targets',
      }),
      threshold: 1,
    });
    this.p99Latency = new cloudwatch.Alarm(this, 'P99Latency', {
      ...common,
      alarmDescription: `berth ${environmentName}: p99 response time was ${alarms.p99LatencyMs} ms or more for ${alarms.evaluationMinutes} minute(s); during a release this rolls it back`,
      metric: new cloudwatch.MathExpression({
        expression: `MAX([${ids.join(', ')}])`,
        usingMetrics: byGroup((tg) => tg.metrics.targetResponseTime({ period, statistic: 'p99' })),
        period,
        label: 'p99 target response time (s)',
      }),
      threshold: alarms.p99LatencyMs / 1000,
    });
    this.all = [this.target5xx, this.unhealthyHosts, this.p99Latency];
    for (const alarm of this.all) {
      Validations.of(alarm).acknowledge({
        id: 'cdk-validator-cfnguard::cloudwatch_alarm_action_check',
        reason:
          'the ECS deployment is what acts on this alarm: it rolls the release back; nobody is paged for a release that rolled itself back.',
      });
    }
  }
}
