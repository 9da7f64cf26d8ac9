import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Container } from '../../../../clients/client/types.js';
import { PROBE_USER_AGENT, resolvePort, runProbe } from '../../../../clients/agent/node/readiness-probe.js';

const POD_IP = '127.100.203.1';

describe('runProbe', () => {
  let server: http.Server;
  let port: number;
  const seen: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['user-agent']}`);
      if (req.url === '/hang') return;
      const status = Number(req.url?.slice(1)) || 200;
      res.writeHead(status, status >= 300 && status < 400 ? { location: '/200' } : {});
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, POD_IP, resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const container = (): Container => ({ name: 'web', ports: [{ name: 'http', containerPort: port }] });

  it('passes an httpGet probe answered with 200 to 399 and fails one answered with 400 or more', async () => {
    const outcomes = [];
    for (const code of [200, 204, 302, 399, 400, 404, 500, 503]) {
      outcomes.push((await runProbe({ httpGet: { path: `/${code}`, port } }, container(), POD_IP)).success);
    }
    assert.deepEqual(outcomes, [true, true, true, true, false, false, false, false]);
    assert.equal(seen[0], `GET /200 ${PROBE_USER_AGENT}`);
  });

  it('resolves a named container port', async () => {
    const outcome = await runProbe({ httpGet: { path: '/200', port: 'http' } }, container(), POD_IP);
    assert.equal(outcome.success, true);
  });

  it('fails on an unknown port name with the kubelet message', async () => {
    const outcome = await runProbe({ httpGet: { path: '/', port: 'metrics' } }, container(), POD_IP);
    assert.deepEqual(outcome, { success: false, message: "couldn't find port: metrics in container web" });
  });

  it('fails an httpGet probe that gets no answer within timeoutSeconds', async () => {
    const outcome = await runProbe({ httpGet: { path: '/hang', port }, timeoutSeconds: 1 }, container(), POD_IP);
    assert.equal(outcome.success, false);
    assert.match(outcome.message, /Client\.Timeout exceeded/);
  });

  it('fails an httpGet probe whose connection is refused', async () => {
    const outcome = await runProbe({ httpGet: { path: '/', port: 9 } }, container(), '127.100.203.2');
    assert.equal(outcome.success, false);
    assert.match(outcome.message, /^Get "http:\/\/127\.100\.203\.2:9\/": connect ECONNREFUSED/);
  });

  it('passes a tcpSocket probe when the port accepts and fails it when refused', async () => {
    assert.equal((await runProbe({ tcpSocket: { port } }, container(), POD_IP)).success, true);
    assert.equal((await runProbe({ tcpSocket: { port: 'http' } }, container(), POD_IP)).success, true);
    const refused = await runProbe({ tcpSocket: { port: 9 } }, container(), '127.100.203.2');
    assert.equal(refused.success, false);
    assert.match(refused.message, /^dial tcp 127\.100\.203\.2:9: connect ECONNREFUSED/);
  });

  it('counts a probe handler it cannot run (exec) as passing', async () => {
    assert.equal((await runProbe({ exec: { command: ['true'] } }, container(), POD_IP)).success, true);
  });
});

describe('resolvePort', () => {
  it('takes numbers, numeric strings and named ports, and rejects the rest', () => {
    const container: Container = { name: 'c', ports: [{ name: 'web', containerPort: 8080 }] };
    assert.deepEqual([resolvePort(80, container), resolvePort('81', container), resolvePort('web', container)], [80, 81, 8080]);
    assert.equal(typeof resolvePort(0, container), 'string');
    assert.equal(typeof resolvePort('nope', container), 'string');
  });
});

