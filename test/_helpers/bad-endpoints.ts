import * as http from 'node:http';
import * as net from 'node:net';

/** A local endpoint that fails the way networks do, and how many connections it took. */
export interface BadEndpoint {
  /** the URL to put in AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE>. */
  readonly url: string;
  /** connections it accepted so far. */
  connections(): number;
  /** stops it. */
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Accepts connections and never answers: a stalled proxy or a half-open VPN. */
export async function stalledEndpoint(): Promise<BadEndpoint> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => sockets.length,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers every request with a web page, as a proxy or a captive portal does. */
export async function htmlEndpoint(status: number): Promise<BadEndpoint> {
  let connections = 0;
  const server = http.createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<html><body><h1>Sign in to the guest network</h1></body></html>');
  });
  server.on('connection', () => (connections += 1));
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound, then closed again, so a connection is refused. */
export async function refusedEndpoint(): Promise<BadEndpoint> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}`, connections: () => 0, close: async () => undefined };
}
