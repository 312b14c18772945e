import { common, COMMON_OPTIONS, ENVIRONMENT_OPTIONS, ENVIRONMENTS, IDENTITY_OPTIONS } from '../cli/args';
import { DEFAULT_PUBLIC_RESOLVERS, RESOLVERS_VARIABLE } from '../checks/resolvers';
import { defineCommand } from '../cli/command';

// every berth command, declared once: `berth --help`, `berth <command> --help` and the check of each command
// line are generated from these definitions. This module loads nothing of what the commands do, so a
// command may import its own definition without pulling in the others (the GitHub Action bundles one).

/** The tag every merge to `master` pushes, and pre runs. */
export const PRE_IMAGE_TAG = 'master';

/** The login user of the ECS-optimized Amazon Linux 2023 AMI the stacks launch. */
export const DEFAULT_OS_USER = 'ec2-user';

/** What `berth exec` runs when no command follows `--`. */
export const DEFAULT_EXEC_COMMAND = '/bin/sh';

/** Where the ECS agent of the ECS-optimized Amazon Linux 2023 AMI writes its log. */
export const ECS_AGENT_LOG = '/var/log/ecs/ecs-agent.log';

/** How long `agent-log` waits for the instance's answer when `--timeout` is not given. */
export const DEFAULT_AGENT_LOG_TIMEOUT = '60s';

/** How long `db-shell` waits for the client task to run when `--timeout` is not given (a new instance may have to start). */
export const DEFAULT_START_TIMEOUT = '10m';

const RELEASE_OPTIONS = common('json', 'dry-run', 'yes', 'timeout', ...IDENTITY_OPTIONS);

const DEFAULT_RESOLVERS = Object.entries(DEFAULT_PUBLIC_RESOLVERS)
  .map(([name, ip]) => `${name} ${ip}`)
  .join(', ');

/** How `dns` and `doctor` choose the resolvers of the public-DNS link. */
const RESOLVER_OPTIONS = {
  resolver: {
    type: 'string',
    multiple: true,
    value: '<Name=ip[:port]>',
    help: `a resolver the public-DNS link asks instead of ${DEFAULT_RESOLVERS};\nrepeat it or separate with commas (default: $${RESOLVERS_VARIABLE})`,
  },
  'skip-public-dns': { type: 'boolean', help: `skip the public-DNS link (also: ${RESOLVERS_VARIABLE}=none)` },
} as const;

/** The options of `dns` and `doctor`, which both walk links and report findings. */
const FINDINGS_OPTIONS = { ...RESOLVER_OPTIONS, ...ENVIRONMENT_OPTIONS };

/** How `dns`, `doctor` and `verify` exit, by their worst finding. */
const FINDINGS_EXIT_CODES = 'Exit code: 0 all ok, 6 warnings only, 4 something fails.';

export const PROMOTE = defineCommand({
  name: 'promote',
  summary: 'release a GitHub release (vX.Y.Z) to live, blue/green, and record it',
  environments: ['live'],
  otherEnvironment: 'pre follows the delivery branch: berth deploy pre',
  synopsis: '(--tag <vX.Y.Z> | --latest) [options]',
  description: `Releases an image tag to live. Before changing anything it checks that the tag is a release tag, that the
GitHub release exists and is published, that the image is in ECR, that it is the image built from the
commit the GitHub tag points at (its digest is that of sha-<commit>; both GitHub checks need github.repository
in the config), that no deployment of the service is in progress, and the pre-flight of berth verify for the
tag (execution role, secrets, the image's architecture, log groups, certificate, room; a FAIL refuses).
Then it registers a task-definition revision that differs from the running one only in the image, updates
the service, follows the blue/green deployment to the end, and only then records the tag in
/berth/<app>/live/image-tag.

Running it again for the same tag resumes: it follows a deployment already on its way to that image, or
records the tag of a deployment that finished while nobody watched.`,
  options: {
    tag: { type: 'string', value: '<vX.Y.Z>', help: 'the release to promote' },
    latest: { type: 'boolean', help: 'the newest published GitHub release (needs github.repository in the config)' },
    'allow-prerelease': { type: 'boolean', help: 'accept a pre-release tag such as v1.4.0-rc.1' },
    ...RELEASE_OPTIONS,
  },
  footer: 'Environment: GITHUB_TOKEN (token for the release check), GITHUB_API_URL (default https://api.github.com).',
});

export const DEPLOY = defineCommand({
  name: 'deploy',
  summary: 'roll pre onto the current master image, pinned to its digest',
  environments: ['pre'],
  otherEnvironment: 'live runs releases: berth promote live --tag vX.Y.Z',
  description: `Rolls pre onto the image tagged ${PRE_IMAGE_TAG} in ECR now. The new task-definition revision names the image
by digest (repo@sha256:…), so the revision says exactly what ran even after ${PRE_IMAGE_TAG} moves on. Refuses
while a deployment of the service is in progress; then registers the revision, updates the service and
follows the deployment to the end. It does not ask for confirmation, except at the smoke-test gate when
pre's release.approve is on (off by default: the checks run and the deployment continues by itself).`,
  options: {
    ...RELEASE_OPTIONS,
    // deploy asks only at the smoke-test gate, when release.approve is on for pre; CI passes --yes.
    yes: { ...COMMON_OPTIONS.yes, help: 'answer yes at the smoke-test gate (asked only when pre has release.approve)' },
  },
});

export const ROLLBACK = defineCommand({
  name: 'rollback',
  summary: 'put live back on the previous release (or --to vX.Y.Z), blue/green',
  environments: ['live'],
  otherEnvironment: 'pre follows the delivery branch: berth deploy pre',
  description: `Puts live back on the release before the current one, read from the version history of
/berth/<app>/live/image-tag, or on the release named with --to. It runs exactly the checks and steps of
berth promote (release, image, no deployment in progress; new revision, update, follow, record), and records
the older tag as a new parameter version, so the history stays append-only. A release that ran on live before
is not traced to its commit again (its tag is immutable); one named with --to that never ran is, like promote.`,
  options: {
    to: { type: 'string', value: '<vX.Y.Z>', help: 'the release to go back to (default: the previous one in the history)' },
    'allow-prerelease': { type: 'boolean', help: 'accept a pre-release tag with --to' },
    ...RELEASE_OPTIONS,
  },
});

export const CONTINUE = defineCommand({
  name: 'continue',
  summary: 'run the smoke-test gate for a deployment paused before production traffic, and continue it',
  environments: ENVIRONMENTS,
  description: `For a deployment that waits at the smoke-test gate (the PAUSE hook before production traffic) which
berth promote, deploy or rollback did not start, or no longer follows: a \`cdk deploy\` that changed the task
definition, a CI run that died. Runs the environment's smoke checks against the new tasks with the test header,
rolls the deployment back if one fails, asks "Shift production traffic to …?" when the environment wants
approval (--yes answers yes once the checks passed), continues the deployment and follows it to the end.
Records no image tag: after a release tag reached live this way, berth promote live --tag <tag> records it
(it sees the release running and only records). Refuses when no deployment is paused at the gate.`,
  options: {
    yes: { type: 'boolean', help: 'answer yes to the approval question once the checks passed' },
    ...common('json', 'timeout', ...IDENTITY_OPTIONS),
  },
});

export const STATUS = defineCommand({
  name: 'status',
  summary: 'show what an environment runs: revision, image, deployment, tasks, target health, URL',
  environments: ENVIRONMENTS,
  description: `Shows the task-definition revision the service runs, its image tag and digest, the recorded image tag (live),
the newest service deployment with its status and lifecycle stage, desired/running/pending tasks, which
target group serves production and where the test rule points (with a note when that looks wrong), the
health of each target group (blue and green) with the reason of every unhealthy target, and the URL.
Changes nothing.`,
  options: {
    watch: {
      type: 'boolean',
      help: 'when a deployment is in progress, follow it to the end (exit 4 if it fails,\n5 after --timeout, 130 on Ctrl-C; the deployment goes on)',
    },
    ...common('json', 'timeout', ...IDENTITY_OPTIONS),
  },
});

export const HISTORY = defineCommand({
  name: 'history',
  summary: 'list the releases of an environment: time, tag, digest, revision, who',
  environments: ENVIRONMENTS,
  description: `Lists releases newest first. For live, a release is a version of /berth/<app>/live/image-tag (who wrote it is
the parameter's LastModifiedUser) with the task-definition revision that ran it and the image digest in ECR.
For pre, a release is a task-definition revision of the family (who registered it, and the pinned digest).
Changes nothing.`,
  options: {
    limit: { type: 'string', value: '<N>', help: 'how many releases to list (default 20)' },
    ...ENVIRONMENT_OPTIONS,
  },
});

export const INSTANCES = defineCommand({
  name: 'instances',
  summary: "list the environment's EC2 instances: state, AMI, ECS agent, tasks",
  environments: ENVIRONMENTS,
  description: `Lists the EC2 instances of the environment's Auto Scaling group: id, availability zone, type, Auto Scaling
lifecycle and health, EC2 state, private and public IP, AMI (and whether it is the launch template's current
one), launch time, ECS agent connection and running task count. Changes nothing.`,
  options: ENVIRONMENT_OPTIONS,
});

export const CONNECT = defineCommand({
  name: 'connect',
  summary: 'open a shell on an instance (SSM Session Manager; --ssh through EC2 Instance Connect)',
  environments: ENVIRONMENTS,
  description: `Opens a shell on one of the environment's instances through SSM Session Manager (aws ssm start-session).
Without --instance: the only running instance, or pick one from a list on a terminal.
Needs the AWS CLI v2 and the Session Manager plugin on PATH.`,
  options: {
    instance: { type: 'string', value: '<id>', help: 'the instance, one of berth instances <env>' },
    ssh: {
      type: 'boolean',
      help: "SSH instead: push a throwaway key with EC2 Instance Connect, then ssh to the\ninstance's public IP (else its private IP); needs ssh and port 22 open to you",
    },
    user: { type: 'string', value: '<name>', help: `the OS user for --ssh (default: ${DEFAULT_OS_USER}, the ECS-optimized AMI's)` },
    ...common('json', 'dry-run', ...IDENTITY_OPTIONS),
  },
});

export const EXEC = defineCommand({
  name: 'exec',
  summary: 'open a shell or run a command in a running container (ECS Exec)',
  environments: ENVIRONMENTS,
  description: `Runs a command in a running container through ECS Exec (aws ecs execute-command), by default an
interactive shell (${DEFAULT_EXEC_COMMAND}) in the app container of the service's newest running task.
Needs the AWS CLI v2 and the Session Manager plugin on PATH.`,
  options: {
    task: { type: 'string', value: '<id>', help: "the task (id or ARN) of the environment's service (default: the newest running)" },
    container: { type: 'string', value: '<name>', help: 'the container (default: the app container from the manifest)' },
    ...common('json', 'dry-run', ...IDENTITY_OPTIONS),
  },
  passThrough: { value: 'command …', help: 'what to run instead of a shell, e.g. -- cat /etc/resolv.conf' },
});

export const LOGS = defineCommand({
  name: 'logs',
  summary: "print the service's container logs; --follow until Ctrl-C",
  environments: ENVIRONMENTS,
  description: `Prints the service's container logs (CloudWatch Logs group from the manifest), oldest first, one line
per event: time, task id, message. With --follow, keeps printing new events until Ctrl-C.`,
  options: {
    since: { type: 'string', value: '<dur>', help: 'how far back to start, e.g. 90s, 15m, 2h, 1d (default: 15m)' },
    follow: { type: 'boolean', short: 'f', help: 'keep polling for new events until Ctrl-C (with --json: one JSON object per line)' },
    filter: { type: 'string', value: '<pattern>', help: `a CloudWatch Logs filter pattern, e.g. ERROR or '"connection refused"'` },
    ...ENVIRONMENT_OPTIONS,
  },
});

export const AGENT_LOG = defineCommand({
  name: 'agent-log',
  summary: "print an instance's ECS agent log through SSM Run Command",
  environments: ENVIRONMENTS,
  description: `Prints the end of the ECS agent log (${ECS_AGENT_LOG}) of one of the environment's instances, read with
SSM Run Command: no shell, no open port. The instance must belong to the environment's Auto Scaling group.
SSM returns at most 24,000 characters; for more, berth connect <env> --instance i-… and read the file.`,
  options: {
    instance: {
      type: 'string',
      value: '<id>',
      required: 'berth instances <env> lists the instance ids',
      help: 'the instance (berth instances <env> lists them); required',
    },
    lines: { type: 'string', value: '<n>', help: 'how many lines from the end (default: 200)' },
    ...common('json', 'dry-run', 'timeout', ...IDENTITY_OPTIONS),
    timeout: { ...COMMON_OPTIONS.timeout, help: `how long to wait for the instance (default: ${DEFAULT_AGENT_LOG_TIMEOUT})` },
  },
});

export const DNS = defineCommand({
  name: 'dns',
  summary: "check the subdomain's Route 53 alias, its certificate and what public resolvers answer",
  environments: ENVIRONMENTS,
  description: `Checks the environment's name end to end, and changes nothing:
  - Route 53: the subdomain's A (and AAAA) record is an alias to this environment's load balancer;
  - ACM: the certificate is issued, covers the name (a wildcard one label up counts) and is not near expiry;
  - public resolvers (${DEFAULT_RESOLVERS}, or those --resolver or $${RESOLVERS_VARIABLE} name):
    what they answer for the name.
${FINDINGS_EXIT_CODES}`,
  options: FINDINGS_OPTIONS,
});

export const DOCTOR = defineCommand({
  name: 'doctor',
  summary: 'walk DNS → load balancer → targets → service → tasks → instances and report each link with its fix',
  environments: ENVIRONMENTS,
  description: `Walks the chain a request takes and reports each link as ok, WARN or FAIL with the fix:
  DNS alias → public DNS → load balancer → HTTPS listener (443) → certificate (expiry) → listener rule
  → target health (with the reasons AWS gives) → traffic (which group serves production, where the test
  rule points, and whether that fits the groups' health) → service (events) → deployment → tasks (why recent
  ones stopped) → container instances (agent connected, room left) → release capacity (tasks per
  instance, room for blue and green) → Auto Scaling group (failed activities) → capacity provider
  → instance AMI.
Reads only; changes nothing. Start with the first FAIL: the links after it often fail because of it.
${FINDINGS_EXIT_CODES}`,
  options: FINDINGS_OPTIONS,
});

export const VERIFY = defineCommand({
  name: 'verify',
  summary: 'pre-flight: check what the next release needs (role, secrets, image, logs, room); reads only',
  environments: ENVIRONMENTS,
  synopsis: '[--tag <tag>] [options]',
  description: `Checks, before the first release and before each one, what a task of the next release needs, and
reports each as ok, WARN or FAIL with the fix; reads only, changes nothing:
  manifest schema (a version this berth reads) → execution role (ECS tasks may assume it) → each of
  container.secrets (exists; the execution role may read it and decrypt it with its KMS key) → image (the tag
  exists in ECR for the environment's architecture: a multi-arch index that lists it) → log groups (the app's and
  ECS Exec's exist) → certificate (ISSUED) → release capacity (room for twice the tasks, autoScaling.maxTasks
  when set, on the Auto Scaling group's maximum).
The image is --tag; without it live's is the tag /berth/<app>/live/image-tag holds (what a redeploy or a new
instance runs now) and pre's is ${PRE_IMAGE_TAG}. berth promote runs the same checks, for the tag it promotes,
before its first write, and refuses on a FAIL.
${FINDINGS_EXIT_CODES}`,
  options: {
    tag: { type: 'string', value: '<tag>', help: `the image tag to check (default: live's recorded tag; pre: ${PRE_IMAGE_TAG})` },
    ...ENVIRONMENT_OPTIONS,
  },
});

export const DB_SHELL = defineCommand({
  name: 'db-shell',
  summary: "open a mysql/psql shell on the environment's database in a one-off task (ECS Exec)",
  environments: ENVIRONMENTS,
  description: `Opens the database client (mysql or psql, matching the engine) as the master user in a one-off task on
the environment's cluster, through ECS Exec. The task gets the credentials from the database secret;
they never reach this machine. The task is stopped when the session ends, on an error and on Ctrl-C;
if berth itself is killed, the task stops itself after its time limit.
Needs the AWS CLI v2 and the Session Manager plugin on PATH.`,
  options: {
    'time-limit': {
      type: 'string',
      value: '<dur>',
      help: 'how long the client task may live, e.g. 2h (default: 1h, from the task definition; at most 12h)',
    },
    ...common('json', 'dry-run', 'timeout', ...IDENTITY_OPTIONS),
    timeout: { ...COMMON_OPTIONS.timeout, help: `how long to wait for the task to start (default: ${DEFAULT_START_TIMEOUT})` },
  },
});
