// Times `berth status live` through main() with every AWS SDK call answered in-process by
// aws-sdk-client-mock, so the figure is berth's own cost (argument parsing, config, manifest validation,
// SDK command building, formatting) without the network. Run with `npx tsx scripts/bench/status.ts`.
import { PassThrough, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { setUpWorld, writeConfig } from '../../test/_helpers/release-world';
import { main } from '../main';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const RUNS = 20;

async function runOnce(config: string): Promise<number> {
  let out = '';
  const stdout = new Writable({ write: (chunk: Buffer, _encoding, done) => ((out += chunk.toString()), done()) });
  const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
  const started = performance.now();
  const code = await main({
    argv: ['status', 'live'],
    streams: { stdout, stderr },
    env: { BERTH_CONFIG: config },
    stdin: new PassThrough(),
    signal: new AbortController().signal,
  });
  const took = performance.now() - started;
  if (code !== 0 || !out.includes('revision')) throw new Error(`berth status live failed in the bench (exit ${code}): ${out}`);
  return took;
}

async function bench(): Promise<void> {
  setUpWorld({ environment: 'live' });
  const config = writeConfig(false);
  // the first run loads the command and the SDK; report it apart from the steady state.
  const first = await runOnce(config);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await runOnce(config));
  times.sort((a, b) => a - b);
  const median = (times[(RUNS - 1) >> 1] + times[RUNS >> 1]) / 2;
  console.log(
    `berth status live (SDK answered in-process): ${median.toFixed(1)} ms median of ${RUNS} runs (first run, loading the command: ${first.toFixed(1)} ms)`,
  );
}

bench().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
