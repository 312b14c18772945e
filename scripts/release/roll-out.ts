import type { RegisterTaskDefinitionRequest, ServiceDeployment, Tag } from '@aws-sdk/client-ecs';
import type { EcrImage } from '../aws/ecr-image';
import { followDeployment, startDeployment, type FollowResult } from '../aws/deployment';
import { liveImageTagParameter, readImageTag, writeImageTag } from '../aws/image-tag';
import { callerArn } from '../aws/caller-identity';
import { containerImageOf, describeDeployment, describeRevision, listActiveDeployments, readService } from '../aws/service';
import {
  asRegistration,
  cloneWithImage,
  diffTaskDefinitions,
  imageOf,
  isTagValue,
  MAX_TAG_VALUE_LENGTH,
  readTaskDefinition,
  registerTaskDefinition,
  type ReleaseTagValues,
  RESTORE_TAGS,
  startedByValue,
  withReleaseTags,
} from '../aws/task-definition';
import { RELEASE_TAGS } from '../../infra/release-tags';
import { formatSnapshot, shortArn, shortTaskDefinition } from '../cli/format';
import { formatDuration } from '../core/timing';
import { BerthError, EXIT, FailedError, RefusedError, UnreachableError, type ExitCode } from '../core/errors';
import type { Output } from '../cli/output';
import type { Session } from '../cli/session';
import type { Provenance } from './provenance';
import type { ManifestEnvironment, ManifestRelease, ManifestReleaseStrategy } from '../../infra/manifest';
import { describeTrafficSteps } from '../../infra/release-timing';
import { runGate, type GateOptions } from './gate';
import { describeExpectation } from './smoke';
import { chooseFollowTimeout, describeFollowTimeout, type FollowTimeout, readFollowTimeout, serviceStrategy } from './timing';

/** What to roll out, as the command resolved and checked it. */
export interface RollOutRequest {
  /** the command, for messages: `promote`, `rollback` or `deploy`. */
  readonly verb: 'promote' | 'rollback' | 'deploy';
  /** the image tag released: `v1.4.0`, or `master` for pre. */
  readonly tag: string;
  /** the image in ECR (digest, push time). */
  readonly image: EcrImage;
  /** the image reference the new revision runs: `repo:v1.4.0` for live, `repo@sha256:…` for pre. */
  readonly imageReference: string;
  /** the command line that resumes this roll-out (follows it and records the tag). */
  readonly resumeCommand: string;
  /** where the image comes from, for live releases (in the `--json` plan). @default - not reported */
  readonly provenance?: Provenance;
  /** the GitHub release page, recorded on the new revision (`promote`). @default - none: the revision records no page */
  readonly releaseUrl?: string;
  /** the page of the GitHub Actions run berth runs in, recorded with who started the release. @default - not in a workflow */
  readonly run?: string;
}

/** How the command runs the roll-out. */
export interface RollOutOptions {
  /** `--dry-run`: print the plan and the diff, change nothing. */
  readonly dryRun: boolean;
  /** asks the operator before the first write; throws when not confirmed. Absent for commands that do not ask. */
  readonly confirm?: (question: string) => Promise<void>;
  /** aborted on Ctrl-C. */
  readonly signal: AbortSignal;
  /** `--timeout`: give up following after this many seconds. @default - from the environment's release timing */
  readonly timeoutSeconds?: number;
  /** milliseconds between two looks at the deployment. */
  readonly intervalMs: number;
  /** how the smoke-test gate asks and connects, at a deployment paused at its PAUSE hook. @default - no question, Node's defaults */
  readonly gate?: Omit<GateOptions, 'resumeCommand'>;
  /**
   * checks run before a new revision is registered (`promote` runs berth verify's), also on `--dry-run`; throws to
   * refuse, else returns their report for the `--json` document. A resume or a record only follows or records
   * what already runs, so it skips them.
   * @default - none
   */
  readonly preflight?: () => Promise<unknown>;
}

/**
 * What berth will do:
 * - `deploy`: register a revision, update the service, follow, record;
 * - `resume`: a deployment to this image is already running (an earlier, interrupted run): follow it, record;
 * - `record`: the service already runs this image but the image tag was not recorded: record only;
 * - `nothing`: already running and recorded.
 */
export type RollOutMode = 'deploy' | 'resume' | 'record' | 'nothing';

/** What berth found and will do: the plan `--dry-run` prints, made by {@link planRollOut} before any write. */
export interface RollOutPlan {
  /** what is rolled out. */
  readonly request: RollOutRequest;
  /** pre or live. */
  readonly environment: ManifestEnvironment;
  /** what berth will do. */
  readonly mode: RollOutMode;
  /** live's image-tag parameter, recorded after success; none for pre. */
  readonly parameter?: string;
  /** the revision the service runs now, and its image. */
  readonly current: { readonly taskDefinition: string; readonly image?: string };
  /** `deploy`: the revision to register. */
  readonly registration?: RegisterTaskDefinitionRequest;
  /** `deploy`: how the new revision differs from the running one, one line per changed field (its tags aside). */
  readonly taskDefinitionDiff: readonly string[];
  /** `deploy`: who started the release and its page, as the new revision's tags record them. */
  readonly releaseTags?: ReleaseTagValues;
  /** `deploy`: why a value was left out of the release tags, for the plan to say. */
  readonly releaseTagNotes?: readonly string[];
  /** `resume`: the deployment already moving towards the image. */
  readonly deploymentArn?: string;
  /** `resume`: the revision that deployment moves to; if its deployment fails, a copy of what runs replaces it as the newest. */
  readonly releaseTaskDefinition?: string;
  /** how long berth follows the deployment, and why that long. */
  readonly timeout: FollowTimeout;
  /** how the service's deployments shift production traffic, as ECS reports it (the steps the timeout counts). */
  readonly strategy: ManifestReleaseStrategy;
  /** the smoke-test gate the deployment pauses at before production traffic, from the manifest; none without a PAUSE hook. */
  readonly gate?: PlannedGate;
  /** `deploy`: the report of the checks run before the first write ({@link RollOutOptions.preflight}). @default - none ran */
  readonly preflight?: unknown;
}

/** The smoke-test gate of a release: its checks, whether a person approves, and when ECS rolls back unless continued. */
export interface PlannedGate {
  /** the checks run against the new tasks at the pause; may be empty. */
  readonly smoke: ManifestRelease['smoke'];
  /** whether a person approves the shift of production traffic after the checks (`--yes` answers yes). */
  readonly approve: boolean;
  /** the PAUSE hook's timeout: nobody continuing within it, ECS rolls the release back. */
  readonly pauseTimeoutMinutes: number;
}

/**
 * The gate the manifest says the environment's releases pause at: only with a PAUSE hook (smoke checks or
 * approval configured), which the manifest records as `release.pause`.
 * @param release the manifest's release settings, absent in manifests written before berth had them
 */
function plannedGate(release: ManifestRelease | undefined): PlannedGate | undefined {
  if (!release?.pause) return undefined;
  return { smoke: release.smoke, approve: release.approve, pauseTimeoutMinutes: release.pause.timeoutMinutes };
}

/**
 * Reads and checks everything a roll-out needs and decides what to do, without writing anything: the
 * service, the deployments still moving (one towards another image refuses), the running revision and,
 * for live, the recorded tag.
 * @param session clients and manifest of the environment
 * @param request what to roll out
 * @param timeoutSeconds `--timeout`, when given
 */
export async function planRollOut(session: Session, request: RollOutRequest, timeoutSeconds?: number): Promise<RollOutPlan> {
  const { manifest, ecs } = session;
  const environment = manifest.environment;
  const parameter = environment === 'live' ? liveImageTagParameter(manifest) : undefined;
  const runs = (reference: string | undefined) =>
    reference === request.imageReference || reference === `${manifest.repository.uri}@${request.image.digest}`;

  const service = await readService(ecs, manifest);
  const active = await listActiveDeployments(ecs, manifest);
  const running = await readTaskDefinition(ecs, service.taskDefinition);
  const current = { taskDefinition: service.taskDefinition, image: imageOf(running.taskDefinition, manifest.containerName) };
  const timeout = await chooseFollowTimeout(timeoutSeconds, () => readFollowTimeout(session, service, running.taskDefinition));
  const gate = plannedGate(manifest.release);
  const base = {
    request,
    environment,
    ...(parameter ? { parameter } : {}),
    current,
    taskDefinitionDiff: [],
    timeout,
    strategy: serviceStrategy(service),
    ...(gate ? { gate } : {}),
  };
  if (active.length > 0) {
    const moving = active[0];
    const deployment = moving.serviceDeploymentArn ? await describeDeployment(ecs, moving.serviceDeploymentArn) : undefined;
    const targetArn = deployment?.targetServiceRevision?.arn ?? moving.targetServiceRevisionArn;
    const revision = targetArn ? await describeRevision(ecs, targetArn) : undefined;
    // a revision lists its images once ECS resolved them; before that, its task definition says.
    const targetImage =
      containerImageOf(revision, manifest.containerName)?.image ??
      (revision?.taskDefinition
        ? imageOf((await readTaskDefinition(ecs, revision.taskDefinition)).taskDefinition, manifest.containerName)
        : undefined);
    if (!runs(targetImage)) {
      const status = deployment?.status ?? moving.status ?? 'IN_PROGRESS';
      const stage = deployment?.lifecycleStage ? ` at ${deployment.lifecycleStage}` : '';
      throw new RefusedError(
        `a deployment of ${manifest.service.name} is already ${status}${stage} (towards ${targetImage ?? 'another revision'}); wait for it to end (berth status ${environment}) and try again`,
      );
    }
    return {
      ...base,
      mode: 'resume',
      ...(moving.serviceDeploymentArn ? { deploymentArn: moving.serviceDeploymentArn } : {}),
      ...(revision?.taskDefinition ? { releaseTaskDefinition: revision.taskDefinition } : {}),
    };
  }
  if (runs(current.image) && (await landed(session, service.currentServiceDeployment))) {
    const recorded = parameter ? await readImageTag(session.ssm, parameter) : undefined;
    return { ...base, mode: parameter && recorded?.tag !== request.tag ? 'record' : 'nothing' };
  }
  const clone = withoutRestoreTags(cloneWithImage(running, manifest.containerName, request.imageReference));
  // the one STS call, before the first write: only a revision berth registers records who started it.
  const { values, notes } = releaseTagValues(request, await callerArn(session.sts));
  const registration = withReleaseTags(clone, values);
  return {
    ...base,
    mode: 'deploy',
    registration,
    taskDefinitionDiff: diffTaskDefinitions({ ...asRegistration(running), tags: [] }, { ...registration, tags: [] }),
    releaseTags: values,
    ...(notes.length > 0 ? { releaseTagNotes: notes } : {}),
  };
}

/**
 * This release's tag values: who started it and, for `promote`, its page. A page ECS would refuse as a tag
 * value is left out rather than cut or altered (a changed link goes nowhere), with a note that says why.
 */
function releaseTagValues(request: RollOutRequest, caller: string): { values: ReleaseTagValues; notes: string[] } {
  const startedBy = startedByValue(caller, request.run);
  const url = request.releaseUrl;
  if (url === undefined || url === '') return { values: { startedBy }, notes: [] };
  if (isTagValue(url)) return { values: { startedBy, releaseUrl: url }, notes: [] };
  return {
    values: { startedBy },
    notes: [
      `${RELEASE_TAGS.releaseUrl} left out: ${url} is not a valid tag value (at most ${MAX_TAG_VALUE_LENGTH} letters, numbers, spaces and _ . : / = + - @)`,
    ],
  };
}

/**
 * The plan as `--json` prints it.
 * @param plan from {@link planRollOut}
 */
export function planDocument(plan: RollOutPlan) {
  return {
    environment: plan.environment,
    action: plan.request.verb,
    mode: plan.mode,
    tag: plan.request.tag,
    image: plan.request.imageReference,
    digest: plan.request.image.digest,
    pushedAt: plan.request.image.pushedAt?.toISOString(),
    current: plan.current,
    taskDefinitionDiff: plan.taskDefinitionDiff,
    imageTagParameter: plan.parameter,
    ...(plan.request.provenance ? { provenance: plan.request.provenance } : {}),
    ...(plan.releaseTags ? { releaseTags: plan.releaseTags } : {}),
    timeoutSeconds: plan.timeout.seconds,
    timeout: plan.timeout,
    strategy: plan.strategy,
    ...(plan.gate ? { gate: plan.gate } : {}),
    ...(plan.preflight !== undefined ? { preflight: plan.preflight } : {}),
  };
}

/**
 * Rolls an image out to the environment, in an order that keeps the release state true at every step:
 * checks (no other deployment moving) -> register a revision -> update the service -> follow the deployment ->
 * only after it succeeded, write the image tag parameter. A failure, rollback, timeout or Ctrl-C at any point
 * leaves the parameter naming the release that is really deployed, and running the same command again resumes.
 * @param session clients and manifest of the environment
 * @param request what to roll out
 * @param options dry run, confirmation, signal and follow settings
 * @param output where to write
 */
export async function rollOut(session: Session, request: RollOutRequest, options: RollOutOptions, output: Output): Promise<ExitCode> {
  let plan = await planRollOut(session, request, options.timeoutSeconds);
  printPlan(output, plan);
  if (plan.mode === 'nothing') {
    output.result(
      { ...planDocument(plan), dryRun: options.dryRun, outcome: 'NOTHING_TO_DO' },
      `${plan.environment} already runs ${request.tag} (${shortTaskDefinition(plan.current.taskDefinition)}); nothing to do`,
    );
    return EXIT.OK;
  }
  if (plan.mode === 'deploy' && options.preflight) plan = { ...plan, preflight: await options.preflight() };
  if (options.dryRun) {
    output.result({ ...planDocument(plan), dryRun: true }, 'dry run: nothing changed');
    return EXIT.OK;
  }
  await options.confirm?.(confirmQuestion(plan));
  if (options.signal.aborted) throw new BerthError('interrupted before any change; nothing changed', EXIT.INTERRUPTED);
  return applyRollOut(session, plan, options, output);
}

/**
 * Carries out a plan: for `deploy` registers the revision and updates the service, for `deploy` and
 * `resume` follows the deployment to its end, and records the tag (live) once it succeeded.
 * @param session clients and manifest of the environment
 * @param plan from {@link planRollOut}, confirmed
 * @param options signal and follow settings
 * @param output where to write
 */
export async function applyRollOut(
  session: Session,
  plan: RollOutPlan,
  options: Pick<RollOutOptions, 'signal' | 'intervalMs' | 'gate'>,
  output: Output,
): Promise<ExitCode> {
  const { environment, parameter } = plan;
  const resume = `watch it with berth status ${environment} --watch; run ${plan.request.resumeCommand} again to follow it to the end${parameter ? ' and record the tag' : ''}`;
  try {
    return await apply(session, plan, options, resume, output);
  } catch (err) {
    // the network went away after berth started: what ECS does goes on, and running the command again resumes.
    if (err instanceof UnreachableError) throw new UnreachableError(`${err.message}. What ECS started goes on: ${resume}`);
    throw err;
  }
}

async function apply(
  session: Session,
  plan: RollOutPlan,
  options: Pick<RollOutOptions, 'signal' | 'intervalMs' | 'gate'>,
  resume: string,
  output: Output,
): Promise<ExitCode> {
  const { request, environment, parameter } = plan;
  let taskDefinition = plan.current.taskDefinition;
  let releaseTaskDefinition = plan.releaseTaskDefinition;
  let deploymentArn = plan.deploymentArn;
  if (plan.mode === 'deploy' && plan.registration) {
    const started = await startRelease(session, plan.registration, options, resume, output);
    taskDefinition = started.taskDefinition;
    releaseTaskDefinition = started.taskDefinition;
    deploymentArn = started.deploymentArn;
  } else if (plan.mode === 'resume') {
    output.line(`following deployment ${shortArn(deploymentArn ?? '')} (Ctrl-C stops watching, not the deployment)`);
  }

  const gated = deploymentArn ? await followThroughGate(session, plan, deploymentArn, options, output) : undefined;
  const followed = gated?.followed;
  const deployment = followed?.last?.deployment;
  const took = followed?.last ? ` in ${formatDuration(followed.last.elapsedSeconds)}` : '';
  const id = shortArn(deploymentArn ?? '');
  const where = `${deployment?.status ?? 'running'}${deployment?.lifecycleStage ? ` at ${deployment.lifecycleStage}` : ''}`;
  if (followed && followed.outcome !== 'SUCCESSFUL' && followed.outcome !== 'FAILED') {
    // a last state line also ends a progress line on a terminal before the error is printed.
    output.line(
      `deployment ${id} was ${where} when berth stopped following${followed.last ? ` (after ${formatDuration(followed.last.elapsedSeconds)})` : ''}`,
    );
  }
  if (followed?.outcome === 'INTERRUPTED') {
    throw new BerthError(`stopped following; deployment ${id} goes on. ${capitalise(resume)}`, EXIT.INTERRUPTED);
  }
  if (followed?.outcome === 'TIMED_OUT') {
    throw new BerthError(
      `gave up following after ${formatDuration(plan.timeout.seconds)}; deployment ${id} is still ${where}; ${resume}`,
      EXIT.TIMED_OUT,
    );
  }
  if (followed?.outcome === 'FAILED') {
    const reason = deployment?.statusReason ? `: ${deployment.statusReason}` : '';
    const still = parameter ? `; the image tag parameter still names the release live runs` : '';
    output.line(`deployment ${id} ended ${deployment?.status ?? 'FAILED'}${took}${reason}`);
    // in deploy mode the service ran the plan's current revision before; a resumed one names only the new revision.
    await restoreRunningRevision(
      session,
      releaseTaskDefinition,
      deployment,
      plan.mode === 'deploy' ? plan.current.taskDefinition : undefined,
      output,
    );
    const gate = gated?.gateFailure ? ` after ${gated.gateFailure}` : '';
    throw new FailedError(
      `${request.tag} was not released to ${environment}: the deployment ended ${deployment?.status ?? 'FAILED'}${deployment?.status?.startsWith('ROLLBACK') ? ' (rolled back)' : ''}${gate}${reason}${still}`,
    );
  }

  const recordedVersion = parameter ? await recordRelease(session, plan, parameter) : undefined;
  const summary = [
    `${environment} now runs ${request.tag} (${shortTaskDefinition(taskDefinition)}, ${request.image.digest})`,
    ...(deploymentArn ? [`deployment ${id} ${deployment?.status ?? 'SUCCESSFUL'}${took}`] : []),
    ...(parameter
      ? [`recorded ${request.tag} in ${parameter}${recordedVersion !== undefined ? ` (version ${recordedVersion})` : ''}`]
      : []),
    session.manifest.url,
  ].join('\n');
  output.result(
    {
      ...planDocument(plan),
      dryRun: false,
      outcome: 'SUCCESSFUL',
      taskDefinition,
      deployment: deploymentArn ? { arn: deploymentArn, status: deployment?.status, statusReason: deployment?.statusReason } : undefined,
      recordedVersion,
    },
    summary,
  );
  return EXIT.OK;
}

/** Registers the plan's revision and points the service at it; returns the revision and the deployment ECS started. */
async function startRelease(
  session: Session,
  registration: RegisterTaskDefinitionRequest,
  options: Pick<RollOutOptions, 'signal' | 'intervalMs'>,
  resume: string,
  output: Output,
): Promise<{ taskDefinition: string; deploymentArn: string }> {
  const { manifest, ecs } = session;
  const registered = await registerTaskDefinition(ecs, registration);
  const taskDefinition = registered.taskDefinitionArn ?? '';
  output.line(`registered ${shortTaskDefinition(taskDefinition)}`);
  let deploymentArn: string;
  try {
    deploymentArn = await startDeployment(ecs, manifest, taskDefinition, { intervalMs: options.intervalMs, signal: options.signal });
  } catch (err) {
    if (!options.signal.aborted) throw err;
    throw new BerthError(
      `stopped; ${manifest.service.name} was updated to ${shortTaskDefinition(taskDefinition)} and ECS deploys it. ${capitalise(resume)}`,
      EXIT.INTERRUPTED,
    );
  }
  output.line(
    `updated ${manifest.service.name}; following deployment ${shortArn(deploymentArn)} (Ctrl-C stops watching, not the deployment)`,
  );
  return { taskDefinition, deploymentArn };
}

/**
 * Follows the deployment to its end through the smoke-test gate: at the pause, runs the gate and follows on
 * (to production traffic, or the rollback the gate started). The time at the gate (the checks, the operator's
 * answer) does not count against the follow timeout; the hook's own timeout bounds it.
 */
async function followThroughGate(
  session: Session,
  plan: RollOutPlan,
  deploymentArn: string,
  options: Pick<RollOutOptions, 'signal' | 'intervalMs' | 'gate'>,
  output: Output,
): Promise<{ followed: FollowResult; gateFailure?: string }> {
  const resolved = new Set<string>();
  let remaining = plan.timeout.seconds;
  let gateFailure: string | undefined;
  for (;;) {
    const followed = await followWithProgress(session, deploymentArn, { ...options, timeoutSeconds: remaining, resolved }, output);
    if (followed.outcome !== 'PAUSED' || !followed.hook) {
      // after the gate rolled back, ECS ends ROLLBACK_SUCCESSFUL; a release the gate stopped is never recorded.
      if (gateFailure) return { followed: followed.outcome === 'SUCCESSFUL' ? { ...followed, outcome: 'FAILED' } : followed, gateFailure };
      return { followed };
    }
    remaining = Math.max(0, remaining - (followed.last?.elapsedSeconds ?? 0));
    resolved.add(followed.hook.hookId);
    const verdict = await runGate(
      session,
      deploymentArn,
      followed.hook,
      plan.request.tag,
      { ...options.gate, resumeCommand: plan.request.resumeCommand },
      output,
    );
    if (!verdict.continued) gateFailure = verdict.reason;
  }
}

/**
 * Follows the deployment, printing a progress line for each change. With `resolved`, stops at a pause at a
 * hook not named there; without, follows through any pause.
 */
export async function followWithProgress(
  session: Session,
  deploymentArn: string,
  options: Pick<RollOutOptions, 'signal' | 'intervalMs'> & { readonly timeoutSeconds: number; readonly resolved?: ReadonlySet<string> },
  output: Output,
): Promise<FollowResult> {
  let lastLine = '';
  return followDeployment(session.ecs, session.elbv2, session.manifest, deploymentArn, {
    intervalMs: options.intervalMs,
    timeoutSeconds: options.timeoutSeconds,
    signal: options.signal,
    ...(options.resolved ? { stopAtPause: { resolved: options.resolved } } : {}),
    onProgress: (snapshot) => {
      const line = formatSnapshot(snapshot);
      // off a terminal, print a line only when something other than the clock changed.
      const withoutClock = line.replace(/^\[[^\]]*\] /, '');
      if (output.interactive || withoutClock !== lastLine) output.progress(line);
      lastLine = withoutClock;
    },
  });
}

/** Writes the tag live now runs; a failure says how to record it later. */
async function recordRelease(session: Session, plan: RollOutPlan, parameter: string): Promise<number | undefined> {
  try {
    return await writeImageTag(session.ssm, parameter, plan.request.tag);
  } catch (err) {
    throw new FailedError(
      `${plan.environment} runs ${plan.request.tag}, but recording it in ${parameter} failed (${(err as Error).message.split('\n')[0]}); run ${plan.request.resumeCommand} again to record it`,
    );
  }
}

/**
 * After a failed release, makes the family's newest ACTIVE revision the one that runs again. The services name
 * their family, so a later `cdk deploy` that touches a service rolls out its newest ACTIVE revision: that must be
 * what runs, never the release ECS rolled back from. Nothing is deregistered (DeregisterTaskDefinition cannot be
 * limited to a family, so no delivery role may have it): berth registers a copy of the revision ECS rolled back
 * to, tagged with {@link RESTORE_TAGS}. Best effort: a failure here is a warning, the release already failed.
 * @param session clients of the environment
 * @param failed the release revision whose deployment failed
 * @param deployment the failed deployment, whose source revision is what ECS rolled back to
 * @param before the revision the service ran before the release, when berth started it
 * @param output where to write
 */
async function restoreRunningRevision(
  session: Session,
  failed: string | undefined,
  deployment: ServiceDeployment | undefined,
  before: string | undefined,
  output: Output,
): Promise<void> {
  if (!failed) return;
  const stale = `a later cdk deploy would roll out ${shortTaskDefinition(failed)}, the release that failed; deregister it (aws ecs deregister-task-definition --task-definition ${failed}) before the next cdk deploy`;
  if (deployment?.status === 'ROLLBACK_FAILED') {
    output.warn(`the rollback failed, so berth cannot tell which revision runs (berth status ${session.manifest.environment}); ${stale}`);
    return;
  }
  let runs: string | undefined;
  try {
    const source = deployment?.sourceServiceRevisions?.[0]?.arn;
    runs = (source ? (await describeRevision(session.ecs, source))?.taskDefinition : undefined) ?? before;
    if (!runs || runs === failed) {
      output.warn(`berth cannot tell which revision runs after the rollback (berth status ${session.manifest.environment}); ${stale}`);
      return;
    }
    const running = await readTaskDefinition(session.ecs, runs);
    const copy = asRegistration(running);
    const tags: Tag[] = [
      ...(withoutRestoreTags(copy).tags ?? []),
      { key: RESTORE_TAGS.restores, value: shortTaskDefinition(runs) },
      { key: RESTORE_TAGS.failedRelease, value: shortTaskDefinition(failed) },
    ];
    const registered = await registerTaskDefinition(session.ecs, { ...copy, tags });
    output.line(
      `registered ${shortTaskDefinition(registered.taskDefinitionArn ?? '')}, a copy of ${shortTaskDefinition(runs)} (what runs after the rollback), so a later cdk deploy keeps it instead of rolling out ${shortTaskDefinition(failed)}`,
    );
  } catch (err) {
    output.warn(
      `could not register a copy of ${runs ? shortTaskDefinition(runs) : 'the running revision'} (${(err as Error).message.split('\n')[0]}); ${stale}`,
    );
  }
}

/** A registration without the tags that mark a restore: a release cloned from a restore copy is a release. */
function withoutRestoreTags(registration: RegisterTaskDefinitionRequest): RegisterTaskDefinitionRequest {
  const marks: readonly string[] = Object.values(RESTORE_TAGS);
  if (!registration.tags?.some((t) => t.key && marks.includes(t.key))) return registration;
  return { ...registration, tags: registration.tags.filter((t) => !t.key || !marks.includes(t.key)) };
}

/**
 * Whether the service's newest deployment ended well, so the task definition it names is what runs. A
 * service whose deployment was rolled back may still name the new revision; that release is not deployed.
 */
async function landed(session: Session, currentServiceDeployment: string | undefined): Promise<boolean> {
  if (!currentServiceDeployment) return true;
  const last = await describeDeployment(session.ecs, currentServiceDeployment);
  return !last?.status || last.status === 'SUCCESSFUL';
}

function confirmQuestion(plan: RollOutPlan): string {
  const { request, environment, mode } = plan;
  if (mode === 'record') return `Record ${request.tag} as the release ${environment} runs?`;
  if (mode === 'resume') return `Follow the running deployment of ${request.tag} and record it when it succeeds?`;
  return `${request.verb === 'rollback' ? 'Roll back' : 'Release'} ${environment} to ${request.tag}?`;
}

/**
 * Prints the plan: what is released, what runs now, the steps and the task-definition diff.
 * @param output where to write
 * @param plan from {@link planRollOut}
 */
export function printPlan(output: Output, plan: RollOutPlan): void {
  const { request } = plan;
  const currentRevision = shortTaskDefinition(plan.current.taskDefinition);
  output.line(`${request.verb} ${plan.environment} to ${request.tag}`);
  output.line(`  image      ${request.imageReference}`);
  output.line(`  digest     ${request.image.digest}${request.image.pushedAt ? ` (pushed ${request.image.pushedAt.toISOString()})` : ''}`);
  output.line(`  now runs   ${currentRevision} (${plan.current.image ?? 'unknown image'})`);
  if (plan.mode === 'deploy' || plan.mode === 'resume') {
    output.line(`  traffic    ${describeTrafficSteps(plan.strategy)}`);
    if (plan.gate) for (const line of describeGate(plan.gate)) output.line(`  ${line}`);
    output.line(`  timeout    ${describeFollowTimeout(plan.timeout)}`);
  }
  const steps: string[] = [];
  if (plan.mode === 'deploy')
    steps.push('register a new task-definition revision', 'update the service', 'follow the deployment to the end');
  if (plan.mode === 'resume')
    steps.push(`follow the deployment already running towards this image (${shortArn(plan.deploymentArn ?? '')})`);
  if (plan.parameter && plan.mode !== 'nothing') steps.push(`after success, record ${request.tag} in ${plan.parameter}`);
  if (steps.length > 0) output.line(`  plan       ${steps.map((s, i) => `${i + 1}. ${s}`).join('\n             ')}`);
  if (plan.releaseTags) {
    const tags = [
      `${RELEASE_TAGS.startedBy}=${plan.releaseTags.startedBy}`,
      ...(plan.releaseTags.releaseUrl !== undefined ? [`${RELEASE_TAGS.releaseUrl}=${plan.releaseTags.releaseUrl}`] : []),
    ];
    output.line(`  tags       ${tags.join('\n             ')}`);
    for (const note of plan.releaseTagNotes ?? []) output.warn(note);
  }
  if (plan.taskDefinitionDiff.length > 0) {
    output.line(`task definition diff (${currentRevision} -> new revision):`);
    for (const line of plan.taskDefinitionDiff) output.line(`  ${line}`);
  }
}

/**
 * The gate in the plan: where it pauses, each smoke check, the approval and the timeout after which ECS rolls back.
 * @param gate from the plan
 */
export function describeGate(gate: PlannedGate): string[] {
  const indent = ''.padEnd(11);
  return [
    `gate       pauses before production traffic (test traffic on the new tasks); ECS rolls back after ${gate.pauseTimeoutMinutes} min unless continued`,
    ...gate.smoke.map((check) => `${indent}smoke check ${check.path}  expects ${describeExpectation(check)}`),
    `${indent}${gate.smoke.length > 0 ? 'then ' : ''}${gate.approve ? 'a person approves the shift of production traffic (--yes answers yes once the checks pass)' : 'production traffic shifts without asking'}`,
  ];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
