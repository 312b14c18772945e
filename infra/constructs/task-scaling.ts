import { type CfnResource, Duration, Names, Stack, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { AutoScalingConfig } from '../config';
import { STARTING_TASK_COUNT_RESOURCE_TYPE, type StartingTaskCountProperties } from '../handlers/starting-task-count';
import { HandlerFunction } from './handler-function';

/** Properties of {@link TaskScaling}. */
export interface TaskScalingProps {
  /** the service whose task count is scaled; its template names no `DesiredCount` (see {@link TaskScaling}). */
  readonly service: ecs.BaseService;
  /** the service's cluster. */
  readonly cluster: ecs.ICluster;
  /** the range, targets and windows from config. */
  readonly autoScaling: AutoScalingConfig;
  /** the count a new service starts with: `desiredTaskCount`. */
  readonly startingTaskCount: number;
  /** the blue and green target groups; production is on one of them, which one changes at every release. */
  readonly targetGroups: Readonly<Record<'blue' | 'green', elbv2.IApplicationTargetGroup>>;
  /**
   * the key the stack's handler function logs with, when this construct is the first to use it.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsKey?: kms.IKey;
}

/** Application Auto Scaling's service-linked role for ECS services, which RegisterScalableTarget creates when it is missing. */
const ECS_SCALING_ROLE = 'aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService';

/**
 * Task auto-scaling of one environment's service: a scalable target from `minTasks` to `maxTasks`, a target
 * tracking policy per configured target, the scheduled minimums, and the starting count of a new service.
 *
 * The requests target tracks the requests per target of the blue and the green target group together: ECS swaps
 * the two at every release, so a policy on one group's `ALBRequestCountPerTarget` would, after an odd number of
 * releases, watch the idle group and scale in while production is busy. The idle group has no requests (its
 * series is empty, and FILL reads it as 0), so the sum is the serving group's requests per task; during a canary
 * or linear shift each group's requests are divided by its own tasks, and with as many tasks on each side the sum
 * is still the requests per task. Target tracking takes metric math that returns one time series (Application
 * Auto Scaling user guide, "Create a target tracking scaling policy ... using metric math"; the pattern of
 * aws-samples/sample-amazon-ecs-blue-green-deployment-patterns, ecs-bluegreen-autoscaling).
 */
export class TaskScaling extends Construct {
  /** the scalable target: the service's desired count. */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** one target tracking policy per configured target, by target name. */
  readonly policies: Readonly<Record<string, CfnResource>>;

  constructor(scope: Construct, id: string, props: TaskScalingProps) {
    super(scope, id);
    const { autoScaling, service, cluster } = props;
    const stack = Stack.of(this);

    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      resourceId: `service/${cluster.clusterName}/${service.serviceName}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: autoScaling.minTasks,
      maxCapacity: autoScaling.maxTasks,
      // the service-linked role, as the ECS L2's autoScaleTaskCount names it: no role of berth's own.
      role: iam.Role.fromRoleArn(
        this,
        'ScalingRole',
        stack.formatArn({ region: '', service: 'iam', resource: 'role', resourceName: ECS_SCALING_ROLE }),
      ),
    });

    const cooldowns = {
      scaleOutCooldown: Duration.seconds(autoScaling.scaleOutCooldownSeconds),
      scaleInCooldown: Duration.seconds(autoScaling.scaleInCooldownSeconds),
    };
    const policies: Record<string, CfnResource> = {};
    const { requestsPerTaskPerMinute } = autoScaling.targets;
    // CPU and memory are the service's own averages, which ECS publishes for the service whichever group serves.
    const servicePolicies = [
      ['cpuPercent', 'Cpu', appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION],
      ['memoryPercent', 'Memory', appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_MEMORY_UTILIZATION],
    ] as const;
    for (const [name, policyId, predefinedMetric] of servicePolicies) {
      const targetValue = autoScaling.targets[name];
      if (targetValue === undefined) continue;
      policies[name] = this.scalableTarget.scaleToTrackMetric(policyId, { predefinedMetric, targetValue, ...cooldowns }).node
        .defaultChild as CfnResource;
    }
    if (requestsPerTaskPerMinute !== undefined) {
      policies.requestsPerTaskPerMinute = this.requestsPolicy(props.targetGroups, requestsPerTaskPerMinute, autoScaling);
    }
    this.policies = policies;

    for (const [name, window] of Object.entries(autoScaling.scheduledMinimums)) {
      const timeZone = TimeZone.of(window.timeZone);
      this.scalableTarget.scaleOnSchedule(`${name}-start`, {
        schedule: appscaling.Schedule.expression(`cron(${window.start})`),
        minCapacity: window.minTasks,
        timeZone,
      });
      this.scalableTarget.scaleOnSchedule(`${name}-end`, {
        schedule: appscaling.Schedule.expression(`cron(${window.end})`),
        minCapacity: autoScaling.minTasks,
        timeZone,
      });
    }

    // a new service starts with 1 task; registering the target moves it into the range, and this raises it to the
    // starting count, once (infra/handlers/starting-task-count.ts).
    const handler = HandlerFunction.of(this, props.logsKey ? { logsKey: props.logsKey } : {});
    // a policy of its own: the handler's default policy comes before the listener rules, which come before the service.
    const permission = new iam.Policy(this, 'StartingTaskCountPolicy', {
      roles: [handler.role],
      statements: [new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [service.serviceArn] })],
    });
    const startingCount = handler.resource(this, 'StartingTaskCount', STARTING_TASK_COUNT_RESOURCE_TYPE, {
      Cluster: cluster.clusterName,
      Service: service.serviceName,
      StartingTaskCount: props.startingTaskCount,
    } satisfies StartingTaskCountProperties);
    startingCount.node.addDependency(handler.role, permission, this.scalableTarget);
  }

  /** The requests-per-task policy, over both target groups (see the class comment). */
  private requestsPolicy(targetGroups: TaskScalingProps['targetGroups'], target: number, autoScaling: AutoScalingConfig): CfnResource {
    const ids = Object.keys(targetGroups);
    const metrics = Object.entries(targetGroups).map(([id, group]): appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty => {
      const stat = group.metrics.requestCountPerTarget({ period: Duration.minutes(1) }).toMetricConfig().metricStat!;
      return {
        id,
        label: `requests per target of the ${id} target group`,
        returnData: false,
        metricStat: {
          // RequestCountPerTarget takes only Sum, which is the average per target (ELB user guide, ALB metrics).
          stat: 'Sum',
          metric: {
            namespace: stat.namespace,
            metricName: stat.metricName,
            dimensions: (stat.dimensions ?? []).map((d) => ({ name: d.name, value: String(d.value) })),
          },
        },
      };
    });
    const policy = new appscaling.CfnScalingPolicy(this, 'Requests', {
      policyName: Names.uniqueId(this).slice(-200) + 'Requests',
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.scalableTarget.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: target,
        scaleOutCooldown: autoScaling.scaleOutCooldownSeconds,
        scaleInCooldown: autoScaling.scaleInCooldownSeconds,
        customizedMetricSpecification: {
          metrics: [
            ...metrics,
            {
              id: 'requestsPerTask',
              label: 'requests per task serving production (blue and green)',
              expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
              returnData: true,
            },
          ],
        },
      },
    });
    return policy;
  }
}
