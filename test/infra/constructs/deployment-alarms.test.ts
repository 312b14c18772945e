import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentName } from '../../../infra/config';
import { synthBerth } from '../../_helpers/synth';

// GIVEN: live with stricter thresholds than the defaults.
const berth = synthBerth((raw) => {
  const environments = raw.environments as Record<string, Record<string, unknown>>;
  environments.live.alarms = { target5xxPerMinute: 3, p99LatencyMs: 750, evaluationMinutes: 3 };
});

interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Period: number;
    readonly Metric: { readonly MetricName: string; readonly Dimensions: { readonly Name: string; readonly Value: unknown }[] };
    readonly Stat: string;
  };
}

/** The metric queries of the alarm whose logical id starts with `prefix`. */
function alarm(template: Template, prefix: string): { properties: Record<string, unknown>; metrics: MetricQuery[] } {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  const properties = found[0][1].Properties as Record<string, unknown>;
  return { properties, metrics: properties.Metrics as MetricQuery[] };
}

/** The target groups (logical ids) a metric query set reads, by the TargetGroup dimension. */
function targetGroupsOf(metrics: MetricQuery[]): string[] {
  return metrics
    .filter((m) => m.MetricStat)
    .map((m) => JSON.stringify(m.MetricStat!.Metric.Dimensions.find((d) => d.Name === 'TargetGroup')?.Value))
    .map((value) => /Ingress(Blue|Green)TargetGroup/.exec(value)?.[1] ?? value)
    .sort();
}

describe.each<[EnvironmentName, Template]>([
  ['pre', berth.pre],
  ['live', berth.live],
])('the %s release alarms', (name, template) => {
  const thresholds = berth.config.environments[name].alarms;

  test('are exactly three, each over one-minute periods of blue and green together', () => {
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    for (const prefix of ['DeploymentAlarmsTarget5xx', 'DeploymentAlarmsUnhealthyHosts', 'DeploymentAlarmsP99Latency']) {
      const { metrics, properties } = alarm(template, prefix);
      expect(targetGroupsOf(metrics)).toEqual(['Blue', 'Green']);
      expect(metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Period)).toEqual([60, 60]);
      expect(properties).toMatchObject({
        EvaluationPeriods: thresholds.evaluationMinutes,
        DatapointsToAlarm: thresholds.evaluationMinutes,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  test('target 5xx sums both target groups against the configured count', () => {
    // THEN
    const { metrics, properties } = alarm(template, 'DeploymentAlarmsTarget5xx');
    expect(properties.Threshold).toBe(thresholds.target5xxPerMinute);
    expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/^FILL\(\w+, 0\) \+ FILL\(\w+, 0\)$/);
    expect(metrics.filter((m) => m.MetricStat).map((m) => [m.MetricStat!.Metric.MetricName, m.MetricStat!.Stat])).toEqual([
      ['HTTPCode_Target_5XX_Count', 'Sum'],
      ['HTTPCode_Target_5XX_Count', 'Sum'],
    ]);
  });

  test('unhealthy hosts fires on the first unhealthy target in either group', () => {
    // THEN
    const { metrics, properties } = alarm(template, 'DeploymentAlarmsUnhealthyHosts');
    expect(properties.Threshold).toBe(1);
    expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/^MAX\(\[/);
    expect(metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric.MetricName)).toEqual([
      'UnHealthyHostCount',
      'UnHealthyHostCount',
    ]);
  });

  test('p99 latency takes the slower group against the configured milliseconds', () => {
    // THEN
    const { metrics, properties } = alarm(template, 'DeploymentAlarmsP99Latency');
    expect(properties.Threshold).toBe(thresholds.p99LatencyMs / 1000);
    expect(metrics.filter((m) => m.MetricStat).map((m) => [m.MetricStat!.Metric.MetricName, m.MetricStat!.Stat])).toEqual([
      ['TargetResponseTime', 'p99'],
      ['TargetResponseTime', 'p99'],
    ]);
  });

  test("are the service's deployment alarms, with rollback", () => {
    // THEN
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Alarms: Match.objectLike({ Enable: true, Rollback: true }) }),
    });
  });
});

describe('thresholds from config', () => {
  test('live uses its own, pre keeps the defaults', () => {
    // THEN
    expect(alarm(berth.live, 'DeploymentAlarmsTarget5xx').properties.Threshold).toBe(3);
    expect(alarm(berth.live, 'DeploymentAlarmsP99Latency').properties.Threshold).toBe(0.75);
    expect(alarm(berth.live, 'DeploymentAlarmsP99Latency').properties.EvaluationPeriods).toBe(3);
    expect(alarm(berth.pre, 'DeploymentAlarmsTarget5xx').properties.Threshold).toBe(10);
    expect(alarm(berth.pre, 'DeploymentAlarmsP99Latency').properties.Threshold).toBe(2);
  });
});
