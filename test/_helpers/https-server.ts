import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A request the local server answered. */
export interface SeenRequest {
  readonly path: string;
  readonly headers: NodeJS.Dict<string | string[]>;
}

/** What the server answers for a path: status, body and headers; `hang` never answers. */
export interface Route {
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly hang?: boolean;
}

/** A local HTTPS server on 127.0.0.1 with a self-signed certificate for one host name. */
export interface LocalHttpsServer {
  /** the port it listens on. */
  readonly port: number;
  /** the PEM of its certificate, which is its own CA. */
  readonly ca: string;
  /** a resolver that answers 127.0.0.1 for every name, so nothing leaves the machine. */
  readonly lookup: LookupFunction;
  /** what it answers, by path; tests replace it. Unknown paths get 404. */
  routes: Record<string, Route>;
  /** what it was asked. */
  readonly requests: SeenRequest[];
  /** called on every request before it is answered, e.g. to press Ctrl-C during the checks. */
  onRequest?: () => void;
  close(): Promise<void>;
}

/**
 * Starts a {@link LocalHttpsServer}. The key and a one-day certificate are made with openssl at test time,
 * so no key is committed.
 * @param hostName the name the certificate is for, e.g. `be.example.com`
 */
export async function startHttpsServer(hostName: string): Promise<LocalHttpsServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      `/CN=${hostName}`,
      '-addext',
      `subjectAltName=DNS:${hostName}`,
    ],
    { stdio: 'ignore' },
  );
  const state: { routes: Record<string, Route>; requests: SeenRequest[]; onRequest?: () => void } = { routes: {}, requests: [] };
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    state.requests.push({ path: req.url ?? '', headers: req.headers });
    state.onRequest?.();
    const route = state.routes[req.url ?? ''] ?? { status: 404, body: 'not found' };
    if (route.hang) return;
    res.writeHead(route.status ?? 200, route.headers ?? {});
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const lookup = ((_hostname: string, options: unknown, callback?: unknown) => {
    const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
  }) as LookupFunction;
  return {
    port,
    ca: fs.readFileSync(cert, 'utf8'),
    lookup,
    get routes() {
      return state.routes;
    },
    set routes(value: Record<string, Route>) {
      state.routes = value;
    },
    requests: state.requests,
    get onRequest() {
      return state.onRequest;
    },
    set onRequest(value: (() => void) | undefined) {
      state.onRequest = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
