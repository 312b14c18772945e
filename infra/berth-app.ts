import { type App, Tags } from 'aws-cdk-lib';
import { type BerthConfig, ENVIRONMENT_NAMES, type EnvironmentConfig, type EnvironmentName, mostTasks } from './config';
import { stackNameOf } from './environments';
import { findInstanceType } from './facts/instance-types';
import { EnvironmentStack } from './stacks/environment-stack';
import { SharedStack } from './stacks/shared-stack';
import { describeReleaseRoom, expectedRoom, releaseRoom, tasksPerInstance } from './task-capacity';

/** The stacks of one berth app. */
export interface BerthStacks {
  /** `<app>-shared`: VPC and ECR repository. */
  readonly shared: SharedStack;
  /** `<app>-pre` and `<app>-live`. */
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentStack>>;
}

/**
 * Adds all berth stacks for a validated config to an app. Shared by `infra/app.ts` and the tests, so
 * what is tested is what `cdk synth` builds.
 * @param app the CDK app
 * @param config the validated config
 */
export function addBerthStacks(app: App, config: BerthConfig): BerthStacks {
  const env = { account: config.account, region: config.region };
  Tags.of(app).add('berth:app', config.appName);
  const shared = new SharedStack(app, stackNameOf(config.appName, 'shared'), {
    env,
    config,
    description: `berth ${config.appName}: VPC and image repository shared by pre and live`,
  });
  const environments = Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => [
      name,
      new EnvironmentStack(app, stackNameOf(config.appName, name), {
        env,
        config,
        environment: config.environments[name],
        vpc: shared.vpc,
        instanceSubnets: shared.instanceSubnets,
        repository: shared.repository,
        description: `berth ${config.appName}: the ${name} environment`,
      }),
    ]),
  ) as Record<EnvironmentName, EnvironmentStack>;
  return { shared, environments };
}

/** A few lines that tell the operator what `cdk synth` just built. */
export function summary(config: BerthConfig): string {
  const lines = [`berth ${config.appName}: account ${config.account}, region ${config.region}`];
  lines.push(
    `  ${config.appName}-shared  VPC ${config.vpc.kind === 'new' ? `${config.vpc.cidr} (new)` : `${config.vpc.vpcId} (imported)`}, instances in ${config.vpc.instanceSubnets} subnets; ECR repository ${config.appName}`,
  );
  for (const name of ENVIRONMENT_NAMES) {
    const e = config.environments[name];
    lines.push(
      `  ${`${config.appName}-${name}`.padEnd(config.appName.length + 7)} https://${e.subdomain}.${config.domain.name}  ${e.instanceType} (${e.architecture}) x ${e.minCapacity}-${e.maxCapacity}, ${tasksText(e)} of ${e.container.cpu} CPU / ${e.container.memoryMiB} MiB`,
    );
    lines.push(`  ${' '.repeat(config.appName.length + 7)} ${name}: ${capacityLine(e)}`);
    if (e.database) {
      const d = e.database;
      lines.push(
        `  ${' '.repeat(config.appName.length + 7)} database ${d.engine} ${d.engineVersion.full} on db.${d.instanceType}${d.multiAz ? ' (multi-AZ)' : ''}, ${d.allocatedStorageGiB} GiB, backups ${d.backupRetentionDays} days${d.deletionProtection ? ', deletion protection' : ''}`,
      );
    }
  }
  return lines.join('\n');
}

/** How many tasks the service runs: a fixed count, or the auto-scaling range. */
function tasksText(environment: EnvironmentConfig): string {
  const scaling = environment.autoScaling;
  if (!scaling) return `${environment.desiredTaskCount} task(s)`;
  return `${scaling.minTasks}-${scaling.maxTasks} tasks (auto-scaling, starting at ${environment.desiredTaskCount})`;
}

/** The environment's release arithmetic, as the config check computed it and `berth doctor` prints it. */
function capacityLine(environment: EnvironmentConfig): string {
  // a validated config names a type the table knows.
  const type = findInstanceType(environment.instanceType)!;
  const task = { cpu: environment.container.cpu, memoryMiB: environment.container.memoryMiB };
  const perInstance = tasksPerInstance(expectedRoom(type, environment.eniTrunking), task);
  const room = releaseRoom(perInstance, mostTasks(environment).count, environment.maxCapacity);
  return `${describeReleaseRoom(room, type.name)}${environment.eniTrunking ? ' (ENI trunking)' : ''}`;
}
