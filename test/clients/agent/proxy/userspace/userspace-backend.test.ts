import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ForwardingEndpoint, ForwardingTable, ServicePortRule } from '../../../../../clients/agent/proxy/forwarding-table.js';
import { createUserspaceBackend, type UserspaceBackend } from '../../../../../clients/agent/proxy/userspace/userspace-backend.js';
import { answers, httpGet, httpOutcome, startHttpBackend, startUdpEcho, udpAsk, type HttpBackend, type UdpBackend } from '../../support/backends.js';

// Addresses of this file only (loopback), so parallel test files never collide.
const CLUSTER_IP = '127.96.201.10';
const OTHER_CLUSTER_IP = '127.96.201.11';
const NODE_IP = '127.0.201.1';
const PORT = 18080;
const NODE_PORT = 30201;

function endpointOf(backend: { ip: string; port: number }, local = false): ForwardingEndpoint {
  return { ip: backend.ip, port: backend.port, local };
}

function rule(overrides: Partial<ServicePortRule> = {}): ServicePortRule {
  return {
    id: 'default/web:http/TCP',
    namespace: 'default',
    service: 'web',
    portName: 'http',
    protocol: 'TCP',
    clusterIPs: [CLUSTER_IP],
    externalIPs: [],
    port: PORT,
    endpoints: [],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ...overrides,
  };
}

function table(...rules: ServicePortRule[]): ForwardingTable {
  return { nodeIPs: [NODE_IP], rules };
}

describe('userspace backend', () => {
  let backend: UserspaceBackend;
  let pods: HttpBackend[];

  before(async () => {
    pods = await Promise.all([startHttpBackend('pod-a', '127.100.201.1'), startHttpBackend('pod-b', '127.100.201.2'), startHttpBackend('pod-c', '127.100.201.3')]);
  });

  after(async () => {
    await backend?.cleanup();
    await Promise.all(pods.map((p) => p.close()));
  });

  it('round-robins ClusterIP and NodePort connections over the endpoints', async () => {
    backend = createUserspaceBackend({ addressManager: null });
    const result = await backend.apply(table(rule({ nodePort: NODE_PORT, endpoints: [endpointOf(pods[0]!), endpointOf(pods[1]!)] })));
    assert.equal(result.ruleCount, 2);
    assert.deepEqual(backend.listeners(), [`TCP ${NODE_IP}:${NODE_PORT}`, `TCP ${CLUSTER_IP}:${PORT}`]);
    assert.deepEqual((await answers(CLUSTER_IP, PORT, 4)).sort(), ['pod-a', 'pod-a', 'pod-b', 'pod-b']);
    assert.deepEqual((await answers(NODE_IP, NODE_PORT, 4)).sort(), ['pod-a', 'pod-a', 'pod-b', 'pod-b']);
  });

  it('follows endpoint changes on the same listener without dropping an open connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const viaKeptConnection = () =>
      new Promise<string>((resolve, reject) => {
        http.get({ host: CLUSTER_IP, port: PORT, agent }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    const first = await viaKeptConnection();
    await backend.apply(table(rule({ nodePort: NODE_PORT, endpoints: [endpointOf(pods[2]!)] })));
    assert.equal(await viaKeptConnection(), first, 'the established connection stays on its endpoint');
    agent.destroy();
    assert.deepEqual(await answers(CLUSTER_IP, PORT, 3), ['pod-c', 'pod-c', 'pod-c']);
  });

  it('retries a refused connection on the next endpoint', async () => {
    const dead = { ip: '127.100.201.9', port: 9 };
    await backend.apply(table(rule({ endpoints: [endpointOf(dead), endpointOf(pods[0]!), endpointOf(dead, false), endpointOf(pods[1]!)] })));
    assert.deepEqual((await answers(CLUSTER_IP, PORT, 6)).sort(), ['pod-a', 'pod-a', 'pod-a', 'pod-b', 'pod-b', 'pod-b']);
  });

  it('refuses at once when the Service has no endpoint, or only dead ones', async () => {
    await backend.apply(table(rule({ endpoints: [] })));
    assert.equal(await httpOutcome(CLUSTER_IP, PORT), 'ECONNRESET');
    await backend.apply(table(rule({ endpoints: [endpointOf({ ip: '127.100.201.9', port: 9 })] })));
    assert.equal(await httpOutcome(CLUSTER_IP, PORT), 'ECONNRESET');
  });

  it('keeps a client on one endpoint with ClientIP affinity', async () => {
    await backend.apply(table(rule({ affinityTimeoutSeconds: 60, endpoints: pods.map((p) => endpointOf(p)) })));
    const seen = new Set(await answers(CLUSTER_IP, PORT, 6));
    assert.equal(seen.size, 1);
  });

  it('closes the listeners of a removed Service and opens those of a new one', async () => {
    const other = rule({ id: 'default/api:http/TCP', service: 'api', clusterIPs: [OTHER_CLUSTER_IP], endpoints: [endpointOf(pods[2]!)] });
    await backend.apply(table(rule({ nodePort: NODE_PORT, endpoints: [endpointOf(pods[0]!)] }), other));
    assert.equal((await httpGet(OTHER_CLUSTER_IP, PORT)).body, 'pod-c');
    const { ruleCount } = await backend.apply(table(other));
    assert.equal(ruleCount, 1);
    assert.equal(await httpOutcome(CLUSTER_IP, PORT), 'ECONNREFUSED');
    assert.equal(await httpOutcome(NODE_IP, NODE_PORT), 'ECONNREFUSED');
    assert.equal((await httpGet(OTHER_CLUSTER_IP, PORT)).body, 'pod-c');
  });

  it('sends NodePort traffic only to local endpoints under externalTrafficPolicy Local', async () => {
    const endpoints = [endpointOf(pods[0]!, true), endpointOf(pods[1]!, false)];
    await backend.apply(table(rule({ nodePort: NODE_PORT, externalTrafficPolicy: 'Local', endpoints, localEndpoints: [endpoints[0]!] })));
    assert.deepEqual(await answers(NODE_IP, NODE_PORT, 3), ['pod-a', 'pod-a', 'pod-a']);
    assert.deepEqual((await answers(CLUSTER_IP, PORT, 4)).sort(), ['pod-a', 'pod-a', 'pod-b', 'pod-b']);
  });

  it('skips an address it cannot bind and still serves the others', async () => {
    const taken = await startHttpBackend('squatter', '127.96.201.12', PORT);
    try {
      const blocked = rule({ id: 'default/blocked:http/TCP', service: 'blocked', clusterIPs: ['127.96.201.12'], endpoints: [endpointOf(pods[0]!)] });
      const { ruleCount } = await backend.apply(table(rule({ endpoints: [endpointOf(pods[1]!)] }), blocked));
      assert.equal(ruleCount, 1);
      assert.equal((await httpGet(CLUSTER_IP, PORT)).body, 'pod-b');
    } finally {
      await taken.close();
    }
  });

  it('relays a large stream both ways intact and passes a half-close on', async () => {
    // An echo pod that answers only once the client has finished sending (half-close).
    const echo = net.createServer({ allowHalfOpen: true }, (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => socket.end(Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.100.201.4', resolve));
    try {
      const port = (echo.address() as net.AddressInfo).port;
      await backend.apply(table(rule({ endpoints: [{ ip: '127.100.201.4', port, local: false }] })));
      const payload = randomBytes(8 * 1024 * 1024);
      const received = await new Promise<Buffer>((resolve, reject) => {
        const socket = net.connect({ host: CLUSTER_IP, port: PORT, allowHalfOpen: true });
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks)));
        socket.on('error', reject);
        socket.end(payload);
      });
      const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      assert.equal(received.length, payload.length);
      assert.equal(digest(received), digest(payload));
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('removes every listener on cleanup', async () => {
    await backend.apply(table(rule({ nodePort: NODE_PORT, endpoints: [endpointOf(pods[0]!)] })));
    await backend.cleanup();
    assert.deepEqual(backend.listeners(), []);
    assert.equal(await httpOutcome(CLUSTER_IP, PORT), 'ECONNREFUSED');
  });
});

describe('userspace backend, UDP', () => {
  let backend: UserspaceBackend;
  let echoes: UdpBackend[];

  before(async () => {
    echoes = await Promise.all([startUdpEcho('dns-a', '127.100.202.1'), startUdpEcho('dns-b', '127.100.202.2')]);
    backend = createUserspaceBackend({ addressManager: null, udpIdleTimeoutMs: 200 });
  });

  after(async () => {
    await backend.cleanup();
    await Promise.all(echoes.map((e) => e.close()));
  });

  it('relays datagrams per client flow, round-robin across endpoints, and answers from the virtual address', async () => {
    await backend.apply(table(rule({ id: 'kube-system/dns:dns/UDP', protocol: 'UDP', clusterIPs: ['127.96.202.10'], port: 5353, endpoints: echoes.map((e) => endpointOf(e)) })));
    const replies = await Promise.all([1, 2, 3, 4].map((i) => udpAsk('127.96.202.10', 5353, `q${i}`)));
    assert.deepEqual(replies.map((r) => r.split(':')[0]).sort(), ['dns-a', 'dns-a', 'dns-b', 'dns-b']);
    assert.deepEqual(replies.map((r) => r.split(':')[1]).sort(), ['q1', 'q2', 'q3', 'q4']);
  });

  it('stops relaying to an endpoint once it leaves the table', async () => {
    await backend.apply(table(rule({ id: 'kube-system/dns:dns/UDP', protocol: 'UDP', clusterIPs: ['127.96.202.10'], port: 5353, endpoints: [endpointOf(echoes[1]!)] })));
    const replies = await Promise.all([1, 2, 3].map((i) => udpAsk('127.96.202.10', 5353, `r${i}`)));
    assert.deepEqual(replies.sort(), ['dns-b:r1', 'dns-b:r2', 'dns-b:r3']);
  });
});
