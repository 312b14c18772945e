import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A temporary PATH holding stub executables that record how they were called. */
export interface StubTools {
  /** the directory to use as PATH. */
  readonly bin: string;
  /** the arguments each call of a stub got, one array per call. */
  calls(name: string): string[][];
  /** removes the directory. */
  cleanUp(): void;
}

/**
 * Creates stub executables that append their arguments (one per line, then a blank line) to
 * `<name>.calls` and exit with the given code. Extra shell runs before the exit, e.g. to write a key file.
 * @param stubs tool name to { exit code, extra shell }
 */
export function stubTools(stubs: Record<string, { readonly exitCode?: number; readonly script?: string }>): StubTools {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-stub-'));
  for (const [name, stub] of Object.entries(stubs)) {
    const log = path.join(bin, `${name}.calls`);
    const script = `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> '${log}'; done\nprintf '\\n' >> '${log}'\n${stub.script ?? ''}\nexit ${stub.exitCode ?? 0}\n`;
    fs.writeFileSync(path.join(bin, name), script, { mode: 0o755 });
  }
  return {
    bin,
    calls(name) {
      const log = path.join(bin, `${name}.calls`);
      if (!fs.existsSync(log)) return [];
      return fs
        .readFileSync(log, 'utf8')
        .split('\n\n')
        .filter((c) => c.length > 0)
        .map((c) => c.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === '')));
    },
    cleanUp() {
      fs.rmSync(bin, { recursive: true, force: true });
    },
  };
}
