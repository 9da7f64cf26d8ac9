// End to end on loopback, no namespaces and no root needed: a real `skiff
// server` whose service and pod CIDRs lie inside 127.0.0.0/8, one real `skiff
// agent --mode userspace`, and HTTP backends bound on the pod IPs the server
// hands out. Every address involved is a loopback address.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../clients/client/client.js';
import { endpointSlices, nodes, pods, services } from '../../clients/client/resources.js';
import type { Pod, Service } from '../../clients/client/types.js';
import { ServerProcess } from '../support/server-process.js';
import { AgentProcess } from '../support/agent-process.js';
import { answers, eventually, httpGet, httpOutcome, startHttpBackend, type HttpBackend } from '../clients/agent/support/backends.js';

const NS = 'default';
const NODE = 'e2e-node';
const NODE_IP = '127.0.96.1';
const TARGET_PORT = 18080;
// Above 1023, so the test needs no privilege to bind the ClusterIP listener.
const SERVICE_PORT = 8080;

const SERVER_ARGS = ['--service-cidr', '127.96.0.0/16', '--pod-cidr', '127.100.0.0/16', '--node-grace-period', '3'];
const AGENT_ARGS = [
  '--node', NODE,
  '--node-ip', NODE_IP,
  '--mode', 'userspace',
  // The test's own HTTP servers stand in for the Pods.
  '--runtime', 'none',
  '--userspace-interface', 'none',
  '--min-sync-period', '100ms',
  '--sync-period', '5s',
  '--metrics-address', '127.0.0.1:0',
  '--lease-renew-interval', '500ms',
  '--node-grace-lease-seconds', '3',
  '--node-status-update-period', '1s',
  '--cleanup',
  '--log-level', 'warn',
];

function webPod(name: string): Pod {
  return {
    metadata: { name, namespace: NS, labels: { app: 'web' } },
    spec: {
      nodeName: NODE,
      containers: [{
        name: 'web',
        image: 'example/web:1',
        ports: [{ name: 'http', containerPort: TARGET_PORT }],
        readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
      }],
    },
  };
}

/** The distinct names answering `count` requests. */
async function answering(ip: string, port: number, count = 12): Promise<string[]> {
  return [...new Set(await answers(ip, port, count))].sort();
}

describe('userspace mode end to end on loopback', () => {
  let server: ServerProcess;
  let client: KubeClient;
  let agent: AgentProcess;
  let clusterIP: string;
  let nodePort: number;
  const backends = new Map<string, HttpBackend>();

  const agentArgs = () => ['--server', server.url, ...AGENT_ARGS];

  async function addPod(name: string): Promise<HttpBackend> {
    const pod = await client.create(pods, webPod(name));
    const ip = pod.status?.podIP;
    assert.ok(ip !== undefined && ip.startsWith('127.100.'), `pod ${name} got a loopback pod IP (${ip})`);
    const backend = await startHttpBackend(name, ip, TARGET_PORT);
    backends.set(name, backend);
    return backend;
  }

  async function expectAnswers(ip: string, port: number, names: string[]): Promise<void> {
    let seen: string[] = [];
    await eventually(
      async () => {
        seen = await answering(ip, port).catch((error: Error) => [`error: ${error.message}`]);
        return JSON.stringify(seen) === JSON.stringify([...names].sort());
      },
      () => `${ip}:${port} answered by ${JSON.stringify(seen)}, wanted ${JSON.stringify([...names].sort())}`,
      15_000,
    );
  }

  before(async () => {
    server = await ServerProcess.start({ args: SERVER_ARGS });
    client = new KubeClient({ server: server.url });
    agent = await AgentProcess.start(agentArgs());
    for (const name of ['web-1', 'web-2', 'web-3']) await addPod(name);
    const service: Service = await client.create(services, {
      metadata: { name: 'web', namespace: NS },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: SERVICE_PORT, targetPort: 'http' }] },
    });
    clusterIP = service.spec?.clusterIP ?? '';
    nodePort = service.spec?.ports?.[0]?.nodePort ?? 0;
    assert.ok(clusterIP.startsWith('127.96.'), `ClusterIP ${clusterIP} is a loopback address`);
    assert.ok(nodePort >= 30000);
  });

  after(async () => {
    await agent?.kill();
    for (const backend of backends.values()) await backend.close();
    await client?.close();
    await server?.stop();
  });

  it('answers on the ClusterIP from every ready backend', async () => {
    await expectAnswers(clusterIP, SERVICE_PORT, ['web-1', 'web-2', 'web-3']);
  });

  it('answers on the NodePort of the node address from every ready backend', async () => {
    await expectAnswers(NODE_IP, nodePort, ['web-1', 'web-2', 'web-3']);
  });

  it('takes a backend whose readiness path fails out of rotation and back when it recovers', async () => {
    backends.get('web-2')!.ready = false;
    await expectAnswers(clusterIP, SERVICE_PORT, ['web-1', 'web-3']);
    backends.get('web-2')!.ready = true;
    await expectAnswers(clusterIP, SERVICE_PORT, ['web-1', 'web-2', 'web-3']);
  });

  it('follows pods added and removed', async () => {
    await addPod('web-4');
    await expectAnswers(clusterIP, SERVICE_PORT, ['web-1', 'web-2', 'web-3', 'web-4']);
    // web-1's backend keeps running: only the agent's rules can stop it answering.
    await client.delete(pods, 'web-1', { namespace: NS });
    await expectAnswers(clusterIP, SERVICE_PORT, ['web-2', 'web-3', 'web-4']);
    await expectAnswers(NODE_IP, nodePort, ['web-2', 'web-3', 'web-4']);
  });

  it('refuses at once a Service with no ready endpoint', async () => {
    const empty = await client.create(services, {
      metadata: { name: 'empty', namespace: NS },
      spec: { selector: { app: 'nothing' }, ports: [{ port: SERVICE_PORT, targetPort: TARGET_PORT }] },
    });
    const ip = empty.spec?.clusterIP ?? '';
    let outcome = '';
    await eventually(async () => (outcome = await httpOutcome(ip, SERVICE_PORT)) === 'ECONNRESET', () => `got ${outcome}`);
    await client.delete(services, 'empty', { namespace: NS });
  });

  it('serves /healthz and the sync, rule and programming-latency metrics', async () => {
    assert.ok(agent.metricsUrl);
    assert.equal((await fetch(`${agent.metricsUrl}/healthz`)).status, 200);
    const text = await (await fetch(`${agent.metricsUrl}/metrics`)).text();
    assert.match(text, /^skiff_proxy_rules [1-9]\d*$/m);
    assert.match(text, /^skiff_proxy_sync_duration_seconds_count [1-9]\d*$/m);
    assert.match(text, /^skiff_network_programming_duration_seconds_count [1-9]\d*$/m);
  });

  it('loses its endpoints when the agent stops heartbeating and gets them back when it returns', async () => {
    await agent.kill();
    const readiness = async (): Promise<boolean[]> => {
      const list = await client.list(endpointSlices, { namespace: NS, labelSelector: 'kubernetes.io/service-name=web' });
      return list.items.flatMap((slice) => (slice.endpoints ?? []).map((e) => e.conditions?.ready ?? true));
    };
    await eventually(
      async () => (await client.get(nodes, NODE)).status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True',
      () => 'the node stayed Ready after its agent died',
      20_000,
    );
    await eventually(async () => (await readiness()).every((ready) => !ready), async () => `endpoint readiness ${JSON.stringify(await readiness())}`, 20_000);
    assert.equal(await httpOutcome(clusterIP, SERVICE_PORT), 'ECONNREFUSED', 'no agent, no listener');

    agent = await AgentProcess.start(agentArgs());
    await eventually(async () => (await client.get(nodes, NODE)).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', () => 'node not Ready again');
    await eventually(async () => { const r = await readiness(); return r.length === 3 && r.every(Boolean); }, async () => `endpoint readiness ${JSON.stringify(await readiness())}`, 20_000);
    await expectAnswers(clusterIP, SERVICE_PORT, ['web-2', 'web-3', 'web-4']);
  });

  it('closes the listeners of a deleted Service', async () => {
    assert.equal((await httpGet(clusterIP, SERVICE_PORT)).status, 200);
    await client.delete(services, 'web', { namespace: NS });
    let outcome = '';
    await eventually(async () => (outcome = await httpOutcome(clusterIP, SERVICE_PORT)) === 'ECONNREFUSED', () => `ClusterIP gave ${outcome}`);
    assert.equal(await httpOutcome(NODE_IP, nodePort), 'ECONNREFUSED');
  });

  it('exits cleanly on SIGTERM', async () => {
    await agent.stop();
    assert.equal(await agent.waitForExit(), 0);
  });
});
