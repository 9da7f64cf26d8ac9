import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Agent, request } from 'undici';
import { ServerProcess } from '../../support/server-process.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const LOAD = 1000;

/** Polls `check` until it holds, at most `attempts` times. */
async function until(check: () => boolean, what: string, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything a socket receives until the server closes it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { text += chunk; });
    socket.once('end', () => resolve(text));
    socket.once('error', reject);
  });
}

function namespaceBody(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

describe('inflight limits under load, on a server process', () => {
  let server: ServerProcess;
  const agent = new Agent({ connections: LOAD, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });

  before(async () => {
    // A separate process: a client in the server's own event loop could never send faster than it is served.
    server = await ServerProcess.start({ dataFile: ':memory:', args: ['--max-requests-inflight', '50', '--max-mutating-requests-inflight', '50'] });
  });
  after(async () => {
    await agent.close();
    await server.stop();
  });

  it('answers 1,000 concurrent reads and writes against limits of 50 with only 2xx or 429 and Retry-After, while /readyz stays 200', async () => {
    let loading = true;
    const readyStatuses: number[] = [];
    const probeAgent = new Agent({ connections: 1 });
    const probe = (async () => {
      // Bounded: the load settles well within this many probes.
      for (let i = 0; i < 10_000 && loading; i++) {
        const response = await request(`${server.url}/readyz`, { dispatcher: probeAgent });
        readyStatuses.push(response.statusCode);
        await response.body.text();
      }
    })();
    // Reads in skiff finish within the tick they arrive in; writes wait for a group commit, so they overlap.
    const results = await Promise.all(Array.from({ length: LOAD }, async (_, i) => {
      const response = i % 2 === 0
        ? await request(`${server.url}/api/v1/namespaces`, { dispatcher: agent })
        : await request(`${server.url}/api/v1/namespaces`, { method: 'POST', body: namespaceBody(`burst-${i}`), headers: { 'content-type': 'application/json' }, dispatcher: agent });
      const body = await response.body.text();
      return { status: response.statusCode, retryAfter: response.headers['retry-after'], body };
    }));
    loading = false;
    await probe;
    await probeAgent.close();

    const refused = results.filter((r) => r.status === 429);
    for (const result of results) assert.ok((result.status >= 200 && result.status < 300) || result.status === 429, `status ${result.status}`);
    assert.ok(refused.length > 0, 'some requests were over the limit');
    assert.ok(refused.length < LOAD, 'some requests were served');
    for (const result of refused) {
      assert.equal(result.retryAfter, '1');
      const status = JSON.parse(result.body) as { kind: string; reason: string; code: number; message: string; details: { retryAfterSeconds: number } };
      assert.deepEqual([status.kind, status.reason, status.code, status.message, status.details.retryAfterSeconds],
        ['Status', 'TooManyRequests', 429, 'Too many requests, please try again later.', 1]);
    }
    assert.ok(readyStatuses.length > 0, '/readyz was probed during the load');
    assert.deepEqual([...new Set(readyStatuses)], [200]);
  });

});

describe('inflight limits', () => {
  let t: TestServer;
  const agent = new Agent({ connections: LOAD, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });

  before(async () => {
    t = await startTestServer({ memory: true, inflight: { maxRequestsInflight: 50, maxMutatingRequestsInflight: 50, maxWatchesPerConnection: 2 } });
  });
  after(async () => {
    await agent.close();
    await t.close();
  });

  it('limits mutating requests in their own pool: held writes refuse the next write but not reads', async () => {
    // A write is admitted when its headers arrive; withholding its body keeps it in flight.
    const held: Array<{ socket: Socket; body: string; response: Promise<string> }> = [];
    for (let i = 0; i < 50; i++) {
      const socket = await openSocket(t.url);
      const body = namespaceBody(`held-${i}`);
      const response = readAll(socket);
      socket.write(`POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
      held.push({ socket, body, response });
    }
    try {
      await until(() => t.server.inflight?.mutating === 50, 'fifty writes in flight');
      const refused = await request(`${t.url}/api/v1/namespaces`, { method: 'POST', body: namespaceBody('refused'), headers: { 'content-type': 'application/json' }, dispatcher: agent });
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal((await refused.body.json() as { reason: string }).reason, 'TooManyRequests');
      const read = await request(`${t.url}/api/v1/namespaces`, { dispatcher: agent });
      assert.equal(read.statusCode, 200, 'reads have their own pool');
      await read.body.text();
    } finally {
      for (const h of held) h.socket.end(h.body);
    }
    for (const h of held) assert.match(await h.response, /^HTTP\/1\.1 201 /);
    await until(() => t.server.inflight?.mutating === 0, 'every mutating slot to be released');
    const accepted = await request(`${t.url}/api/v1/namespaces`, { method: 'POST', body: namespaceBody('accepted'), headers: { 'content-type': 'application/json' }, dispatcher: agent });
    assert.equal(accepted.statusCode, 201);
    await accepted.body.text();
  });

  it('releases the slot of a write whose client disconnects before sending its body', async () => {
    const socket = await openSocket(t.url);
    socket.write('POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await until(() => t.server.inflight?.mutating === 1, 'the write in flight');
    socket.destroy();
    await until(() => t.server.inflight?.mutating === 0, 'the aborted write to release its slot');
  });

  it('does not count a watch against the limits, and releases it when the client leaves', async () => {
    const controller = new AbortController();
    const watch = await request(`${t.url}/api/v1/namespaces?watch=true`, { dispatcher: agent, signal: controller.signal });
    assert.equal(watch.statusCode, 200);
    watch.body.on('error', () => {});
    assert.equal(t.server.inflight?.watches, 1);
    assert.equal(t.server.inflight?.readOnly, 0);
    controller.abort();
    await until(() => t.server.inflight?.watches === 0, 'the watch to be released');
  });

  it('refuses a watch beyond the per-connection limit with 429', async () => {
    const socket = await openSocket(t.url);
    const received = readAll(socket);
    const watch = 'GET /api/v1/namespaces?watch=true&resourceVersion=0&timeoutSeconds=1 HTTP/1.1\r\nHost: x\r\n';
    // Pipelined: all three are admitted (or not) while the first two are still open.
    socket.write(`${watch}\r\n${watch}\r\n${watch}Connection: close\r\n\r\n`);
    const text = await received;
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 200, 429]);
    const refusal = text.slice(text.lastIndexOf('HTTP/1.1 429'));
    assert.match(refusal, /\r\nretry-after: 1\r\n/i);
    assert.match(refusal, /"reason":"TooManyRequests"/);
    await until(() => t.server.inflight?.watches === 0, 'the watches to be released');
  });
});
