import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionRequest,
  type Tag,
  type TaskDefinition,
  paginateListTaskDefinitions,
} from '@aws-sdk/client-ecs';
import { RELEASE_TAGS } from '../../infra/release-tags';
import { FailedError, RefusedError } from '../core/errors';

/**
 * Tags of a revision berth registers after a failed release, copied from the one that runs (`berth history`
 * tells such a restore from a release by them): `berth:restores` names the revision copied, and
 * `berth:failed-release` the release revision that failed, both as `family:revision`.
 */
export const RESTORE_TAGS = { restores: 'berth:restores', failedRelease: 'berth:failed-release' } as const;

/** A task definition with its tags, as DescribeTaskDefinition returns them. */
export interface TaskDefinitionWithTags {
  /** the task definition. */
  readonly taskDefinition: TaskDefinition;
  /** its tags (asked for with `include: ['TAGS']`, so a clone keeps them). */
  readonly tags: readonly Tag[];
}

/**
 * Reads a task definition and its tags.
 * @param ecs an ECS client in the stacks' region
 * @param taskDefinition family:revision or ARN
 */
export async function readTaskDefinition(ecs: ECSClient, taskDefinition: string): Promise<TaskDefinitionWithTags> {
  const response = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }));
  if (!response.taskDefinition) throw new RefusedError(`task definition ${taskDefinition} not found`);
  return { taskDefinition: response.taskDefinition, tags: response.tags ?? [] };
}

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/**
 * The registration request for a new revision that is the given one with only the application container's
 * image changed: read-only fields dropped, tags kept, every other setting copied as is.
 * @param current the revision the service runs
 * @param containerName the application container (manifest `containerName`)
 * @param image the new image reference, `repo:tag` or `repo@sha256:…`
 */
export function cloneWithImage(current: TaskDefinitionWithTags, containerName: string, image: string): RegisterTaskDefinitionRequest {
  const containers = current.taskDefinition.containerDefinitions ?? [];
  if (!containers.some((c) => c.name === containerName)) {
    throw new RefusedError(
      `task definition ${current.taskDefinition.taskDefinitionArn ?? current.taskDefinition.family} has no container "${containerName}" (manifest containerName); allowed: ${containers.map((c) => c.name).join(', ')}`,
    );
  }
  return { ...asRegistration(current), containerDefinitions: containers.map((c) => (c.name === containerName ? { ...c, image } : c)) };
}

/**
 * The registration request that would recreate a revision as it is, for comparing with a clone.
 * @param current a revision
 */
export function asRegistration(current: TaskDefinitionWithTags): RegisterTaskDefinitionRequest {
  const readOnly: readonly string[] = READ_ONLY_FIELDS;
  const copy = Object.fromEntries(Object.entries(current.taskDefinition).filter(([key]) => !readOnly.includes(key)));
  return {
    ...(copy as Omit<RegisterTaskDefinitionRequest, 'family' | 'containerDefinitions'>),
    family: current.taskDefinition.family,
    containerDefinitions: current.taskDefinition.containerDefinitions,
    ...(current.tags.length > 0 ? { tags: [...current.tags] } : {}),
  };
}

/** What a release revision records of its release, as the tags {@link RELEASE_TAGS} name. */
export interface ReleaseTagValues {
  /** who started the release: the caller's ARN, and the GitHub Actions run when berth runs in one. */
  readonly startedBy: string;
  /** the GitHub release page `promote` released. @default - none: `deploy` and `rollback` record no page */
  readonly releaseUrl?: string;
}

/** The longest tag value ECS accepts, in Unicode characters (ECS API reference, Tag: value). */
export const MAX_TAG_VALUE_LENGTH = 256;

/**
 * Characters ECS refuses in a tag value: all but letters, numbers, spaces and `_ . : / = + - @` (ECS API
 * reference, Tag: value, pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html). An IAM session name may hold a
 * comma, which ECS would refuse.
 */
const NOT_IN_TAG_VALUE = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/**
 * Whether ECS accepts a text as a tag value as it is.
 * @param text a candidate value
 */
export function isTagValue(text: string): boolean {
  return !new RegExp(NOT_IN_TAG_VALUE.source, 'u').test(text) && [...text].length <= MAX_TAG_VALUE_LENGTH;
}

/**
 * A text made a tag value ECS accepts: each character ECS refuses becomes `_`, and the end past
 * {@link MAX_TAG_VALUE_LENGTH} characters is cut off.
 * @param text any text, such as a caller ARN
 */
export function toTagValue(text: string): string {
  return [...text.replace(NOT_IN_TAG_VALUE, '_')].slice(0, MAX_TAG_VALUE_LENGTH).join('');
}

/**
 * The value of {@link RELEASE_TAGS.startedBy}: the caller's ARN, then the GitHub Actions run it ran in when
 * both fit in one tag value; a run link that would be cut short is left out, for a cut link goes nowhere.
 * @param caller the caller's ARN (STS GetCallerIdentity)
 * @param run the GitHub Actions run's page, when berth runs in a workflow
 */
export function startedByValue(caller: string, run?: string): string {
  const who = toTagValue(caller);
  if (run === undefined || !isTagValue(run) || [...who].length + 1 + [...run].length > MAX_TAG_VALUE_LENGTH) return who;
  return `${who} ${run}`;
}

/**
 * A registration whose release tags are this release's: the copied revision's {@link RELEASE_TAGS} are
 * replaced, never inherited, and a release without a page carries none. Every other tag is kept.
 * @param registration from {@link cloneWithImage}
 * @param values this release's values, valid tag values ({@link startedByValue}, {@link isTagValue})
 */
export function withReleaseTags(registration: RegisterTaskDefinitionRequest, values: ReleaseTagValues): RegisterTaskDefinitionRequest {
  const ours: readonly string[] = Object.values(RELEASE_TAGS);
  const tags: Tag[] = [
    ...(registration.tags ?? []).filter((t) => !t.key || !ours.includes(t.key)),
    { key: RELEASE_TAGS.startedBy, value: values.startedBy },
    ...(values.releaseUrl !== undefined ? [{ key: RELEASE_TAGS.releaseUrl, value: values.releaseUrl }] : []),
  ];
  return { ...registration, tags };
}

/**
 * The image of the application container.
 * @param taskDefinition a task definition
 * @param containerName the application container (manifest `containerName`)
 */
export function imageOf(taskDefinition: TaskDefinition | RegisterTaskDefinitionRequest, containerName: string): string | undefined {
  return taskDefinition.containerDefinitions?.find((c) => c.name === containerName)?.image;
}

/**
 * Registers a new revision.
 * @param ecs an ECS client in the stacks' region
 * @param request from {@link cloneWithImage}
 * @returns the new revision
 */
export async function registerTaskDefinition(ecs: ECSClient, request: RegisterTaskDefinitionRequest): Promise<TaskDefinition> {
  const response = await ecs.send(new RegisterTaskDefinitionCommand(request));
  if (!response.taskDefinition?.taskDefinitionArn)
    throw new FailedError(`RegisterTaskDefinition for ${request.family} returned no task definition; nothing was deployed, try again`);
  return response.taskDefinition;
}

/**
 * Lists the newest revisions of a family, newest first, active and inactive alike.
 * @param ecs an ECS client in the stacks' region
 * @param family the task-definition family (manifest `taskDefinitionFamily`)
 * @param limit at most this many
 */
export async function listRevisions(ecs: ECSClient, family: string, limit: number): Promise<string[]> {
  const arns: string[] = [];
  for (const status of ['ACTIVE', 'INACTIVE'] as const) {
    for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 100 }, { familyPrefix: family, status, sort: 'DESC' })) {
      // familyPrefix also matches longer families (berth-live matches berth-live-db), so keep exact ones only.
      arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family));
      if (arns.length >= limit) break;
    }
  }
  return arns.sort((a, b) => revisionOf(b) - revisionOf(a)).slice(0, limit);
}

/**
 * The family of a task-definition ARN (`…:task-definition/<family>:<revision>`).
 * @param arn a task-definition ARN
 */
export function familyOf(arn: string): string {
  return /task-definition\/([^:]+):\d+$/.exec(arn)?.[1] ?? arn;
}

/**
 * The revision number of a task-definition ARN, or 0 when it has none.
 * @param arn a task-definition ARN
 */
export function revisionOf(arn: string): number {
  return Number(/:(\d+)$/.exec(arn)?.[1] ?? 0);
}

/**
 * The differences between two registrations, one line per changed leaf, e.g.
 * `containerDefinitions[app].image: repo:v1.3.0 -> repo:v1.4.0`. Containers are keyed by name.
 * @param before what the service runs
 * @param after what berth would register
 */
export function diffTaskDefinitions(before: RegisterTaskDefinitionRequest, after: RegisterTaskDefinitionRequest): string[] {
  const left = flatten(before);
  const right = flatten(after);
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  return keys.filter((k) => left.get(k) !== right.get(k)).map((k) => `${k}: ${left.get(k) ?? '(none)'} -> ${right.get(k) ?? '(none)'}`);
}

function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name =
        typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string'
          ? (item as { name: string }).name
          : String(i);
      flatten(item, `${path}[${name}]`, into);
    });
  } else if (value instanceof Date) {
    into.set(path, value.toISOString());
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, into);
  } else if (value !== undefined) {
    into.set(path, JSON.stringify(value));
  }
  return into;
}
