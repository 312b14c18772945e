// `npm run bench release-timing`: how long a release takes in each environment of config/example.json
// with its settings, next to the same release with AWS's defaults; the arithmetic is infra/release-timing.ts.
import { ENVIRONMENT_NAMES, loadConfig } from '../../infra/config';
import { compareWithAwsDefaults, type ReleaseTiming } from '../../infra/release-timing';

const CONFIG_FILE = 'config/example.json';

/** `90 s` below two minutes, `12 min 30 s` above. */
function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

const config = loadConfig(CONFIG_FILE);
const rows: [string, keyof ReleaseTiming][] = [
  ['new target healthy', 'healthySeconds'],
  ['bake', 'bakeSeconds'],
  ['blue drains', 'deregistrationSeconds'],
  ['release, least total', 'totalSeconds'],
];
console.log(`release timing of ${CONFIG_FILE} (blue/green: green healthy, traffic shifts, bake, blue drains)`);
for (const name of ENVIRONMENT_NAMES) {
  const environment = config.environments[name];
  const { configured, awsDefaults } = compareWithAwsDefaults(environment);
  const check = environment.healthCheck;
  console.log(
    `  ${name}: start ${environment.container.healthCheck.startPeriodSeconds} s + ${check.intervalSeconds} s x ${check.healthyThreshold} checks, bake ${environment.bakeMinutes} min, drain ${environment.deregistrationDelaySeconds} s`,
  );
  console.log(`    ${''.padEnd(22)} ${'berth'.padStart(12)} ${'AWS defaults'.padStart(14)}`);
  for (const [label, key] of rows) {
    console.log(`    ${label.padEnd(22)} ${duration(configured[key]).padStart(12)} ${duration(awsDefaults[key]).padStart(14)}`);
  }
}
console.log(
  "  AWS defaults: 30 s x 5 checks, no start period, 300 s drain; ECS has no default bake for blue/green (it is required), so both columns keep berth's.",
);
