/**
 * The release notification function (issue 14): turns ECS's "ECS Deployment State Change" event of an
 * environment's service into a message for people, in AWS Chatbot's custom notification format, with what the
 * event does not say: the image and revision the deployment rolls to, who started it and the GitHub release.
 *
 * The function publishes nothing itself: EventBridge invokes it asynchronously, and Lambda sends what it returns
 * to the default event bus (an on-success destination), where a rule passes `responsePayload` to the
 * environment's topic (see infra/constructs/release-notifications.ts). So it never throws on what it cannot read:
 * it answers with the message the event alone allows.
 */
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeploymentBrief,
  type TaskDefinition,
  type Tag,
} from '@aws-sdk/client-ecs';
import { RELEASE_TAGS } from '../release-tags';

/** The function's environment variable that names the berth environment (`pre`, `live`). */
export const ENVIRONMENT_NAME_VARIABLE = 'BERTH_ENVIRONMENT';

/** The function's environment variable that names the application container, whose image the message names. */
export const CONTAINER_NAME_VARIABLE = 'BERTH_CONTAINER_NAME';

/** ECS's event, as much of it as the function reads (AmazonECS developer guide, ecs_service_deployment_events). */
export interface DeploymentStateChangeEvent {
  /** `ECS Deployment State Change`. */
  readonly 'detail-type': string;
  /** the service's ARN, first. */
  readonly resources: readonly string[];
  /** when ECS sent the event. */
  readonly time?: string;
  /** what happened. */
  readonly detail: {
    /** `SERVICE_DEPLOYMENT_IN_PROGRESS`, `SERVICE_DEPLOYMENT_COMPLETED` or `SERVICE_DEPLOYMENT_FAILED`. */
    readonly eventName: string;
    /** `INFO` or `ERROR`. */
    readonly eventType?: string;
    /** the deployment, `ecs-svc/<number>`. */
    readonly deploymentId: string;
    /** ECS's words: a rollback, a failure's cause. */
    readonly reason?: string;
  };
}

/**
 * A message as AWS Chatbot (Amazon Q Developer in chat applications) renders it: version `1.0`, source `custom`,
 * markdown content; `metadata.threadId` groups the messages of one deployment in one Slack thread (Chatbot
 * administrator guide, "Custom notifications", event schema).
 */
export interface ChatbotNotification {
  /** always `1.0`. */
  readonly version: '1.0';
  /** always `custom`. */
  readonly source: 'custom';
  /** the message's id: the deployment and its outcome. */
  readonly id: string;
  /** what a person reads. */
  readonly content: {
    /** the only text type Chatbot supports. */
    readonly textType: 'client-markdown';
    /** `live: release succeeded`. */
    readonly title: string;
    /** one `name: value` line per field, readable in a mail as well. */
    readonly description: string;
  };
  /** threading and a summary for the chat client. */
  readonly metadata: { readonly threadId: string; readonly summary: string; readonly eventType: string };
}

/** What the revision a deployment rolls to says of the release. */
export interface ReleaseRevision {
  /** `family:revision`. */
  readonly revision: string;
  /** the application container's image reference. */
  readonly image?: string;
  /** who started the release ({@link RELEASE_TAGS}). */
  readonly startedBy?: string;
  /** the GitHub release page, for `promote`. */
  readonly releaseUrl?: string;
}

const OUTCOMES: Readonly<Record<string, string>> = {
  SERVICE_DEPLOYMENT_IN_PROGRESS: 'started',
  SERVICE_DEPLOYMENT_COMPLETED: 'succeeded',
  SERVICE_DEPLOYMENT_FAILED: 'failed',
};

/** The cluster and service of a service ARN, `arn:…:ecs:<region>:<account>:service/<cluster>/<service>`. */
function serviceOf(arn: string): { readonly cluster: string; readonly service: string } {
  const match = /:service\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match) throw new Error(`${arn} is not the ARN of an ECS service in a named cluster`);
  return { cluster: match[1], service: match[2] };
}

/**
 * The statuses a service deployment can have when ECS sends each event (ECS API reference, ServiceDeployment
 * `status`): a deployment in progress, one that succeeded, one that failed and was rolled back or stopped.
 */
const STATUSES_AT: Readonly<Record<string, readonly string[]>> = {
  SERVICE_DEPLOYMENT_IN_PROGRESS: ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'],
  SERVICE_DEPLOYMENT_COMPLETED: ['SUCCESSFUL'],
  SERVICE_DEPLOYMENT_FAILED: ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'],
};

/**
 * The task definition a service deployment rolls to: the service's deployment of that id while ECS still lists
 * it (DescribeServices), else the target revision of the newest service deployment whose status fits the event
 * (ListServiceDeployments, whose brief names the revision, then DescribeServiceRevisions). A service deployment's
 * ARN ends with an id of its own, not the event's `ecs-svc/…` (the examples of @aws-sdk/client-ecs
 * DescribeServiceDeployments: `…/service-deployment/example/sd-example/NCWGC2ZR-taawPAYrIaU5`), so the status and
 * the time are what tie it to the event.
 */
async function targetTaskDefinition(ecs: ECSClient, serviceArn: string, event: DeploymentStateChangeEvent): Promise<string> {
  const { cluster, service } = serviceOf(serviceArn);
  const { deploymentId, eventName } = event.detail;
  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceArn] }));
  const listed = described.services?.[0]?.deployments?.find((deployment) => deployment.id === deploymentId)?.taskDefinition;
  if (listed) return listed;

  const { serviceDeployments = [] } = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
  const fitting = STATUSES_AT[eventName] ?? [];
  const newest = (a: ServiceDeploymentBrief, b: ServiceDeploymentBrief) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);
  const found = serviceDeployments.filter((deployment) => fitting.includes(deployment.status ?? '')).sort(newest)[0];
  if (!found?.targetServiceRevisionArn) throw new Error(`no service deployment of ${service} fits ${eventName} of ${deploymentId}`);
  const revisions = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [found.targetServiceRevisionArn] }));
  const taskDefinition = revisions.serviceRevisions?.[0]?.taskDefinition;
  if (!taskDefinition) throw new Error(`service revision ${found.targetServiceRevisionArn} names no task definition`);
  return taskDefinition;
}

const tagValue = (tags: readonly Tag[] | undefined, key: string) => tags?.find((tag) => tag.key === key)?.value;

/**
 * Reads the revision a deployment rolls to, with its tags.
 * @param ecs an ECS client in the service's region
 * @param event ECS's event
 * @param containerName the application container
 */
export async function readRevision(ecs: ECSClient, event: DeploymentStateChangeEvent, containerName: string): Promise<ReleaseRevision> {
  const serviceArn = event.resources[0];
  if (!serviceArn) throw new Error('the event names no service');
  const taskDefinition = await targetTaskDefinition(ecs, serviceArn, event);
  // tags are returned only when asked for (ECS API reference, DescribeTaskDefinition `include`).
  const answer = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }));
  const definition: TaskDefinition | undefined = answer.taskDefinition;
  if (!definition?.family || definition.revision === undefined) throw new Error(`task definition ${taskDefinition} was not found`);
  const image = definition.containerDefinitions?.find((container) => container.name === containerName)?.image;
  const startedBy = tagValue(answer.tags, RELEASE_TAGS.startedBy);
  const releaseUrl = tagValue(answer.tags, RELEASE_TAGS.releaseUrl);
  return {
    revision: `${definition.family}:${definition.revision}`,
    ...(image === undefined ? {} : { image }),
    ...(startedBy === undefined ? {} : { startedBy }),
    ...(releaseUrl === undefined ? {} : { releaseUrl }),
  };
}

/**
 * The tag or digest of an image reference: `sha256:…` for `repo@sha256:…` (pre), `v1.4.0` for `repo:v1.4.0` (live).
 * @param image an image reference
 */
export function tagOrDigest(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : 'latest';
}

/**
 * The message for one event: from the revision when it was read, else from the event alone.
 * @param environment pre or live
 * @param event ECS's event
 * @param revision what the revision says, or why it could not be read
 */
export function notificationFor(
  environment: string,
  event: DeploymentStateChangeEvent,
  revision: ReleaseRevision | { readonly unreadable: string },
): ChatbotNotification {
  const { eventName, deploymentId, reason } = event.detail;
  const outcome = OUTCOMES[eventName] ?? eventName;
  // ECS starts a rollback as a deployment of its own, whose reason says so (ecs_service_deployment_events).
  const rollback = outcome === 'started' && reason !== undefined && /roll(?:ing)?\s*back/i.test(reason);
  const what = rollback ? 'rollback' : 'release';
  const lines = [`environment: ${environment}`, `outcome: ${rollback ? 'rollback started' : outcome}`];
  if (reason !== undefined && (outcome === 'failed' || rollback)) lines.push(`reason: ${reason}`);
  if ('unreadable' in revision) {
    lines.push(`details: the revision could not be read (${revision.unreadable})`);
  } else {
    lines.push(`image: ${revision.image === undefined ? 'unknown' : tagOrDigest(revision.image)}`);
    lines.push(`revision: ${revision.revision}`);
    lines.push(`started by: ${revision.startedBy ?? 'not recorded (not a berth release: a cdk deploy, or ECS itself)'}`);
    if (revision.releaseUrl !== undefined) lines.push(`release: ${revision.releaseUrl}`);
  }
  lines.push(`deployment: ${deploymentId}${event.time ? ` at ${event.time}` : ''}`);
  const title = `${environment}: ${what} ${outcome}`;
  return {
    version: '1.0',
    source: 'custom',
    id: `${deploymentId}/${eventName}`,
    content: { textType: 'client-markdown', title, description: lines.join('\n') },
    metadata: { threadId: deploymentId, summary: title, eventType: eventName },
  };
}

/**
 * The message for one event, never an error: when the revision cannot be read, the message says so and carries
 * what the event alone says.
 * @param ecs an ECS client in the service's region
 * @param event ECS's event
 * @param settings the environment's name and the application container's
 */
export async function notify(
  ecs: ECSClient,
  event: DeploymentStateChangeEvent,
  settings: { readonly environment: string; readonly containerName: string },
): Promise<ChatbotNotification> {
  try {
    return notificationFor(settings.environment, event, await readRevision(ecs, event, settings.containerName));
  } catch (err) {
    const unreadable = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    console.log(`the revision of ${event.detail.deploymentId} could not be read: ${unreadable}`);
    return notificationFor(settings.environment, event, { unreadable });
  }
}

let client: ECSClient | undefined;

/** The Lambda handler; the client reads the region from the function's environment. */
export async function handler(event: DeploymentStateChangeEvent): Promise<ChatbotNotification> {
  client ??= new ECSClient({});
  return notify(client, event, {
    environment: process.env[ENVIRONMENT_NAME_VARIABLE] ?? 'unknown',
    containerName: process.env[CONTAINER_NAME_VARIABLE] ?? 'app',
  });
}
