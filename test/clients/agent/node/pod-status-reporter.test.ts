import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from '../../../../clients/agent/agent.js';
import { resolveAgentConfig } from '../../../../clients/agent/agent-config.js';
import { KubeClient } from '../../../../clients/client/client.js';
import { leases, nodes, pods } from '../../../../clients/client/resources.js';
import type { Container, Pod } from '../../../../clients/client/types.js';
import { ServerProcess } from '../../../support/server-process.js';
import { eventually, startHttpBackend, type HttpBackend } from '../support/backends.js';

// Pod IPs come from this file's own loopback range, so backends bound on them
// never collide with another test file's.
const SERVER_ARGS = ['--pod-cidr', '127.101.0.0/16', '--service-cidr', '127.97.0.0/16'];
const NODE = 'probe-node';
const NODE_IP = '127.0.101.1';
const APP_PORT = 18090;

function podOn(name: string, nodeName: string, container: Partial<Container> = {}): Pod {
  return {
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { nodeName, containers: [{ name: 'app', image: 'example/app:1', ports: [{ name: 'http', containerPort: APP_PORT }], ...container }] },
  };
}

function readyOf(pod: Pod | undefined): string | undefined {
  return pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

describe('agent: node registration and pod status against a real server', () => {
  let server: ServerProcess;
  let client: KubeClient;
  let agent: Agent;
  const backends: HttpBackend[] = [];
  const listeners: net.Server[] = [];

  const getPod = (name: string) => client.get(pods, name, { namespace: 'default' });
  const waitForReady = (name: string, status: 'True' | 'False') =>
    eventually(async () => readyOf(await getPod(name)) === status, async () => `pod ${name} Ready=${readyOf(await getPod(name))}, wanted ${status}`);

  before(async () => {
    server = await ServerProcess.start({ args: SERVER_ARGS });
    client = new KubeClient({ server: server.url });
    const config = resolveAgentConfig(
      { server: server.url, node: NODE, nodeIp: NODE_IP, mode: 'userspace', metricsAddress: '', leaseRenewInterval: '500ms', nodeStatusUpdatePeriod: '1s', runtime: 'none' },
      false,
    );
    agent = await Agent.start(config, { processMetrics: false });
  });

  after(async () => {
    await agent?.stop();
    for (const backend of backends) await backend.close();
    for (const listener of listeners) await new Promise((resolve) => listener.close(resolve));
    await client?.close();
    await server?.stop();
  });

  it('registers its Node with addresses, capacity, nodeInfo and a Ready condition', async () => {
    const node = await client.get(nodes, NODE);
    assert.deepEqual(node.status?.addresses, [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: NODE }]);
    assert.match(String(node.status?.capacity?.cpu ?? ''), /^\d+$/);
    assert.match(String(node.status?.capacity?.memory ?? ''), /^\d+Ki$/);
    assert.equal(node.status?.capacity?.pods, '110');
    assert.deepEqual(node.status?.allocatable, node.status?.capacity);
    assert.equal(node.status?.nodeInfo?.operatingSystem, 'linux');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], NODE);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.ok(node.spec?.podCIDR?.startsWith('127.101.'), `podCIDR ${node.spec?.podCIDR} from the server's pod CIDR`);
  });

  it('heartbeats through a Lease in kube-node-lease that it keeps renewing', async () => {
    const first = await client.get(leases, NODE, { namespace: 'kube-node-lease' });
    assert.equal(first.spec?.holderIdentity, NODE);
    assert.equal(first.spec?.leaseDurationSeconds, 40);
    assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Node');
    await eventually(
      async () => (await client.get(leases, NODE, { namespace: 'kube-node-lease' })).spec?.renewTime !== first.spec?.renewTime,
      () => `renewTime stayed at ${first.spec?.renewTime}`,
    );
  });

  it('reports a Pod without a probe Running and Ready, with running containers and its hostIP', async () => {
    await client.create(pods, podOn('plain', NODE, { ports: [] }));
    await waitForReady('plain', 'True');
    const pod = await getPod('plain');
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.hostIP, NODE_IP);
    assert.ok(pod.status?.podIP?.startsWith('127.101.'));
    assert.ok(pod.status?.startTime);
    assert.deepEqual(
      pod.status?.containerStatuses?.map((s) => ({ name: s.name, ready: s.ready, started: s.started, running: s.state?.running !== undefined })),
      [{ name: 'app', ready: true, started: true, running: true }],
    );
    assert.deepEqual(pod.status?.conditions?.filter((c) => c.status === 'True').map((c) => c.type).sort(), ['ContainersReady', 'Initialized', 'PodScheduled', 'Ready']);
  });

  it('keeps a Pod with an httpGet readiness probe not ready until its backend answers, then follows the readiness path', async () => {
    const created = await client.create(
      pods,
      podOn('probed', NODE, { readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, failureThreshold: 1 } }),
    );
    const podIP = created.status?.podIP;
    assert.ok(podIP, 'the server allocated a pod IP');
    await eventually(async () => (await getPod('probed')).status?.phase === 'Running', () => 'pod never reported Running');
    await sleep(1500);
    assert.equal(readyOf(await getPod('probed')), 'False', 'nothing answers the probe yet');
    const backend = await startHttpBackend('probed', podIP, APP_PORT);
    backends.push(backend);
    await waitForReady('probed', 'True');
    backend.ready = false;
    await waitForReady('probed', 'False');
    const pod = await getPod('probed');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.message, 'containers with unready status: [app]');
    assert.equal(pod.status?.containerStatuses?.[0]?.ready, false);
    backend.ready = true;
    await waitForReady('probed', 'True');
  });

  it('follows a tcpSocket readiness probe', async () => {
    const created = await client.create(pods, podOn('tcp', NODE, { readinessProbe: { tcpSocket: { port: APP_PORT }, periodSeconds: 1, failureThreshold: 1 } }));
    const podIP = created.status?.podIP ?? '';
    const listener = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(APP_PORT, podIP, resolve));
    listeners.push(listener);
    await waitForReady('tcp', 'True');
    await new Promise((resolve) => listener.close(resolve));
    listeners.pop();
    await waitForReady('tcp', 'False');
  });

  it('does not write a status that has not changed', async () => {
    await waitForReady('plain', 'True');
    await waitForReady('probed', 'True');
    const before = await Promise.all([getPod('plain'), getPod('probed')]);
    // Three probe periods and three node status periods: plenty of chances for a needless write.
    await sleep(3500);
    const later = await Promise.all([getPod('plain'), getPod('probed')]);
    assert.deepEqual(later.map((p) => p.metadata.resourceVersion), before.map((p) => p.metadata.resourceVersion));
  });

  it('writes Ready back when someone else changed it', async () => {
    const pod = await getPod('plain');
    const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, reason: 'NodeNotReady' } : c));
    await client.updateStatus(pods, { ...pod, status: { ...pod.status, conditions } });
    await waitForReady('plain', 'True');
  });

  it('leaves Pods bound to other nodes alone', async () => {
    await client.create(pods, podOn('elsewhere', 'another-node'));
    await sleep(1500);
    const pod = await getPod('elsewhere');
    assert.notEqual(pod.status?.phase, 'Running');
    assert.equal(pod.status?.containerStatuses, undefined);
  });
});
