import { ACMClient } from '@aws-sdk/client-acm';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { type EnvironmentInstances, listEnvironmentInstances } from '../aws/environment-instances';
import { readService, type ServiceState } from '../aws/service';
import { readTaskDefinition } from '../aws/task-definition';
import { readScalableTarget } from '../aws/scalable-target';
import {
  checkAutoScalingGroup,
  checkCapacityProvider,
  checkContainerInstances,
  checkInstanceImages,
  checkReleaseCapacity,
  type TaskNeed,
  taskNeed,
} from '../checks/capacity';
import { checkAliasRecords, checkCertificate, checkPublicDns, type ResolveAddresses, resolveWithNodeDns } from '../checks/dns';
import { checkHttpsListener, checkLoadBalancer, checkProductionRule, checkTraffic } from '../checks/load-balancer';
import { checkTaskScaling } from '../checks/scaling';
import { checkDeployment, checkServiceState } from '../checks/service';
import { checkTargetHealth } from '../checks/target-health';
import { checkTasks } from '../checks/tasks';
import { openEnvironment } from '../cli/environment';
import { BerthError, endsEveryCheck, UnreachableError } from '../core/errors';
import { type Finding, findingsExitCode, formatFindings, safely, worstStatus } from '../checks/findings';
import { chooseResolvers } from '../checks/resolvers';
import { bindCommand, type Command } from '../cli/command';
import { DOCTOR } from './definitions';

/** What doctor can be built with; tests inject a resolver that never touches the network, and a clock. */
export interface DoctorDependencies {
  /** asks one DNS server for a name's IPv4 addresses. */
  readonly resolve: ResolveAddresses;
  /** the clock, for certificate expiry and how recent events are. */
  readonly now: () => Date;
}

/** Reads something a later link needs; a read that fails becomes a finding instead of ending the walk. */
async function attempt<T>(link: string, read: () => Promise<T>): Promise<{ value?: T; findings: Finding[] }> {
  try {
    return { value: await read(), findings: [] };
  } catch (err) {
    if (endsEveryCheck(err)) throw err;
    const message = (err as Error).message.split('\n')[0];
    // a refusal from a reader (the service or group in the manifest is gone) is a broken link, not a blind spot.
    const status = err instanceof BerthError && !(err instanceof UnreachableError) ? 'fail' : 'warn';
    return {
      findings: [
        {
          link,
          status,
          summary: status === 'fail' ? message : `could not check: ${message}`,
          fix: 'fix the cause above and run doctor again',
        },
      ],
    };
  }
}

/**
 * Builds `berth doctor` with its resolver and clock.
 * @param dependencies resolver and clock
 */
export function createDoctorCommand(dependencies: DoctorDependencies): Command {
  return bindCommand(DOCTOR, async (args, context, output) => {
    const choice = chooseResolvers(args.values, context.env);
    const { environment, manifest, ssm, clients } = await openEnvironment(args.environment, args.values, context.env);
    const route53 = clients.get(Route53Client);
    const acm = clients.get(ACMClient);
    const elbv2 = clients.get(ElasticLoadBalancingV2Client);
    const ecs = clients.get(ECSClient);
    const autoScaling = clients.get(AutoScalingClient);
    const ec2 = clients.get(EC2Client);
    const now = dependencies.now();
    output.progress(`checking ${manifest.domainName} (${environment}) link by link…`);

    // the links are independent reads: run them together, report them in the order a request takes.
    const [front, ruleAndTargets, serviceRead, tasks, instancesRead, capacityProvider] = await Promise.all([
      Promise.all([
        safely('DNS alias', () => checkAliasRecords(route53, manifest)),
        checkPublicDns(choice, dependencies.resolve, manifest),
        safely('load balancer', () => checkLoadBalancer(elbv2, manifest)),
        safely('HTTPS listener', () => checkHttpsListener(elbv2, manifest)),
        safely('certificate', () => checkCertificate(acm, manifest, now)),
      ]).then((all) => all.flat()),
      (async () => {
        const rule = await attempt('listener rule', () => checkProductionRule(elbv2, manifest));
        const serving = rule.value?.serving ?? Object.keys(manifest.targetGroups);
        const [health, traffic] = await Promise.all([
          safely('target health', () => checkTargetHealth(elbv2, manifest, serving)),
          safely('traffic', () => checkTraffic(elbv2, manifest)),
        ]);
        return [...(rule.value ? [rule.value.finding] : rule.findings), ...health, ...traffic];
      })(),
      attempt<ServiceState>('service', () => readService(ecs, manifest)),
      safely('tasks', () => checkTasks(ecs, manifest)),
      attempt<EnvironmentInstances>('container instances', () => listEnvironmentInstances({ autoScaling, ec2, ecs, ssm }, manifest)),
      safely('capacity provider', () => checkCapacityProvider(ecs, manifest)),
    ]);

    const service: Finding[] = [...serviceRead.findings];
    let need: TaskNeed | undefined;
    let maxTasks: number | undefined;
    if (serviceRead.value) {
      const state = serviceRead.value;
      service.push(checkServiceState(state, manifest, now));
      service.push(...(await safely('deployment', () => checkDeployment(ecs, state, manifest))));
      const target = readScalableTarget(clients.get(ApplicationAutoScalingClient), manifest);
      service.push(
        ...(await safely('task scaling', () => checkTaskScaling(clients.get(ApplicationAutoScalingClient), manifest, state, now, target))),
      );
      // a release of a service scaled out to maxTasks needs room for twice that; unread, the count alone is checked.
      maxTasks = (await target.catch(() => undefined))?.maxCapacity;
      // without the task's size the room check is skipped, not failed.
      need = await readTaskDefinition(ecs, state.taskDefinition).then(
        (t) => taskNeed(t.taskDefinition),
        () => undefined,
      );
    }
    const capacity: Finding[] = [...instancesRead.findings];
    if (instancesRead.value) {
      const listing = instancesRead.value;
      capacity.push(checkContainerInstances(listing, manifest, need));
      const release =
        need && serviceRead.value
          ? checkReleaseCapacity(listing, manifest, need, {
              desiredCount: serviceRead.value.desiredCount,
              ...(maxTasks === undefined ? {} : { maxTasks }),
            })
          : undefined;
      if (release) capacity.push(release);
      capacity.push(...(await safely('Auto Scaling group', () => checkAutoScalingGroup(autoScaling, listing, manifest, now))));
    }
    capacity.push(...capacityProvider);
    if (instancesRead.value) capacity.push(checkInstanceImages(instancesRead.value, manifest));

    const findings = [...front, ...ruleAndTargets, ...service, ...tasks, ...capacity];
    output.result(
      { environment, url: manifest.url, status: worstStatus(findings), findings },
      `berth doctor ${environment}: ${manifest.url}\n\n${formatFindings(findings)}`,
    );
    return findingsExitCode(findings);
  });
}

/** `berth doctor <env>`. */
export const doctor: Command = createDoctorCommand({ resolve: resolveWithNodeDns, now: () => new Date() });
