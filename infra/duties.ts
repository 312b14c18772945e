/**
 * Who may run which berth command, and the AWS calls each command makes: the one list the duty roles'
 * policies are built from and the command tests check the CLI against (test/_helpers/mock-aws.ts fails a
 * command test that sends a call its command does not declare here).
 *
 * Nothing in this file may import anything: the infra builds policies from it, the CLI names the duty a
 * refused call needed from it, and neither may pull the other's runtime in.
 */

/** The duties berth's commands belong to: each is an IAM role of every environment (infra/constructs/operator-access.ts). */
export const DUTIES = ['viewer', 'troubleshooter', 'releaser'] as const;

/** One of {@link DUTIES}. */
export type Duty = (typeof DUTIES)[number];

/** The duties whose role may run a command of each duty: the troubleshooter and the releaser are viewers too. */
export const DUTIES_THAT_INCLUDE: Readonly<Record<Duty, readonly Duty[]>> = {
  viewer: ['viewer', 'troubleshooter', 'releaser'],
  troubleshooter: ['troubleshooter'],
  releaser: ['releaser'],
};

/**
 * The resource of the environment a call addresses, as the manifest names it; `any` for actions the
 * Service Authorization Reference lists without a resource type (they take `*` only). `executionRole` is the
 * task definition's execution role, `secrets` the Secrets Manager secrets its app container gets
 * (`container.secrets` and the database's), `secretKeys` the KMS keys that encrypt them (known only at run
 * time: DescribeSecret names them).
 */
export type CallResource =
  | 'manifest'
  | 'imageTagParameter'
  | 'amiParameter'
  | 'repository'
  | 'cluster'
  | 'service'
  | 'serviceDeployments'
  | 'taskDefinitionFamily'
  | 'tasks'
  | 'containerInstances'
  | 'capacityProvider'
  | 'instances'
  | 'autoScalingGroup'
  | 'taskRoles'
  | 'databaseClientFamily'
  | 'databaseClientRoles'
  | 'logGroup'
  | 'hostedZone'
  | 'certificate'
  | 'ssmDocument'
  | 'executionRole'
  | 'secrets'
  | 'secretKeys'
  | 'any';

/** One AWS call: the IAM action it is authorized as, and what it touches. */
export interface AwsCall {
  /** the IAM action, e.g. `ecs:DescribeServices`. */
  readonly action: string;
  /** the resource of the environment it addresses. */
  readonly resource: CallResource;
}

/** What one command needs: its duty and every call it makes. */
export interface CommandAccess {
  /** the least duty that may run it. */
  readonly duty: Duty;
  /** every AWS call of the command, by berth itself or by the AWS CLI it starts. */
  readonly calls: readonly AwsCall[];
}

const call = (resource: CallResource, ...actions: string[]): AwsCall[] => actions.map((action) => ({ action, resource }));

/** Every command starts by reading its environment's manifest. */
const MANIFEST = call('manifest', 'ssm:GetParameter');

/** The release live records (`status` shows it, a live release compares with it); pre has no such parameter. */
const RECORDED_TAG = call('imageTagParameter', 'ssm:GetParameter');

/**
 * What status, and every release command before its first write, reads of the service and the load balancer.
 * DescribeServiceDeployments and DescribeServiceRevisions authorize the service as well as the deployment or
 * revision (both resource types required, Service Authorization Reference as the tests' policy evaluator packages it).
 */
const SERVICE_READS = [
  ...call(
    'service',
    'ecs:DescribeServices',
    'ecs:ListServiceDeployments',
    'ecs:DescribeServiceDeployments',
    'ecs:DescribeServiceRevisions',
  ),
  ...call('serviceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'),
  ...call('any', 'ecs:DescribeTaskDefinition'),
  ...call(
    'any',
    'elasticloadbalancing:DescribeRules',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetGroupAttributes',
    'elasticloadbalancing:DescribeTargetHealth',
  ),
];

/**
 * The instances of the environment's Auto Scaling group and what ECS knows of them, and the AMI the launch template
 * names through AWS's public parameter of the ECS-optimized AMI.
 */
const INSTANCE_READS = [
  ...call('amiParameter', 'ssm:GetParameter'),
  ...call('any', 'autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplateVersions'),
  ...call('cluster', 'ecs:ListContainerInstances'),
  ...call('containerInstances', 'ecs:DescribeContainerInstances'),
];

/** A release: the reads, then a revision of the environment's family, its roles passed, the service updated. */
const RELEASE = [
  ...MANIFEST,
  ...SERVICE_READS,
  ...call('repository', 'ecr:DescribeImages'),
  // who starts the release, for the new revision's berth:started-by tag; GetCallerIdentity needs no permission
  // (STS API reference), so declaring it grants nothing a role did not have.
  ...call('any', 'sts:GetCallerIdentity'),
  ...call('taskDefinitionFamily', 'ecs:RegisterTaskDefinition', 'ecs:TagResource', 'ecs:ListTagsForResource'),
  ...call('taskRoles', 'iam:PassRole'),
  ...call('service', 'ecs:UpdateService'),
  // the release gate continues or stops a paused deployment; both actions authorize the service and the
  // deployment (resource types service and service-deployment, Service Authorization Reference, as packaged for the tests' policy evaluator).
  ...call('service', 'ecs:ContinueServiceDeployment', 'ecs:StopServiceDeployment'),
  ...call('serviceDeployments', 'ecs:ContinueServiceDeployment', 'ecs:StopServiceDeployment'),
];

/**
 * The pre-flight of `verify`, which `promote` runs too: reads only. iam:SimulatePrincipalPolicy evaluates the
 * execution role's policies and changes nothing (IAM API reference); the Service Authorization Reference lists
 * logs:DescribeLogGroups and ssm:DescribeParameters without a resource type.
 */
const PREFLIGHT = [
  ...call('executionRole', 'iam:GetRole', 'iam:SimulatePrincipalPolicy'),
  ...call('secrets', 'secretsmanager:DescribeSecret'),
  ...call('secretKeys', 'kms:DescribeKey'),
  ...call('any', 'ssm:DescribeParameters', 'logs:DescribeLogGroups'),
  ...call('repository', 'ecr:BatchGetImage'),
  ...call('certificate', 'acm:DescribeCertificate'),
  ...call('service', 'ecs:DescribeServices'),
  ...call('any', 'ecs:DescribeTaskDefinition', 'application-autoscaling:DescribeScalableTargets'),
  ...INSTANCE_READS,
];

/** Every berth command that calls AWS, by name (scripts/commands/definitions.ts). */
export const COMMAND_ACCESS = {
  status: {
    duty: 'viewer',
    calls: [...MANIFEST, ...RECORDED_TAG, ...SERVICE_READS, ...call('any', 'application-autoscaling:DescribeScalableTargets')],
  },
  history: {
    duty: 'viewer',
    calls: [
      ...MANIFEST,
      ...call('imageTagParameter', 'ssm:GetParameterHistory'),
      ...call('any', 'ecs:ListTaskDefinitions', 'ecs:DescribeTaskDefinition'),
      ...call('repository', 'ecr:DescribeImages'),
    ],
  },
  instances: { duty: 'viewer', calls: [...MANIFEST, ...INSTANCE_READS] },
  logs: { duty: 'viewer', calls: [...MANIFEST, ...call('logGroup', 'logs:FilterLogEvents')] },
  dns: {
    duty: 'viewer',
    calls: [...MANIFEST, ...call('hostedZone', 'route53:ListResourceRecordSets'), ...call('certificate', 'acm:DescribeCertificate')],
  },
  doctor: {
    duty: 'viewer',
    calls: [
      ...MANIFEST,
      ...SERVICE_READS,
      ...INSTANCE_READS,
      ...call('hostedZone', 'route53:ListResourceRecordSets'),
      ...call('certificate', 'acm:DescribeCertificate'),
      ...call('any', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeListeners'),
      // ListTasks authorizes a container instance of the cluster, not the cluster (Service Authorization Reference).
      ...call('containerInstances', 'ecs:ListTasks'),
      ...call('tasks', 'ecs:DescribeTasks'),
      ...call('capacityProvider', 'ecs:DescribeCapacityProviders'),
      ...call('any', 'autoscaling:DescribeScalingActivities'),
      ...call('any', 'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingActivities'),
    ],
  },
  verify: { duty: 'viewer', calls: [...MANIFEST, ...RECORDED_TAG, ...PREFLIGHT] },
  connect: {
    duty: 'troubleshooter',
    calls: [
      ...MANIFEST,
      ...call('any', 'autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances'),
      ...call('instances', 'ssm:StartSession', 'ec2-instance-connect:SendSSHPublicKey'),
      // StartSession authorizes the session document as well as the instance.
      ...call('ssmDocument', 'ssm:StartSession'),
    ],
  },
  exec: {
    duty: 'troubleshooter',
    calls: [
      ...MANIFEST,
      ...call('containerInstances', 'ecs:ListTasks'),
      ...call('tasks', 'ecs:DescribeTasks', 'ecs:ExecuteCommand'),
      // ExecuteCommand authorizes the cluster as well as the task (both required, Service Authorization Reference).
      ...call('cluster', 'ecs:ExecuteCommand'),
    ],
  },
  'agent-log': {
    duty: 'troubleshooter',
    calls: [
      ...MANIFEST,
      ...call('any', 'autoscaling:DescribeAutoScalingGroups', 'ssm:GetCommandInvocation'),
      // SendCommand authorizes the document it runs (AWS-RunShellScript) as well as the instance.
      ...call('instances', 'ssm:SendCommand'),
      ...call('ssmDocument', 'ssm:SendCommand'),
    ],
  },
  'db-shell': {
    duty: 'troubleshooter',
    calls: [
      ...MANIFEST,
      ...call('service', 'ecs:DescribeServices'),
      ...call('databaseClientFamily', 'ecs:RunTask'),
      // the task takes its definition's tags (propagateTags), which RunTask authorizes as ecs:TagResource on the task.
      ...call('tasks', 'ecs:DescribeTasks', 'ecs:StopTask', 'ecs:ExecuteCommand', 'ecs:TagResource'),
      ...call('cluster', 'ecs:ExecuteCommand'),
      ...call('databaseClientRoles', 'iam:PassRole'),
    ],
  },
  deploy: { duty: 'releaser', calls: RELEASE },
  continue: {
    duty: 'releaser',
    calls: [
      ...MANIFEST,
      ...SERVICE_READS,
      ...call('service', 'ecs:ContinueServiceDeployment'),
      ...call('serviceDeployments', 'ecs:ContinueServiceDeployment'),
    ],
  },
  promote: { duty: 'releaser', calls: [...RELEASE, ...RECORDED_TAG, ...PREFLIGHT, ...call('imageTagParameter', 'ssm:PutParameter')] },
  rollback: {
    duty: 'releaser',
    calls: [...RELEASE, ...RECORDED_TAG, ...call('imageTagParameter', 'ssm:GetParameterHistory', 'ssm:PutParameter')],
  },
} as const satisfies Record<string, CommandAccess>;

/** A command {@link COMMAND_ACCESS} lists. */
export type AccessCommand = keyof typeof COMMAND_ACCESS;

/**
 * How long a session of each duty's role may last, in hours: a viewer watches a long release, a troubleshooter's
 * and a releaser's rights expire sooner. The roles' `MaxSessionDuration` and the CLI's `--role` both read it.
 */
export const DUTY_SESSION_HOURS: Readonly<Record<Duty, number>> = { viewer: 12, troubleshooter: 4, releaser: 4 };

/**
 * The name of an environment's duty role. Fixed, because an operator types it into a profile's `role_arn`;
 * at most 40 characters with the longest app name (20), within IAM's 64.
 * @param app the app name
 * @param environment pre or live
 * @param duty the duty
 */
export function dutyRoleName(app: string, environment: string, duty: Duty): string {
  return `berth-${app}-${environment}-${duty}`;
}

/**
 * Every IAM action a duty's role needs: the calls of each command of that duty and of the duties it includes.
 * @param duty the duty
 */
export function callsOfDuty(duty: Duty): AwsCall[] {
  const seen = new Set<string>();
  const calls: AwsCall[] = [];
  for (const access of Object.values(COMMAND_ACCESS) as CommandAccess[]) {
    if (!DUTIES_THAT_INCLUDE[access.duty].includes(duty)) continue;
    for (const c of access.calls) {
      const key = `${c.action} ${c.resource}`;
      if (!seen.has(key)) calls.push(c);
      seen.add(key);
    }
  }
  return calls;
}
