import { type Template } from 'aws-cdk-lib/assertions';
import { synthBerth } from '../../_helpers/synth';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Resources = Record<string, Resource>;
type Environments = Record<string, Record<string, unknown>>;

/** Auto-scaling on live with every kind of target and one window, as the README shows it. */
const LIVE_SCALING = {
  minTasks: 2,
  maxTasks: 8,
  targets: { cpuPercent: 60, memoryPercent: 70, requestsPerTaskPerMinute: 1200 },
  scaleOutCooldownSeconds: 90,
  scheduledMinimums: {
    'business-hours': { minTasks: 4, start: '0 8 ? * MON-FRI *', end: '0 19 ? * MON-FRI *', timeZone: 'Europe/Berlin' },
  },
};

// GIVEN: live auto-scaled (8 instances hold a release at 8 tasks), starting at 3; pre with a fixed count.
const berth = synthBerth((raw) => {
  const live = (raw.environments as Environments).live;
  live.maxCapacity = 8;
  live.desiredTaskCount = 3;
  live.autoScaling = LIVE_SCALING;
});

const only = (template: Template, type: string): [string, Resource] => {
  const found = Object.entries(template.findResources(type) as Resources);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const policies = (template: Template) => Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy') as Resources);

describe('a service without autoScaling', () => {
  test('runs desiredTaskCount tasks, which the template names, and has no scalable target', () => {
    // THEN
    berth.pre.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
    berth.pre.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    berth.pre.resourceCountIs('Custom::BerthStartingTaskCount', 0);
  });
});

describe('an auto-scaled service', () => {
  const template = berth.live;
  const [serviceId, service] = only(template, 'AWS::ECS::Service');
  const [targetId, target] = only(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
  const [clusterId] = only(template, 'AWS::ECS::Cluster');

  test('names no DesiredCount, so that CloudFormation leaves the count out of every update of the service', () => {
    // THEN: "For existing services, if a desired count is not specified, it is omitted from the operation."
    expect(service.Properties).not.toHaveProperty('DesiredCount');
  });

  test("is the scalable target, from minTasks to maxTasks, scaled through Application Auto Scaling's service-linked role", () => {
    // THEN
    expect(target.Properties).toMatchObject({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 2,
      MaxCapacity: 8,
      ResourceId: {
        'Fn::Join': ['', ['service/', { Ref: clusterId }, '/', { 'Fn::GetAtt': [serviceId, 'Name'] }]],
      },
    });
    expect(JSON.stringify(target.Properties.RoleARN)).toContain(
      ':iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
    );
    // no role of berth's own for it.
    expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('TaskScaling'))).toEqual([]);
  });

  test('tracks the CPU and memory targets with the predefined ECS service metrics and the configured cooldowns', () => {
    // THEN
    for (const [type, value] of [
      ['ECSServiceAverageCPUUtilization', 60],
      ['ECSServiceAverageMemoryUtilization', 70],
    ] as const) {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: targetId },
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: type },
          TargetValue: value,
          ScaleOutCooldown: 90,
          ScaleInCooldown: 300,
        },
      });
    }
    expect(policies(template)).toHaveLength(3);
  });

  test("tracks requests per task over both target groups, never one group's ALBRequestCountPerTarget", () => {
    // GIVEN
    const [requests] = policies(template).filter((p) => JSON.stringify(p).includes('CustomizedMetricSpecification'));
    const configuration = requests!.Properties.TargetTrackingScalingPolicyConfiguration as {
      TargetValue: number;
      CustomizedMetricSpecification: { Metrics: MetricQuery[] };
    };
    const queries = configuration.CustomizedMetricSpecification.Metrics;

    // THEN: one query per target group, RequestCountPerTarget with its only valid statistic, and one expression returned.
    expect(configuration.TargetValue).toBe(1200);
    expect(JSON.stringify(policies(template))).not.toContain('ALBRequestCountPerTarget');
    const groups = queries.filter((q) => q.MetricStat).map((q) => targetGroupOf(q));
    expect(groups.sort()).toEqual(targetGroupIds(template).sort());
    for (const query of queries.filter((q) => q.MetricStat)) {
      expect(query).toMatchObject({
        ReturnData: false,
        MetricStat: { Stat: 'Sum', Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget' } },
      });
      expect(query.MetricStat!.Metric.Dimensions.map((d) => d.Name).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
    }
    expect(queries.filter((q) => q.ReturnData !== false)).toEqual([
      expect.objectContaining({ ReturnData: true, Expression: expect.any(String) }),
    ]);
  });

  test.each([
    ['before any release: production on blue', { blue: 1 }],
    ['after one release: production on green, the group the first release swapped to', { green: 1 }],
    ['after two releases: back on blue', { blue: 1 }],
    ['during a linear shift: 30 % on green, each group with its own tasks', { blue: 0.7, green: 0.3 }],
  ])('its metric reads the requests per serving task wherever production is: %s', (_title, shares) => {
    // GIVEN: 6000 requests a minute over 4 tasks in each group that takes traffic; a group without requests reports
    // nothing (ELB publishes no data point), which the expression must read as no requests.
    const [blue, green] = ['IngressBlueTargetGroup', 'IngressGreenTargetGroup'].map((prefix) =>
      targetGroupIds(template).find((id) => id.startsWith(prefix))!,
    );
    const perTarget: Record<string, number | undefined> = {
      [blue!]: 'blue' in shares ? (6000 * shares.blue!) / 4 : undefined,
      [green!]: 'green' in shares ? (6000 * shares.green!) / 4 : undefined,
    };

    // WHEN
    const value = evaluateRequestsMetric(template, perTarget);

    // THEN
    expect(value).toBe(1500);
  });

  test('each scheduled minimum opens with its minTasks and closes back at minTasks, in its time zone', () => {
    // THEN
    expect(target.Properties.ScheduledActions).toEqual([
      {
        ScheduledActionName: 'business-hours-start',
        Schedule: 'cron(0 8 ? * MON-FRI *)',
        Timezone: 'Europe/Berlin',
        ScalableTargetAction: { MinCapacity: 4 },
      },
      {
        ScheduledActionName: 'business-hours-end',
        Schedule: 'cron(0 19 ? * MON-FRI *)',
        Timezone: 'Europe/Berlin',
        ScalableTargetAction: { MinCapacity: 2 },
      },
    ]);
  });

  test('a new service is raised to desiredTaskCount once, after its scalable target is registered', () => {
    // GIVEN
    const [, starting] = only(template, 'Custom::BerthStartingTaskCount');

    // THEN
    expect(starting.Properties).toMatchObject({
      Cluster: { Ref: clusterId },
      Service: { 'Fn::GetAtt': [serviceId, 'Name'] },
      StartingTaskCount: 3,
    });
    expect(starting.DependsOn).toEqual(expect.arrayContaining([targetId, expect.stringMatching(/^TaskScalingStartingTaskCountPolicy/)]));
  });
});

/** One query of a customized metric specification. */
interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly ReturnData?: boolean;
  readonly MetricStat?: { readonly Stat: string; readonly Metric: { readonly Dimensions: { Name: string; Value: unknown }[] } };
}

function targetGroupIds(template: Template): string[] {
  return Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
}

/** The target group a query reads, from its TargetGroup dimension (`Fn::GetAtt [<id>, TargetGroupFullName]`). */
function targetGroupOf(query: MetricQuery): string {
  const value = query.MetricStat!.Metric.Dimensions.find((d) => d.Name === 'TargetGroup')!.Value as { 'Fn::GetAtt': [string, string] };
  expect(value['Fn::GetAtt'][1]).toBe('TargetGroupFullName');
  return value['Fn::GetAtt'][0];
}

/**
 * The value of the requests policy's expression for one minute, as CloudWatch computes it: each query gets the
 * RequestCountPerTarget of its target group, or no data point; FILL gives a missing one its filler value and
 * arithmetic reads a missing value as 0 (CloudWatch user guide, "Metric math syntax and functions"). Reads sums
 * of FILL(id, n), ids and numbers, which is all berth writes.
 * @param template the stack
 * @param perTarget RequestCountPerTarget of each target group by logical id (undefined: no data point)
 */
function evaluateRequestsMetric(template: Template, perTarget: Readonly<Record<string, number | undefined>>): number {
  const [requests] = policies(template).filter((p) => JSON.stringify(p).includes('CustomizedMetricSpecification'));
  const queries = (
    requests!.Properties.TargetTrackingScalingPolicyConfiguration as { CustomizedMetricSpecification: { Metrics: MetricQuery[] } }
  ).CustomizedMetricSpecification.Metrics;
  const data = new Map(queries.filter((q) => q.MetricStat).map((q) => [q.Id, perTarget[targetGroupOf(q)]]));
  const expression = queries.find((q) => q.ReturnData)!.Expression!;
  return expression.split('+').reduce((sum, term) => {
    const text = term.trim();
    const fill = /^FILL\((\w+),\s*(\d+(?:\.\d+)?)\)$/.exec(text);
    if (fill) return sum + (data.get(fill[1]!) ?? Number(fill[2]));
    if (/^\d+(?:\.\d+)?$/.test(text)) return sum + Number(text);
    if (!data.has(text)) throw new Error(`the expression reads ${text}, which is no query of the policy`);
    return sum + (data.get(text) ?? 0);
  }, 0);
}
