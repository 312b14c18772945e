/** Where a command writes: stdout for results, stderr for progress and warnings. */
export interface Streams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Writes a command's output. In `--json` mode stdout carries exactly one JSON document and all
 * human text goes to stderr, so `berth status live --json | jq` always works.
 */
export class Output {
  private progressShown = false;

  constructor(
    private readonly streams: Streams,
    /** whether `--json` was given. */
    readonly json: boolean,
  ) {}

  /** A line for the operator: stdout normally, stderr in JSON mode. */
  line(text = ''): void {
    this.endProgress();
    (this.json ? this.streams.stderr : this.streams.stdout).write(`${text}\n`);
  }

  /** A warning, always on stderr. */
  warn(text: string): void {
    this.endProgress();
    this.streams.stderr.write(`warning: ${text}\n`);
  }

  /** A progress line that replaces the previous one on a terminal and is appended elsewhere. */
  progress(text: string): void {
    const stream = this.streams.stderr;
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${text}`);
      this.progressShown = true;
    } else {
      stream.write(`${text}\n`);
    }
  }

  /** The command's result: the JSON document in `--json` mode, else the human text (if any). */
  result(data: unknown, human?: string): void {
    this.endProgress();
    if (this.json) this.streams.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (human !== undefined) this.streams.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
  }

  /** Whether stdout is a terminal (for tables and prompts). */
  get interactive(): boolean {
    return Boolean(this.streams.stdout.isTTY);
  }

  private endProgress(): void {
    if (this.progressShown) {
      this.streams.stderr.write('\n');
      this.progressShown = false;
    }
  }
}

/**
 * Formats rows as an aligned text table.
 * @param header column titles
 * @param rows cells, one array per row
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}
