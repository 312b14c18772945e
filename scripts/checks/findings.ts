import { endsEveryCheck, EXIT, type ExitCode } from '../core/errors';

/** How a checked link stands; `skip` is a link the operator chose not to check. */
export type FindingStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** What `berth doctor` and `berth dns` found about one link of the chain. */
export interface Finding {
  /** the link, in the operator's words, e.g. `DNS alias`. */
  readonly link: string;
  /** ok, warn or fail. */
  readonly status: FindingStatus;
  /** one line: what was found. */
  readonly summary: string;
  /** the evidence: AWS's reasons, events, ids. */
  readonly details?: readonly string[];
  /** what to do about it; only for warn and fail. */
  readonly fix?: string;
}

const RANK: Record<FindingStatus, number> = { skip: 0, ok: 0, warn: 1, fail: 2 };

/**
 * The worst status among findings.
 * @param findings the findings
 */
export function worstStatus(findings: readonly Finding[]): FindingStatus {
  return findings.reduce<FindingStatus>((worst, f) => (RANK[f.status] > RANK[worst] ? f.status : worst), 'ok');
}

/**
 * The exit code for a set of findings: 0 all ok, 6 warnings only, 4 anything failing.
 * @param findings the findings
 */
export function findingsExitCode(findings: readonly Finding[]): ExitCode {
  const worst = worstStatus(findings);
  return worst === 'fail' ? EXIT.FAILED : worst === 'warn' ? EXIT.WARNINGS : EXIT.OK;
}

const LABEL: Record<FindingStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/**
 * Formats findings as the lines an operator reads top to bottom: status, link, summary, then the
 * evidence and the fix indented under it.
 * @param findings the findings, in chain order
 */
export function formatFindings(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.link.length));
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`${LABEL[finding.status]}  ${finding.link.padEnd(width)}  ${finding.summary}`);
    const indent = ' '.repeat(width + 8);
    for (const detail of finding.details ?? []) lines.push(`${indent}${detail}`);
    if (finding.fix && (finding.status === 'warn' || finding.status === 'fail')) lines.push(`${indent}fix: ${finding.fix}`);
  }
  const failing = findings.filter((f) => f.status === 'fail').length;
  const warnings = findings.filter((f) => f.status === 'warn').length;
  lines.push('');
  lines.push(
    failing > 0
      ? `${failing} failing, ${warnings} warning(s): start with the first FAIL above.`
      : warnings > 0
        ? `no failures, ${warnings} warning(s).`
        : 'every link is ok.',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Runs one check and turns an error it throws into a finding, so one link that cannot be read (a
 * denied permission, say) does not hide the rest of the chain.
 * @param link the link's name
 * @param check the check
 * @param rerun the command to run again once the cause is fixed, for the fix line
 */
export async function safely(link: string, check: () => Promise<Finding | Finding[]>, rerun = 'doctor'): Promise<Finding[]> {
  try {
    const result = await check();
    return Array.isArray(result) ? result : [result];
  } catch (err) {
    // without credentials or a network every link would say the same: stop with the one line instead.
    if (endsEveryCheck(err)) throw err;
    const message = (err as Error).message.split('\n')[0];
    return [{ link, status: 'warn', summary: `could not check: ${message}`, fix: `fix the cause above and run ${rerun} again` }];
  }
}
