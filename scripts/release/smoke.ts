import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ManifestSmokeCheck } from '../../infra/manifest';

/** How long one smoke check may take before it counts as failed: a release never waits on a hung request. */
export const SMOKE_CHECK_TIMEOUT_MS = 5000;

/**
 * How the smoke checks connect. The CLI leaves both unset (the system's resolver, Node's CA bundle); tests
 * point the checks at a local HTTPS server with a self-signed certificate. No flag or variable sets them.
 */
export interface SmokeConnection {
  /** resolves the environment's host name. @default - the system's resolver */
  readonly lookup?: LookupFunction;
  /** the CA certificates (PEM) the server's certificate must chain to. @default - Node's bundled CAs */
  readonly ca?: string;
  /** milliseconds one check may take. @default {@link SMOKE_CHECK_TIMEOUT_MS} */
  readonly timeoutMs?: number;
}

/** Where the checks go: the environment's URL, with the test header that selects the new tasks. */
export interface SmokeTarget {
  /** the environment's URL (manifest `url`). */
  readonly url: string;
  /** the header (manifest `testHeader`) the test rule forwards to the new tasks. */
  readonly header: { readonly name: string; readonly value: string };
}

/** What one check found. */
export interface SmokeResult {
  /** the check. */
  readonly check: ManifestSmokeCheck;
  /** whether it passed. */
  readonly passed: boolean;
  /** the status it got, when a response came. */
  readonly status?: number;
  /** what it got, in a few words: the status, or why it failed. */
  readonly got: string;
  /** how long it took. */
  readonly ms: number;
}

/**
 * What a check expects, in a few words: `200`, `200 + body "ok"`, `200 + header x-version`; texts quoted as JSON
 * strings, so a body that must contain `"ok"` reads `body "\"ok\""`, not `body ""ok""`.
 */
export function describeExpectation(check: ManifestSmokeCheck): string {
  return [
    String(check.status),
    ...(check.bodyContains !== undefined ? [`body ${JSON.stringify(check.bodyContains)}`] : []),
    ...(check.header
      ? [`header ${check.header.name}${check.header.value !== undefined ? `: ${JSON.stringify(check.header.value)}` : ''}`]
      : []),
  ].join(' + ');
}

/**
 * One result line: path, expected, got, time, e.g. `ok   /health  expected 200  got 200  35 ms`.
 * @param result a check's result
 */
export function formatSmokeResult(result: SmokeResult): string {
  return `${result.passed ? 'ok  ' : 'FAIL'} ${result.check.path}  expected ${describeExpectation(result.check)}  got ${result.got}  ${result.ms} ms`;
}

/**
 * Runs every check one after another (a release's checks are few, and in order they read like a script).
 * A check that errs or times out fails; no check can make the gate wait longer than its timeout.
 * @param checks the manifest's smoke checks
 * @param target the URL and test header
 * @param connection resolver, CAs and timeout
 */
export async function runSmokeChecks(
  checks: readonly ManifestSmokeCheck[],
  target: SmokeTarget,
  connection: SmokeConnection = {},
): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  for (const check of checks) results.push(await runSmokeCheck(check, target, connection));
  return results;
}

async function runSmokeCheck(check: ManifestSmokeCheck, target: SmokeTarget, connection: SmokeConnection): Promise<SmokeResult> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  try {
    const response = await request(new URL(check.path, target.url), target.header, connection);
    const problems: string[] = [];
    if (response.status !== check.status) problems.push(`status ${response.status}`);
    if (check.bodyContains !== undefined && !response.body.includes(check.bodyContains))
      problems.push(`body without "${check.bodyContains}"`);
    if (check.header) {
      const value = response.headers[check.header.name.toLowerCase()];
      const text = Array.isArray(value) ? value.join(', ') : value;
      if (text === undefined) problems.push(`no header ${check.header.name}`);
      else if (check.header.value !== undefined && !text.includes(check.header.value))
        problems.push(`header ${check.header.name}: "${text}"`);
    }
    const got = problems.length === 0 ? describeExpectation({ ...check, status: response.status }) : problems.join(', ');
    return { check, passed: problems.length === 0, status: response.status, got, ms: ms() };
  } catch (err) {
    return { check, passed: false, got: (err as Error).message.split('\n')[0], ms: ms() };
  }
}

/** At most this much of a body is read: a check looks for a substring, not a download. */
const MAX_BODY_BYTES = 1024 * 1024;

function request(
  url: URL,
  header: SmokeTarget['header'],
  connection: SmokeConnection,
): Promise<{ status: number; headers: NodeJS.Dict<string | string[]>; body: string }> {
  const timeoutMs = connection.timeoutMs ?? SMOKE_CHECK_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'GET',
        headers: { [header.name]: header.value, 'user-agent': 'berth-smoke-check' },
        // a fresh connection per check: a kept-alive one could reach a task the test rule no longer forwards to.
        agent: false,
        ...(connection.lookup ? { lookup: connection.lookup } : {}),
        ...(connection.ca ? { ca: connection.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // the whole exchange, not only the idle time: a server that trickles bytes still ends the check.
    const timer = setTimeout(() => req.destroy(new SmokeTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end();
  });
}

class SmokeTimeout extends Error {}
