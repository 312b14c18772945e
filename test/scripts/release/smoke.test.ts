import { describeExpectation, formatSmokeResult, runSmokeChecks } from '../../../scripts/release/smoke';
import { startHttpsServer, type LocalHttpsServer } from '../../_helpers/https-server';

let server: LocalHttpsServer;
beforeAll(async () => {
  server = await startHttpsServer('be.example.com');
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.routes = {
    '/health': { status: 200, body: 'ok', headers: { 'x-version': 'v1.4.0' } },
    '/broken': { status: 500, body: 'boom' },
    '/slow': { hang: true },
  };
});

function target() {
  return { url: `https://be.example.com:${server.port}`, header: { name: 'x-berth-test', value: 'green' } };
}

describe('smoke checks', () => {
  test('reach the environment by its name over HTTPS with the test header, and pass when status, body and header match', async () => {
    // WHEN
    const [result] = await runSmokeChecks(
      [{ path: '/health', status: 200, bodyContains: 'ok', header: { name: 'X-Version', value: 'v1.4' } }],
      target(),
      { lookup: server.lookup, ca: server.ca },
    );

    // THEN
    expect(result.passed).toBe(true);
    expect(server.requests[0].headers['x-berth-test']).toBe('green');
    expect(server.requests[0].headers.host).toBe(`be.example.com:${server.port}`);
    expect(formatSmokeResult(result)).toMatch(
      /^ok {3}\/health {2}expected 200 \+ body "ok" \+ header X-Version: "v1.4" {2}got 200 .* \d+ ms$/,
    );
  });

  test('fail with what they got: another status, a body without the text, a missing header', async () => {
    // WHEN
    const results = await runSmokeChecks(
      [
        { path: '/broken', status: 200 },
        { path: '/health', status: 200, bodyContains: 'ready' },
        { path: '/health', status: 200, header: { name: 'x-commit' } },
      ],
      target(),
      { lookup: server.lookup, ca: server.ca },
    );

    // THEN
    expect(results.map((r) => [r.passed, r.got])).toEqual([
      [false, 'status 500'],
      [false, 'body without "ready"'],
      [false, 'no header x-commit'],
    ]);
    expect(formatSmokeResult(results[0])).toMatch(/^FAIL \/broken {2}expected 200 {2}got status 500 {2}\d+ ms$/);
  });

  test('a server that never answers fails the check after its timeout instead of holding the release', async () => {
    // WHEN
    const started = Date.now();
    const [result] = await runSmokeChecks([{ path: '/slow', status: 200 }], target(), {
      lookup: server.lookup,
      ca: server.ca,
      timeoutMs: 200,
    });

    // THEN
    expect(result.passed).toBe(false);
    expect(result.got).toBe('no answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a certificate that does not chain to a trusted CA fails the check', async () => {
    // WHEN Node's own CAs, which never signed the test certificate
    const [result] = await runSmokeChecks([{ path: '/health', status: 200 }], target(), { lookup: server.lookup });

    // THEN
    expect(result.passed).toBe(false);
    expect(result.got).toMatch(/self[- ]signed/i);
    expect(server.requests).toHaveLength(0);
  });
});

describe('what a check expects, in words', () => {
  test('quotes its texts as JSON strings, so quotes inside them stay readable', () => {
    expect(describeExpectation({ path: '/v', status: 200, bodyContains: '"ok"', header: { name: 'x-a', value: 'b"c' } })).toBe(
      '200 + body "\\"ok\\"" + header x-a: "b\\"c"',
    );
    expect(describeExpectation({ path: '/v', status: 204, header: { name: 'x-a' } })).toBe('204 + header x-a');
  });
});
