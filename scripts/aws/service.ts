import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  type ContainerImage,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import type { Manifest } from '../../infra/manifest';
import { RefusedError } from '../core/errors';

/**
 * Service-deployment statuses that mean a deployment is still moving: a new one must wait for it.
 * STOP_REQUESTED and ROLLBACK_REQUESTED count because ECS is still changing tasks and traffic.
 */
export const ACTIVE_DEPLOYMENT_STATUSES: readonly ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
];

/** Service-deployment statuses after which ECS changes nothing more. */
export const FINAL_DEPLOYMENT_STATUSES: readonly ServiceDeploymentStatus[] = [
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

/** What berth needs to know about the environment's ECS service. */
export interface ServiceState {
  /** the service name. */
  readonly name: string;
  /** the service ARN. */
  readonly arn: string;
  /** `ACTIVE`, `DRAINING` or `INACTIVE`. */
  readonly status: string;
  /** the task definition the service runs (or is moving to), as an ARN with revision. */
  readonly taskDefinition: string;
  /** tasks the service wants. */
  readonly desiredCount: number;
  /** tasks running. */
  readonly runningCount: number;
  /** tasks starting. */
  readonly pendingCount: number;
  /** the newest service deployment, when ECS reports one. */
  readonly currentServiceDeployment?: string;
  /** ARNs of the service revisions that have tasks now (one normally, two during a release). */
  readonly currentServiceRevisions: readonly string[];
  /** `BLUE_GREEN`, `ROLLING`, …; @default - `ROLLING` when ECS reports none. */
  readonly strategy: string;
  /** minutes ECS keeps blue after traffic moved to green, for blue/green. */
  readonly bakeTimeInMinutes?: number;
  /** the traffic steps of a LINEAR deployment, as ECS reports them. */
  readonly linear?: { readonly stepPercent?: number; readonly stepBakeTimeInMinutes?: number };
  /** the canary step of a CANARY deployment, as ECS reports it. */
  readonly canary?: { readonly canaryPercent?: number; readonly canaryBakeTimeInMinutes?: number };
  /** the newest service events, newest first (at most five). */
  readonly events: readonly { readonly at?: Date; readonly message: string }[];
}

/**
 * Reads the environment's ECS service.
 * @param ecs an ECS client in the stacks' region
 * @param manifest the environment's manifest
 */
export async function readService(ecs: ECSClient, manifest: Manifest): Promise<ServiceState> {
  const response = await ecs.send(new DescribeServicesCommand({ cluster: manifest.cluster.arn, services: [manifest.service.arn] }));
  const service = response.services?.[0];
  if (!service || service.status === 'INACTIVE' || !service.taskDefinition) {
    const reason = response.failures?.[0]?.reason ?? service?.status ?? 'not found';
    throw new RefusedError(
      `service ${manifest.service.name} in cluster ${manifest.cluster.name} is ${reason.toLowerCase()}; redeploy the stack (npx cdk deploy ${manifest.app}-${manifest.environment})`,
    );
  }
  return {
    name: service.serviceName ?? manifest.service.name,
    arn: service.serviceArn ?? manifest.service.arn,
    status: service.status ?? 'UNKNOWN',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    ...(service.currentServiceDeployment ? { currentServiceDeployment: service.currentServiceDeployment } : {}),
    currentServiceRevisions: (service.currentServiceRevisions ?? []).flatMap((r) => (r.arn ? [r.arn] : [])),
    strategy: service.deploymentConfiguration?.strategy ?? 'ROLLING',
    ...(service.deploymentConfiguration?.bakeTimeInMinutes !== undefined
      ? { bakeTimeInMinutes: service.deploymentConfiguration.bakeTimeInMinutes }
      : {}),
    ...(service.deploymentConfiguration?.linearConfiguration ? { linear: service.deploymentConfiguration.linearConfiguration } : {}),
    ...(service.deploymentConfiguration?.canaryConfiguration ? { canary: service.deploymentConfiguration.canaryConfiguration } : {}),
    events: (service.events ?? []).slice(0, 5).map((e) => ({ ...(e.createdAt ? { at: e.createdAt } : {}), message: e.message ?? '' })),
  };
}

/**
 * Lists the service's deployments that are still moving ({@link ACTIVE_DEPLOYMENT_STATUSES}), newest first.
 * @param ecs an ECS client in the stacks' region
 * @param manifest the environment's manifest
 */
export async function listActiveDeployments(ecs: ECSClient, manifest: Manifest): Promise<ServiceDeploymentBrief[]> {
  const found: ServiceDeploymentBrief[] = [];
  // the SDK ships no paginator for ListServiceDeployments (its model marks no pagination), so this one pages by hand.
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: manifest.cluster.arn,
        service: manifest.service.arn,
        status: [...ACTIVE_DEPLOYMENT_STATUSES],
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    found.push(...(page.serviceDeployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return found.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/**
 * Describes one service deployment: status, lifecycle stage, source and target revisions.
 * @param ecs an ECS client in the stacks' region
 * @param serviceDeploymentArn the deployment
 */
export async function describeDeployment(ecs: ECSClient, serviceDeploymentArn: string): Promise<ServiceDeployment | undefined> {
  const response = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }));
  return response.serviceDeployments?.[0];
}

/**
 * Describes one service revision: its task definition and the images (with digests) its tasks run.
 * @param ecs an ECS client in the stacks' region
 * @param serviceRevisionArn the revision
 */
export async function describeRevision(ecs: ECSClient, serviceRevisionArn: string): Promise<ServiceRevision | undefined> {
  const response = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [serviceRevisionArn] }));
  return response.serviceRevisions?.[0];
}

/**
 * The image a service revision runs in one container, with the digest ECS resolved at deploy time.
 * @param revision the service revision
 * @param containerName the application container (manifest `containerName`)
 */
export function containerImageOf(revision: ServiceRevision | undefined, containerName: string): ContainerImage | undefined {
  return revision?.containerImages?.find((image) => image.containerName === containerName);
}
