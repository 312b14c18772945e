// `npm run bench release-timing`: how long a release takes in each environment of the deployment config
// (the one every berth command reads: --config <file>, else $BERTH_CONFIG, else config/example.json) with its
// settings, next to the same release with AWS's defaults; the arithmetic is infra/release-timing.ts.
import { ENVIRONMENT_NAMES, loadConfig } from '../../infra/config';
import { compareWithAwsDefaults, describeTrafficSteps, type ReleaseTiming } from '../../infra/release-timing';
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
  const lines = [`release timing of ${configFile} (green healthy, the smoke-test gate, production traffic shifts, bake, blue drains)`];
  for (const name of ENVIRONMENT_NAMES) {
    const environment = config.environments[name];
    const { configured, awsDefaults } = compareWithAwsDefaults(environment);
    const check = environment.healthCheck;
    const { strategy, smoke, approve } = environment.release;
    const gated = configured.pauseSeconds > 0;
    // the stages a release of this environment has, in ECS's order; the gate and the steps only where configured.
    const rows: [string, keyof ReleaseTiming][] = [
      ['new target healthy', 'healthySeconds'],
      ...(gated ? [['gate pause, at most', 'pauseSeconds'] as [string, keyof ReleaseTiming]] : []),
      ...(strategy.type === 'blue-green' ? [] : [[`${strategy.type} steps`, 'trafficShiftSeconds'] as [string, keyof ReleaseTiming]]),
      ['bake', 'bakeSeconds'],
      ['blue drains', 'deregistrationSeconds'],
      [gated ? 'least total, no pause' : 'release, least total', 'totalSeconds'],
      ...(gated ? [['total, longest pause', 'withPauseSeconds'] as [string, keyof ReleaseTiming]] : []),
    ];
    const waits = [
      ...(smoke.length > 0 ? [`${smoke.length} smoke check${smoke.length === 1 ? '' : 's'}`] : []),
      ...(approve ? ['a person approves'] : []),
    ];
    const gate = gated ? `gate: ${waits.join(', ')}; ECS rolls back after ${environment.release.pauseTimeoutMinutes} min` : 'no gate';
    lines.push(
      `  ${name}: ${describeTrafficSteps(strategy)}; ${gate}`,
      `    start ${environment.container.healthCheck.startPeriodSeconds} s + ${check.intervalSeconds} s x ${check.healthyThreshold} checks, bake ${environment.bakeMinutes} min, drain ${environment.deregistrationDelaySeconds} s`,
      `    ${''.padEnd(22)} ${'berth'.padStart(12)} ${'AWS defaults'.padStart(14)}`,
    );
    for (const [label, key] of rows) {
      lines.push(`    ${label.padEnd(22)} ${duration(configured[key]).padStart(12)} ${duration(awsDefaults[key]).padStart(14)}`);
    }
  }
  lines.push(
    "  AWS defaults: 30 s x 5 checks, no start period, 300 s drain; ECS has no default bake for blue/green (it is required), so both columns keep berth's bake, strategy and gate.",
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
