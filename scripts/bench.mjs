// `npm run bench`: the figures that tell whether berth stays fast on a 2-core machine.
// A benchmark, not a test: it prints numbers and fails only when a measured command fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const offline = { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', CI: 'true' };

/**
 * The CPU seconds this process's waited-for children have used (Linux: /proc/self/stat's cutime and cstime, in
 * clock ticks of 1/100 s), or undefined elsewhere. It tells a slow machine from a slow suite: the wall time of the
 * same work varies by a third from one run to the next on the shared 2-core machines, its CPU time much less.
 */
function childCpuSeconds() {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // after the command's name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Runs a command `runs` times and returns the median wall time in milliseconds. */
function time(label, command, args, runs) {
  const samples = [];
  const cpuBefore = childCpuSeconds();
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { env: offline, encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) {
      process.stderr.write(`${label} failed (exit ${result.status}):\n${result.stdout}${result.stderr}\n`);
      process.exit(1);
    }
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const unit = median >= 1000 ? `${(median / 1000).toFixed(2)} s` : `${median.toFixed(1)} ms`;
  const cpuAfter = childCpuSeconds();
  const cpu = cpuBefore === undefined ? '' : `, ${((cpuAfter - cpuBefore) / runs).toFixed(1)} s of CPU each`;
  console.log(`${label.padEnd(52)} ${unit.padStart(10)}  (median of ${runs}${cpu})`);
  return median;
}

const only = process.argv[2];
const want = (name) => !only || only === name;

if (want('cli')) {
  if (spawnSync('node', ['scripts/build.mjs']).status !== 0) process.exit(1);
  time('berth --help (CLI start-up, compiled)', 'node', ['bin/berth.mjs', '--help'], 15);
  time('berth status --help (from its definition: no SDK)', 'node', ['bin/berth.mjs', 'status', '--help'], 15);
}
if (want('synth')) {
  time('cdk synth, all stacks of config/example.json', bin('cdk'), ['synth', '-q'], 3);
}
for (const file of readdirSync('scripts/bench')
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  if (!want(file.replace(/\.ts$/, ''))) continue;
  // what follows the name goes to the bench, e.g. npm run bench release-timing -- --config config/acme.json
  const result = spawnSync(bin('tsx'), [join('scripts/bench', file), ...process.argv.slice(3)], { env: offline, encoding: 'utf8' });
  process.stdout.write(result.stdout);
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    process.exit(1);
  }
}
if (want('tests')) {
  time('test suite (jest, 2 workers, no lint)', bin('jest'), ['--silent'], 1);
}
