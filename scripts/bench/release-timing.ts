// `npm run bench release-timing`: how long a release takes in each environment of the deployment config
// (the one every berth command reads: --config <file>, else $BERTH_CONFIG, else config/example.json) with its
// settings, next to the same release with AWS's defaults; the arithmetic is infra/release-timing.ts.
import { ENVIRONMENT_NAMES, loadConfig } from '../../infra/config';
import { compareWithAwsDefaults, type ReleaseTiming } from '../../infra/release-timing';
import { configFileOf } from '../cli/settings';

/** `90 s` below two minutes, `12 min 30 s` above. */
function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * The report for one config file.
 * @param configFile the deployment config
 */
export function releaseTimingReport(configFile: string): string {
  const config = loadConfig(configFile);
  const rows: [string, keyof ReleaseTiming][] = [
    ['new target healthy', 'healthySeconds'],
    ['bake', 'bakeSeconds'],
    ['blue drains', 'deregistrationSeconds'],
    ['release, least total', 'totalSeconds'],
  ];
  const lines = [`release timing of ${configFile} (blue/green: green healthy, traffic shifts, bake, blue drains)`];
  for (const name of ENVIRONMENT_NAMES) {
    const environment = config.environments[name];
    const { configured, awsDefaults } = compareWithAwsDefaults(environment);
    const check = environment.healthCheck;
    lines.push(
      `  ${name}: start ${environment.container.healthCheck.startPeriodSeconds} s + ${check.intervalSeconds} s x ${check.healthyThreshold} checks, bake ${environment.bakeMinutes} min, drain ${environment.deregistrationDelaySeconds} s`,
    );
    lines.push(`    ${''.padEnd(22)} ${'berth'.padStart(12)} ${'AWS defaults'.padStart(14)}`);
    for (const [label, key] of rows) {
      lines.push(`    ${label.padEnd(22)} ${duration(configured[key]).padStart(12)} ${duration(awsDefaults[key]).padStart(14)}`);
    }
  }
  lines.push(
    "  AWS defaults: 30 s x 5 checks, no start period, 300 s drain; ECS has no default bake for blue/green (it is required), so both columns keep berth's.",
  );
  return lines.join('\n');
}

/**
 * `--config <file>` from the bench's arguments (`npm run bench release-timing -- --config <file>`).
 * @param argv the arguments after the script
 */
export function configFlag(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--config');
  return at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
}

if (require.main === module) console.log(releaseTimingReport(configFileOf(configFlag(process.argv.slice(2)), process.env)));
