import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeployment,
  type Tag,
  type TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Manifest, ManifestEnvironment } from '../../infra/manifest';
import { exampleManifest, forwardAction } from './manifest';
import { aws, resetAwsMocks } from './mock-aws';
import { EXECUTION_ROLE_ARN, givenPreflightOk, PARAMETER_ARN, SECRET_ARN } from './preflight';

/** ARN of a task-definition revision of an environment's family. */
export function taskDefinitionArn(environment: ManifestEnvironment, revision: number): string {
  return `arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-${environment}:${revision}`;
}

/** ARN of a service deployment of an environment's service. */
export function deploymentArn(environment: ManifestEnvironment, id: string): string {
  return `arn:aws:ecs:eu-west-1:123456789012:service-deployment/berth-${environment}-Cluster/berth-${environment}-Service/${id}`;
}

/** The digest ECR reports for a tag in these tests. */
export function digestOf(tag: string): string {
  const hex = Buffer.from(tag).toString('hex').padEnd(64, '0').slice(0, 64);
  return `sha256:${hex}`;
}

/** The commit a release tag points at in these tests (40 hex digits, like a git SHA-1). */
export function commitOf(tag: string): string {
  return createHash('sha1').update(`commit of ${tag}`).digest('hex');
}

/** A task definition of the family whose app container runs the image. */
export function exampleTaskDefinition(environment: ManifestEnvironment, revision: number, image: string): TaskDefinition {
  return {
    taskDefinitionArn: taskDefinitionArn(environment, revision),
    family: `berth-${environment}`,
    revision,
    status: 'ACTIVE',
    taskRoleArn: 'arn:aws:iam::123456789012:role/task',
    executionRoleArn: EXECUTION_ROLE_ARN,
    networkMode: 'bridge',
    containerDefinitions: [
      {
        name: 'app',
        image,
        memory: 512,
        portMappings: [{ containerPort: 8080, hostPort: 0 }],
        environment: [{ name: 'ENV', value: environment }],
        // one secret of each kind, as container.secrets injects them (test/_helpers/preflight.ts describes them).
        secrets: [
          { name: 'API_KEY', valueFrom: SECRET_ARN },
          { name: 'DB_PASSWORD', valueFrom: PARAMETER_ARN },
        ],
      },
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
    ],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.ecr-auth' }],
    compatibilities: ['EC2'],
    requiresCompatibilities: ['EC2'],
    registeredAt: new Date('2026-11-01T10:00:00Z'),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deployer/alice',
  };
}

/** Who runs berth in these tests, as STS GetCallerIdentity answers. */
export const CALLER_ARN = 'arn:aws:sts::123456789012:assumed-role/releaser/alice';

/** The scripted answers of one test's AWS. */
export interface World {
  readonly manifest: Manifest;
  /** the image the service runs before the command. */
  readonly runningImage: string;
}

/** How to set up a world. */
export interface WorldOptions {
  /** the environment. @default 'live' */
  readonly environment?: ManifestEnvironment;
  /** the tag the service runs now. @default 'v1.3.0' on live, a pinned master digest on pre */
  readonly runningTag?: string;
  /** the image-tag parameter's history, oldest first. @default ['v1.2.0', 'v1.3.0'] */
  readonly tagHistory?: readonly string[];
  /** image tags ECR has. @default v1.2.0, v1.3.0, v1.4.0, v1.5.0-rc.1, master */
  readonly ecrTags?: readonly string[];
  /** what DescribeServiceDeployments answers for the new deployment, in order (the last repeats). */
  readonly deploymentStatuses?: readonly Partial<ServiceDeployment>[];
  /**
   * per release tag, the digest of `sha-<commit>`, the image the workflows built from the tag's commit
   * ({@link commitOf}); `undefined` when that commit was never built.
   * @default every release tag in `ecrTags` was built from its commit: the same digest as the tag
   */
  readonly commitDigests?: Readonly<Record<string, string | undefined>>;
  /** fields of the manifest to replace, e.g. `release` or `url`. @default - the example manifest */
  readonly manifest?: Partial<Manifest>;
  /** the tags of the revision the service runs. @default [{ key: 'app', value: 'berth' }] */
  readonly runningTags?: readonly Tag[];
  /** the service's scalable target (`autoScaling`). @default none: the service runs a fixed count */
  readonly scaling?: { readonly min: number; readonly max: number; readonly scaleInSuspended?: boolean };
}

/**
 * Scripts every AWS call of a release: the manifest, a service running `runningTag`, ECR images, a deployment
 * that goes through blue/green stages to SUCCESSFUL, healthy targets and the image-tag parameter.
 * @param options what to change from the defaults
 */
export function setUpWorld(options: WorldOptions = {}): World {
  resetAwsMocks();
  const environment = options.environment ?? 'live';
  const manifest = exampleManifest(environment, options.manifest);
  const uri = manifest.repository.uri;
  const runningImage = environment === 'live' ? `${uri}:${options.runningTag ?? 'v1.3.0'}` : `${uri}@${digestOf('old-master')}`;
  const history = options.tagHistory ?? ['v1.2.0', 'v1.3.0'];
  const ecrTags = options.ecrTags ?? ['v1.2.0', 'v1.3.0', 'v1.4.0', 'v1.5.0-rc.1', 'master'];

  aws.applicationAutoScaling.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: options.scaling
      ? [
          {
            ServiceNamespace: 'ecs',
            ResourceId: `service/${manifest.cluster.name}/${manifest.service.name}`,
            ScalableDimension: 'ecs:service:DesiredCount',
            MinCapacity: options.scaling.min,
            MaxCapacity: options.scaling.max,
            RoleARN: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/x',
            CreationTime: new Date(Date.UTC(2026, 10, 1)),
            SuspendedState: { DynamicScalingInSuspended: options.scaling.scaleInSuspended ?? false },
          },
        ]
      : [],
  });
  aws.ssm
    .on(GetParameterCommand, { Name: `/berth/berth/${environment}/manifest` })
    .resolves({ Parameter: { Value: JSON.stringify(manifest) } });
  if (manifest.imageTagParameter) {
    aws.ssm
      .on(GetParameterCommand, { Name: manifest.imageTagParameter })
      .resolves({ Parameter: { Value: history.at(-1), Version: history.length } });
    aws.ssm.on(GetParameterHistoryCommand, { Name: manifest.imageTagParameter }).resolves({
      Parameters: history.map((tag, i) => ({
        Name: manifest.imageTagParameter,
        Value: tag,
        Version: i + 1,
        LastModifiedDate: new Date(Date.UTC(2026, 10, 1 + i, 12)),
        LastModifiedUser: `arn:aws:sts::123456789012:assumed-role/operator/person${i + 1}`,
      })),
    });
    aws.ssm.on(PutParameterCommand).resolves({ Version: history.length + 1 });
  }
  // every image by tag: the tags asked for, and the `sha-<commit>` image each release was built as.
  const images = new Map<string, string>(ecrTags.map((tag) => [tag, digestOf(tag)]));
  for (const tag of ecrTags.filter((t) => t.startsWith('v'))) {
    const digest = options.commitDigests && tag in options.commitDigests ? options.commitDigests[tag] : digestOf(tag);
    if (digest) images.set(`sha-${commitOf(tag)}`, digest);
  }
  aws.ecr.on(DescribeImagesCommand).callsFake((input: { imageIds?: { imageTag?: string }[] }) => {
    const found = (input.imageIds ?? []).filter((id) => id.imageTag && images.has(id.imageTag));
    if (found.length === 0 && (input.imageIds ?? []).length === 1) {
      throw Object.assign(new Error(`The image with imageId {imageTag:'${input.imageIds?.[0]?.imageTag}'} does not exist`), {
        name: 'ImageNotFoundException',
      });
    }
    return {
      imageDetails: found.map((id) => ({
        imageDigest: images.get(id.imageTag ?? ''),
        imageTags: [...images].filter(([, digest]) => digest === images.get(id.imageTag ?? '')).map(([tag]) => tag),
        imagePushedAt: new Date('2026-11-20T09:00:00Z'),
      })),
    };
  });

  const running = exampleTaskDefinition(environment, 7, runningImage);
  aws.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: manifest.service.name,
        serviceArn: manifest.service.arn,
        status: 'ACTIVE',
        taskDefinition: running.taskDefinitionArn,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        currentServiceDeployment: deploymentArn(environment, 'old'),
        currentServiceRevisions: [{ arn: 'arn:revision/running' }],
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
      },
    ],
  });
  aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: running.taskDefinitionArn }).resolves({
    taskDefinition: running,
    tags: [...(options.runningTags ?? [{ key: 'app', value: 'berth' }])],
  });
  aws.ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  // each registration is the family's next revision: the release is :8, a restore after it fails :9.
  let revision = 7;
  aws.ecs.on(RegisterTaskDefinitionCommand).callsFake((input: TaskDefinition) => {
    revision += 1;
    return { taskDefinition: { ...input, taskDefinitionArn: taskDefinitionArn(environment, revision), revision } };
  });
  aws.ecs.on(UpdateServiceCommand).resolves({ service: { currentServiceDeployment: deploymentArn(environment, 'new') } });
  aws.ecs.on(DeregisterTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({
    taskDefinition: { taskDefinitionArn: input.taskDefinition, status: 'INACTIVE' },
  }));
  // the first look is berth making sure the deployment is the one towards the new revision.
  const statuses = options.deploymentStatuses ?? [
    { status: 'PENDING', lifecycleStage: 'RECONCILE_SERVICE' },
    { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' },
    { status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' },
    { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
    { status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' },
  ];
  let look = 0;
  aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => {
    const arn = input.serviceDeploymentArns[0];
    if (arn === deploymentArn(environment, 'old')) {
      return {
        serviceDeployments: [
          { serviceDeploymentArn: arn, status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP', finishedAt: new Date('2026-11-02T12:00:00Z') },
        ],
      };
    }
    const step = statuses[Math.min(look++, statuses.length - 1)];
    return {
      serviceDeployments: [
        {
          serviceDeploymentArn: arn,
          sourceServiceRevisions: [{ arn: 'arn:revision/running', requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }],
          targetServiceRevision: { arn: 'arn:revision/new', requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
          deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
          ...step,
        },
      ],
    };
  });
  aws.ecs.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions:
      input.serviceRevisionArns[0] === 'arn:revision/new'
        ? [{ serviceRevisionArn: 'arn:revision/new', taskDefinition: taskDefinitionArn(environment, 8) }]
        : [
            {
              serviceRevisionArn: 'arn:revision/running',
              taskDefinition: running.taskDefinitionArn,
              containerImages: [
                {
                  containerName: 'app',
                  image: runningImage,
                  imageDigest: digestOf(environment === 'live' ? (options.runningTag ?? 'v1.3.0') : 'old-master'),
                },
              ],
            },
          ],
  }));
  aws.ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
  aws.sts.on(GetCallerIdentityCommand).resolves({ Arn: CALLER_ARN, Account: '123456789012', UserId: 'AROAEXAMPLE:alice' });
  aws.elbv2
    .on(DescribeTargetHealthCommand)
    .resolves({ TargetHealthDescriptions: [{ Target: { Id: 'i-0abc', Port: 32768 }, TargetHealth: { State: 'healthy' } }] });
  // after one release: production on green, the test rule on blue.
  aws.elbv2
    .on(DescribeRulesCommand, { RuleArns: [manifest.rules.production] })
    .resolves({ Rules: [{ RuleArn: manifest.rules.production, Actions: [forwardAction(manifest, 0, 100)] }] });
  aws.elbv2
    .on(DescribeRulesCommand, { RuleArns: [manifest.rules.test] })
    .resolves({ Rules: [{ RuleArn: manifest.rules.test, Actions: [forwardAction(manifest, 100, 0)] }] });
  // the target groups as the stack makes them: 10 s x 2 checks, 30 s draining.
  aws.elbv2.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: Object.values(manifest.targetGroups).map((arn) => ({
      TargetGroupArn: arn,
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
    })),
  });
  aws.elbv2
    .on(DescribeTargetGroupAttributesCommand)
    .resolves({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] });
  // what promote's pre-flight (berth verify) reads besides the above, all ok.
  givenPreflightOk(manifest);
  return { manifest, runningImage };
}

/** The AWS calls that change something; a refusal must send none of them. */
export const WRITE_COMMANDS = [RegisterTaskDefinitionCommand, UpdateServiceCommand, PutParameterCommand] as const;

/** Asserts that no write was sent to AWS. */
export function expectNoWrites(): void {
  expect(aws.ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
  expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  expect(aws.ecs).not.toHaveReceivedCommand(DeregisterTaskDefinitionCommand);
  expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
}

/** A GitHub release as the API returns it. */
export interface FakeRelease {
  readonly tag_name: string;
  readonly draft?: boolean;
  readonly prerelease?: boolean;
  readonly published_at?: string | null;
}

/** A git object a ref or an annotated tag points at, as the GitHub API describes it. */
export interface FakeGitObject {
  readonly type: 'commit' | 'tag' | 'tree' | 'blob';
  readonly sha: string;
}

/** A local stand-in for the GitHub API on 127.0.0.1, serving the releases and tags of `example-org/backend`. */
export interface FakeGithub {
  /** the base URL to put in GITHUB_API_URL. */
  readonly url: string;
  /** the releases it serves; tests replace them. */
  releases: FakeRelease[];
  /**
   * what `git/ref/tags/<tag>` points at, for tags that differ from the default: every release's tag is a
   * lightweight tag on {@link commitOf}.
   */
  tagRefs: Record<string, FakeGitObject>;
  /** annotated tag objects by SHA: what `git/tags/<sha>` points at. */
  tagObjects: Record<string, FakeGitObject>;
  /** the paths and authorization headers it was asked for. */
  readonly requests: { path: string; authorization?: string }[];
  /** stops the server. */
  close(): Promise<void>;
}

/** The page GitHub shows a release of `example-org/backend` at (its `html_url`). */
export function releasePage(tag: string): string {
  return `https://github.com/example-org/backend/releases/tag/${tag}`;
}

/** Starts a {@link FakeGithub}. */
export async function startFakeGithub(): Promise<FakeGithub> {
  const state: {
    releases: FakeRelease[];
    requests: { path: string; authorization?: string }[];
    tagRefs: Record<string, FakeGitObject>;
    tagObjects: Record<string, FakeGitObject>;
  } = { releases: [], requests: [], tagRefs: {}, tagObjects: {} };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    state.requests.push({ path: url, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const prefix = '/repos/example-org/backend/releases';
    const page = (release: FakeRelease) => ({ ...release, html_url: releasePage(release.tag_name) });
    const published = state.releases.filter((r) => !r.draft);
    if (url.startsWith(`${prefix}/tags/`)) {
      // like GitHub for a token with push access: drafts are visible, and marked as drafts.
      const release = state.releases.find((r) => r.tag_name === decodeURIComponent(url.slice(`${prefix}/tags/`.length)));
      return release ? send(200, page(release)) : send(404, { message: 'Not Found' });
    }
    if (url === `${prefix}/latest`) {
      const latest = published
        .filter((r) => !r.prerelease)
        .sort((a, b) => Date.parse(b.published_at ?? '') - Date.parse(a.published_at ?? ''))[0];
      return latest ? send(200, page(latest)) : send(404, { message: 'Not Found' });
    }
    if (url.startsWith(`${prefix}?`)) return send(200, state.releases.map(page));
    const git = '/repos/example-org/backend/git';
    if (url.startsWith(`${git}/ref/tags/`)) {
      const tag = decodeURIComponent(url.slice(`${git}/ref/tags/`.length));
      const object =
        state.tagRefs[tag] ?? (state.releases.some((r) => r.tag_name === tag) ? { type: 'commit', sha: commitOf(tag) } : undefined);
      return object
        ? send(200, { ref: `refs/tags/${tag}`, object: { ...object, url: `${git}/${object.type}s/${object.sha}` } })
        : send(404, { message: 'Not Found' });
    }
    if (url.startsWith(`${git}/tags/`)) {
      const sha = url.slice(`${git}/tags/`.length);
      const object = state.tagObjects[sha];
      return object ? send(200, { sha, object }) : send(404, { message: 'Not Found' });
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get releases() {
      return state.releases;
    },
    set releases(value: FakeRelease[]) {
      state.releases = value;
    },
    requests: state.requests,
    get tagRefs() {
      return state.tagRefs;
    },
    set tagRefs(value: Record<string, FakeGitObject>) {
      state.tagRefs = value;
    },
    get tagObjects() {
      return state.tagObjects;
    },
    set tagObjects(value: Record<string, FakeGitObject>) {
      state.tagObjects = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Writes a config file for the CLI and returns its path.
 * @param github whether it names the GitHub repository `example-org/backend`
 */
export function writeConfig(github: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-test-'));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ appName: 'berth', region: 'eu-west-1', ...(github ? { github: { repository: 'example-org/backend' } } : {}) }),
  );
  return file;
}

/**
 * A look at a deployment ECS holds at berth's PAUSE hook (POST_TEST_TRAFFIC_SHIFT), awaiting an answer until
 * 10:42 UTC, then rolling back.
 * @param hookId the hook's id
 */
export function pausedAtGate(hookId: string): Partial<ServiceDeployment> {
  return {
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    lifecycleHookDetails: [
      { hookId, targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: new Date('2026-12-02T10:42:00Z'), timeoutAction: 'ROLLBACK' },
    ],
  };
}
