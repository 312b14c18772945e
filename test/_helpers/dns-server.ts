import * as dgram from 'node:dgram';

/** A tiny DNS server on 127.0.0.1 for the resolver tests: A records from a table, NXDOMAIN for the rest. */
export interface LocalDnsServer {
  /** `127.0.0.1:<port>`, as `--resolver Name=ip:port` takes it. */
  readonly address: string;
  /** the names it was asked for, in order. */
  readonly questions: string[];
  /** stops it. */
  close(): Promise<void>;
}

/** Reads the question's name (labels from byte 12 on) and where the question ends. */
function readQuestion(query: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (query[at] !== 0) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]).toString('ascii'));
    at += query[at] + 1;
  }
  // the name's terminating zero, then type and class.
  return { name: labels.join('.').toLowerCase(), end: at + 5 };
}

/**
 * Starts a server that answers A questions (RFC 1035 wire format) for the names in `records`.
 * @param records name to IPv4 addresses
 */
export async function startDnsServer(records: Readonly<Record<string, readonly string[]>>): Promise<LocalDnsServer> {
  const socket = dgram.createSocket('udp4');
  const questions: string[] = [];
  socket.on('message', (query, peer) => {
    const { name, end } = readQuestion(query);
    questions.push(name);
    const addresses = records[name] ?? [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the id
    header.writeUInt16BE(addresses.length > 0 ? 0x8180 : 0x8183, 2); // a response, recursion available; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4); // one question
    header.writeUInt16BE(addresses.length, 6);
    const answers = addresses.map((ip) => {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0); // a pointer to the question's name
      answer.writeUInt16BE(1, 2); // A
      answer.writeUInt16BE(1, 4); // IN
      answer.writeUInt32BE(60, 6); // TTL
      answer.writeUInt16BE(4, 10);
      ip.split('.').forEach((octet, i) => answer.writeUInt8(Number(octet), 12 + i));
      return answer;
    });
    socket.send(Buffer.concat([header, query.subarray(12, end), ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    questions,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
