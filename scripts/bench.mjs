// `npm run bench`: how fast berth starts (the compiled CLI, as operators run it) and how long
// `berth status live` takes with the SDK answered in-process (scripts/bench/status.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const RUNS = 10;

if (!existsSync('dist/berth.mjs')) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** Median wall time of `node bin/berth.mjs <args>` in a new process, the first (cache-warming) run left out. */
function timeProcess(args) {
  const times = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['bin/berth.mjs', ...args], { encoding: 'utf8' });
    const took = performance.now() - started;
    if (run.status !== 0) {
      console.error(run.stderr);
      process.exit(1);
    }
    if (i > 0) times.push(took);
  }
  times.sort((a, b) => a - b);
  return (times[(RUNS - 1) >> 1] + times[RUNS >> 1]) / 2;
}

console.log(`berth --help start-up (compiled, new process): ${timeProcess(['--help']).toFixed(1)} ms median of ${RUNS} runs`);
console.log(`berth status --help (compiled, loads the command and the SDK): ${timeProcess(['status', '--help']).toFixed(1)} ms median of ${RUNS} runs`);

const status = spawnSync('npx', ['tsx', 'scripts/bench/status.ts'], { stdio: 'inherit' });
process.exit(status.status ?? 1);
