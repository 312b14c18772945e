/**
 * The config checks that need aws-cdk-lib's facts (regions and partitions, database versions) or the
 * zone table. They run at synth only: the CLI does not load aws-cdk-lib, so that it
 * starts fast.
 */
import * as rds from 'aws-cdk-lib/aws-rds';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import zoneTable from './availability-zones.json';
import { type ConfigRule, environmentRule } from './check';
import type { DatabaseEngine, DatabaseEngineVersion } from './resolve';
import { majorVersionOf } from './resolve';
import { DATABASE_DEFAULT_VERSIONS, DATABASE_MAJOR_VERSIONS } from './schema';
import { closest } from './schema-kit';

/**
 * Every version of an engine that berth accepts: the majors on their own (RDS then applies minor upgrades
 * itself) and each full version of those majors that aws-cdk-lib's `MysqlEngineVersion` /
 * `PostgresEngineVersion` lists.
 * @param engine mysql or postgres
 */
export function databaseEngineVersions(engine: DatabaseEngine): DatabaseEngineVersion[] {
  const majors = DATABASE_MAJOR_VERSIONS[engine];
  const known =
    engine === 'mysql'
      ? Object.values(rds.MysqlEngineVersion)
          .filter((v): v is rds.MysqlEngineVersion => v instanceof rds.MysqlEngineVersion)
          .map((v) => ({ full: v.mysqlFullVersion, major: v.mysqlMajorVersion }))
      : Object.values(rds.PostgresEngineVersion)
          .filter((v): v is rds.PostgresEngineVersion => v instanceof rds.PostgresEngineVersion)
          .map((v) => ({ full: v.postgresFullVersion, major: v.postgresMajorVersion }));
  return [...majors.map((major) => ({ full: major, major })), ...known.filter((v) => majors.includes(v.major) && v.full !== v.major)];
}

const zones = zoneTable as {
  readonly source: { readonly date: string };
  readonly regions: Record<string, { zones: string[]; zoneIds: string[] }>;
};

/**
 * The zone names a region can have, or undefined when the table does not list the region. In the oldest
 * regions AWS maps zone letters to zones independently for each account, so one account's letters are
 * not another's ("AZ IDs", AWS Regions and Availability Zones guide); a letter up to the region's number
 * of zone ids (or the highest letter listed) is accepted.
 * @param region a region name
 */
export function zonesOf(region: string): string[] | undefined {
  const entry = zones.regions[region];
  if (!entry) return undefined;
  const highestId = Math.max(...entry.zoneIds.map((id) => Number(/-az(\d+)$/.exec(id)?.[1] ?? 0)));
  const highestLetter = Math.max(...entry.zones.map((zone) => zone.charCodeAt(zone.length - 1) - 96));
  return Array.from({ length: Math.max(highestId, highestLetter) }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** The partition of an ARN (`arn:aws-cn:…` → `aws-cn`). */
const partitionOf = (arn: string) => arn.split(':')[1];

/** The config rules that need aws-cdk-lib or the zone table. */
export const AWS_RULES: readonly ConfigRule[] = [
  {
    reads: ['region'],
    check: ({ region }, { report }) => {
      const known = RegionInfo.regions.map((r) => r.name);
      if (known.includes(region)) return;
      const guess = closest(region, known);
      const partition = RegionInfo.get(guess ?? 'us-east-1').partition ?? 'aws';
      const regions = RegionInfo.regions.filter((r) => r.partition === partition).map((r) => r.name);
      report(
        'region',
        `"${region}" is not a region aws-cdk-lib knows; allowed: a region of partition ${partition}: ${regions.join(', ')}${guess ? `; did you mean ${guess}?` : ''}`,
      );
    },
  },
  {
    reads: ['region', 'vpc.availabilityZones'],
    check: ({ region, vpc }, { report }) => {
      const allowed = zonesOf(region);
      if (!allowed) return;
      const unknown = vpc.availabilityZones.filter((zone) => zone.startsWith(region) && !allowed.includes(zone));
      if (unknown.length > 0) {
        report(
          'vpc.availabilityZones',
          `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a zone' : 'are not zones'} of ${region}; allowed: ${allowed.join(', ')} (EC2's zones on ${zones.source.date}, infra/config/availability-zones.json)`,
        );
      }
    },
  },
  {
    reads: ['region', 'github.oidcProviderArn', 'environments.pre.container.secrets', 'environments.live.container.secrets'],
    check: (config, { report }) => {
      const partition = RegionInfo.get(config.region).partition;
      if (partition === undefined) return;
      const arns: [string, string][] = [
        ...(config.github?.oidcProviderArn ? [['github.oidcProviderArn', config.github.oidcProviderArn] as [string, string]] : []),
        ...Object.values(config.environments).flatMap((e) =>
          Object.entries(e.container.secrets).map(([name, arn]): [string, string] => [
            `environments.${e.name}.container.secrets.${name}`,
            arn,
          ]),
        ),
      ];
      for (const [path, arn] of arns) {
        if (partitionOf(arn) !== partition) {
          report(
            path,
            `"${arn}" is in partition ${partitionOf(arn)}, and region ${config.region} in ${partition}; allowed: an ARN that starts with arn:${partition}:`,
          );
        }
      }
    },
  },
  ...environmentRule({
    reads: ['database.engine', 'database.engineVersion'],
    check: (_environment, { read, report }) => {
      const database = read.database;
      if (!database) return;
      const version = database.engineVersion ?? DATABASE_DEFAULT_VERSIONS[database.engine];
      const versions = databaseEngineVersions(database.engine);
      if (majorVersionOf(database.engine, version) !== undefined && versions.some((v) => v.full === version)) return;
      report(
        'database.engineVersion',
        `"${version}" is not a ${database.engine} version berth knows; allowed for ${database.engine}: a major version (${DATABASE_MAJOR_VERSIONS[database.engine].join(', ')}) or a full version of one, such as ${versions[versions.length - 1].full}`,
      );
    },
  }),
];
