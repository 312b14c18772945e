/**
 * The checks of a config that its JSON Schema cannot express (they compare fields with each other or do
 * arithmetic), in the same one-line style. test/infra/config-schema.test.ts lists them as
 * validator-only. Nothing in this file may import aws-cdk-lib.
 */
import {
  architectureProblem,
  databaseClassProblem,
  eniTrunkingProblem,
  releaseRoomProblem,
  taskFitProblem,
  unknownInstanceTypeProblem,
} from '../capacity-checks';
import { ENVIRONMENT_NAMES } from '../environments';
import { findInstanceType } from '../facts/instance-types';
import { type ConfigRule, environmentRule } from './check';
import { subnetProblem } from './network';
import { mostTasks } from './resolve';
import { RELEASE_RULES } from './release-rules';
import { SCALING_RULES } from './scaling-rules';

/** Longest domain name an ACM certificate's subject takes. */
export const MAX_CERTIFICATE_DOMAIN_LENGTH = 64;

/** Flags a health check whose timeout does not end before the next probe; the target group's and the container's share this rule. */
const timeoutUnderInterval = (section: string): ConfigRule[] =>
  environmentRule({
    reads: [`${section}.timeoutSeconds`, `${section}.intervalSeconds`],
    check: (environment, { report }) => {
      const check = section === 'healthCheck' ? environment.healthCheck : environment.container.healthCheck;
      if (check.timeoutSeconds >= check.intervalSeconds) {
        report(
          `${section}.timeoutSeconds`,
          `${check.timeoutSeconds} is not less than intervalSeconds ${check.intervalSeconds}; allowed: a timeout shorter than the interval`,
        );
      }
    },
  });

/** Every validator-only rule that needs no aws-cdk-lib. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    reads: ['region', 'vpc.availabilityZones'],
    check: ({ region, vpc }, { report }) => {
      const wrongRegion = vpc.availabilityZones.filter((zone) => !zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length)));
      if (wrongRegion.length > 0) {
        report(
          'vpc.availabilityZones',
          `${wrongRegion.join(', ')} not in region ${region}; allowed are zones of ${region} such as ${region}a`,
        );
      }
    },
  },
  {
    reads: ['vpc.natGateways', 'vpc.availabilityZones'],
    check: ({ vpc }, { report }) => {
      if (vpc.kind === 'new' && vpc.natGateways > vpc.availabilityZones.length) {
        report(
          'vpc.natGateways',
          `${vpc.natGateways} is not valid; allowed: a whole number from 0 to ${vpc.availabilityZones.length} (one per zone at most)`,
        );
      }
    },
  },
  ...(['publicSubnetIds', 'privateSubnetIds'] as const).map((key): ConfigRule => ({
    reads: [`vpc.${key}`, 'vpc.availabilityZones'],
    check: ({ vpc }, { report }) => {
      if (vpc.kind !== 'imported') return;
      const ids = vpc[key];
      if (ids.length > 0 && ids.length !== vpc.availabilityZones.length) {
        report(
          `vpc.${key}`,
          `${ids.length} subnets for ${vpc.availabilityZones.length} availability zones; give one subnet per zone, in the zones' order`,
        );
      }
    },
  })),
  {
    reads: [
      'vpc',
      ...ENVIRONMENT_NAMES.flatMap((name) =>
        ['maxCapacity', 'desiredTaskCount', 'autoScaling.maxTasks', 'database'].map((f) => `environments.${name}.${f}`),
      ),
    ],
    check: (config, { report }) => {
      if (config.vpc.kind !== 'new') return;
      const problem = subnetProblem(config, config.vpc);
      if (problem) report('vpc.cidr', problem);
    },
  },
  ...environmentRule({
    reads: ['minCapacity', 'maxCapacity'],
    check: ({ minCapacity, maxCapacity }, { report }) => {
      if (minCapacity > maxCapacity) {
        report('minCapacity', `${minCapacity} is greater than maxCapacity ${maxCapacity}; allowed: minCapacity <= maxCapacity`);
      }
    },
  }),
  ...environmentRule({
    reads: ['desiredCapacity', 'minCapacity', 'maxCapacity'],
    check: ({ desiredCapacity, minCapacity, maxCapacity }, { report }) => {
      if (desiredCapacity !== undefined && (desiredCapacity < minCapacity || desiredCapacity > maxCapacity)) {
        report('desiredCapacity', `${desiredCapacity} is outside minCapacity..maxCapacity (${minCapacity}..${maxCapacity})`);
      }
    },
  }),
  ...SCALING_RULES,
  ...RELEASE_RULES,
  ...timeoutUnderInterval('healthCheck'),
  ...timeoutUnderInterval('container.healthCheck'),
  ...environmentRule({
    reads: ['container.environment', 'container.secrets'],
    check: ({ container }, { report }) => {
      const both = Object.keys(container.environment).filter((key) => key in container.secrets);
      if (both.length > 0) {
        report('container.secrets', `${both.join(', ')} also set in environment; allowed: each variable in one of environment or secrets`);
      }
    },
  }),
  // the instance type and database class tables (infra/facts), and the capacity arithmetic on them.
  ...environmentRule({
    reads: ['instanceType'],
    check: ({ instanceType }, { path, reportLine }) =>
      reportLine(unknownInstanceTypeProblem(`${path}.instanceType`, instanceType, findInstanceType(instanceType))),
  }),
  ...environmentRule({
    reads: ['instanceType', 'architecture'],
    check: ({ instanceType, architecture }, { path, reportLine }) => {
      const type = findInstanceType(instanceType);
      if (type) reportLine(architectureProblem(`${path}.architecture`, type, architecture));
    },
  }),
  ...environmentRule({
    reads: ['instanceType', 'eniTrunking'],
    check: ({ instanceType, eniTrunking }, { path, reportLine }) => {
      const type = findInstanceType(instanceType);
      if (type) reportLine(eniTrunkingProblem(`${path}.eniTrunking`, type, eniTrunking));
    },
  }),
  ...environmentRule({
    // capacity arithmetic only on valid numbers: a bad one is its own problem, not a cascade of others.
    reads: [
      'instanceType',
      'eniTrunking',
      'container.cpu',
      'container.memoryMiB',
      'maxCapacity',
      'desiredTaskCount',
      'autoScaling.maxTasks',
    ],
    check: (environment, { path, reportLine }) => {
      const { instanceType, eniTrunking, container, maxCapacity } = environment;
      const type = findInstanceType(instanceType);
      if (!type) return;
      const task = { cpu: container.cpu, memoryMiB: container.memoryMiB };
      const fit = taskFitProblem(path, type, task, eniTrunking);
      reportLine(fit);
      // with auto-scaling, a release may start at maxTasks: green starts as many next to blue.
      if (fit === undefined) reportLine(releaseRoomProblem(path, type, { task, tasks: mostTasks(environment), maxCapacity, eniTrunking }));
    },
  }),
  ...environmentRule({
    // a disabled block is checked too, as the schema checks it; a bad engine is read as the default, mysql.
    reads: ['database.instanceType'],
    check: (_environment, { path, read, reportLine }) => {
      if (read.database)
        reportLine(databaseClassProblem(`${path}.database.instanceType`, read.database.instanceType, read.database.engine));
    },
  }),
  {
    reads: ['environments.pre.subdomain', 'environments.live.subdomain'],
    check: ({ environments }, { report }) => {
      if (environments.pre.subdomain === environments.live.subdomain) {
        report('environments.live.subdomain', `"${environments.live.subdomain}" is also pre's subdomain; each environment needs its own`);
      }
    },
  },
  ...environmentRule({
    reads: ['subdomain'],
    readsConfig: ['domain.name'],
    check: ({ subdomain }, { config, report }) => {
      const fqdn = `${subdomain}.${config.domain.name}`;
      if (fqdn.length > MAX_CERTIFICATE_DOMAIN_LENGTH) {
        report(
          'subdomain',
          `${fqdn} has ${fqdn.length} characters; allowed: at most ${MAX_CERTIFICATE_DOMAIN_LENGTH} with the domain, the longest name an ACM certificate takes`,
        );
      }
    },
  }),
];
