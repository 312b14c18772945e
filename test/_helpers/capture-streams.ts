import { PassThrough } from 'node:stream';

/** Fake stdout and stderr that keep everything written to them. */
export interface CapturedStreams {
  /** the fake stdout to hand to the command. */
  readonly stdout: PassThrough;
  /** the fake stderr to hand to the command. */
  readonly stderr: PassThrough;
  /** what was written to stdout so far. */
  readonly out: string;
  /** what was written to stderr so far. */
  readonly err: string;
}

/** Creates a fake stdout and stderr; runBerth and runCommand both read a command's output through them. */
export function captureStreams(): CapturedStreams {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    stdout,
    stderr,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
