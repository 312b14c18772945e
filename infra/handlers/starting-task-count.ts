/**
 * `Custom::BerthStartingTaskCount`: gives a new auto-scaled service its starting count, once.
 *
 * With auto-scaling the service in the template names no `DesiredCount`, so that no stack update resets a
 * count Application Auto Scaling raised: CloudFormation omits an unspecified count from UpdateService, but
 * creates a new service with 1 task (AWS::ECS::Service, DesiredCount). This resource, created after the
 * service and its scalable target, raises the count to `desiredTaskCount` when the service runs fewer. It
 * acts on Create, and on an Update that names another service (a replaced one); never otherwise, and it
 * never lowers a count: the count belongs to Application Auto Scaling (see README, "Task auto-scaling").
 */
import { DescribeServicesCommand, type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { type CustomResourceEvent, type CustomResourceResult, integerProperty, stringProperty } from './custom-resource';

/** The resource type CloudFormation sends. */
export const STARTING_TASK_COUNT_RESOURCE_TYPE = 'Custom::BerthStartingTaskCount';

/** The properties in the template. */
export interface StartingTaskCountProperties {
  /** the environment's ECS cluster. */
  readonly Cluster: string;
  /** the service's name. */
  readonly Service: string;
  /** the count the service starts with: `desiredTaskCount`. */
  readonly StartingTaskCount: number;
}

async function raiseToStartingCount(ecs: ECSClient, cluster: string, service: string, starting: number): Promise<void> {
  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = described.services?.find((s) => s.status === 'ACTIVE');
  if (!found) throw new Error(`service ${service} of cluster ${cluster} is not active`);
  const current = found.desiredCount ?? 0;
  if (current >= starting) {
    console.log(`${service} runs ${current} task(s), at least the starting count ${starting}: left as it is`);
    return;
  }
  // the call Application Auto Scaling makes itself; a change of the count alone starts no deployment.
  await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: starting }));
  console.log(`${service}: desired count raised from ${current} to the starting count ${starting}`);
}

/**
 * Handles one request for a `Custom::BerthStartingTaskCount`.
 * @param ecs an ECS client in the stack's region
 * @param event the request
 */
export async function handleStartingTaskCount(ecs: ECSClient, event: CustomResourceEvent): Promise<CustomResourceResult> {
  const cluster = stringProperty(event.ResourceProperties, 'Cluster');
  const service = stringProperty(event.ResourceProperties, 'Service');
  const physicalResourceId = `${cluster}/${service}`;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId };
  const starting = integerProperty(event.ResourceProperties, 'StartingTaskCount');
  const newService = event.RequestType === 'Create' || event.PhysicalResourceId !== physicalResourceId;
  if (newService) await raiseToStartingCount(ecs, cluster, service, starting);
  else console.log(`${service} keeps the count Application Auto Scaling set: the starting count applies to a new service only`);
  return { physicalResourceId };
}
