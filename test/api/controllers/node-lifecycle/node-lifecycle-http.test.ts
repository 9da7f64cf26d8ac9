import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../../support/test-server.js';
import { ClusterClient, endpointAddresses, ns, nodeBody, podBody, same, serviceBody, sliceEndpoints, type WireObject } from '../cluster-client.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

function condition(object: WireObject | undefined, type: string): Condition | undefined {
  const status = object?.status as { conditions?: Condition[] } | undefined;
  return status?.conditions?.find((c) => c.type === type);
}

describe('node lifecycle over HTTP', () => {
  let server: TestServer;
  let api: ClusterClient;
  const heartbeats = new Map<string, NodeJS.Timeout>();

  before(async () => {
    server = await startTestServer({ nodeMonitorGracePeriodMs: 1500 });
    api = new ClusterClient(server.url);
  });
  after(async () => {
    for (const timer of heartbeats.values()) clearInterval(timer);
    await server.close();
  });

  /** What an agent does: renew its Lease in kube-node-lease every 200 ms. */
  async function startHeartbeat(node: string): Promise<void> {
    await api.put(`${LEASES}/${node}`, { metadata: { name: node }, spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: new Date().toISOString() } });
    heartbeats.set(node, setInterval(() => {
      void api.patch(`${LEASES}/${node}`, { spec: { renewTime: new Date().toISOString() } }).catch(() => undefined);
    }, 200));
  }

  function stopHeartbeat(node: string): void {
    clearInterval(heartbeats.get(node));
    heartbeats.delete(node);
  }

  it('marks a silent node Unknown, its endpoints not ready, and lets them return when it heartbeats again', async () => {
    const p = ns('default');
    for (const node of ['n1', 'n2']) {
      await api.create('/api/v1/nodes', nodeBody(node, true));
      await startHeartbeat(node);
    }
    for (const [pod, node, ip] of [['a', 'n1', '10.244.100.5'], ['b', 'n2', '10.244.101.5']] as const) {
      await api.create(p.pods, podBody(pod, { node }));
      await api.patch(`${p.pod(pod)}/status`, { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] } });
    }
    const ipOf = async (pod: string) => ((await api.get(p.pod(pod)))!.status as { podIP: string }).podIP;
    const [a, b] = [await ipOf('a'), await ipOf('b')];
    await api.create(p.services, serviceBody('web'));
    const slices = async () => sliceEndpoints(await api.list(p.slices('web')));
    await api.waitFor('both ready', slices, (v) => same(v, [a, b].sort()));

    stopHeartbeat('n1');
    const lost = await api.waitFor('n1 Unknown', () => api.get('/api/v1/nodes/n1'), (n) => condition(n, 'Ready')?.status === 'Unknown');
    const ready = condition(lost, 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    await api.waitFor('pod a not ready', () => api.get(p.pod('a')), (pod) => condition(pod, 'Ready')?.status === 'False');
    await api.waitFor('a not ready in slices', slices, (v) => same(v, [`${a} (not ready)`, b].sort()));
    await api.waitFor('a not ready in endpoints', async () => endpointAddresses(await api.get(p.endpoints('web'))), (v) => same(v, [`${a}:8080 (not ready)`, `${b}:8080`].sort()));
    assert.equal(condition(await api.get('/api/v1/nodes/n2'), 'Ready')?.status, 'True', 'a node renewing its Lease stays Ready');
    assert.equal(condition(await api.get(p.pod('b')), 'Ready')?.status, 'True');

    // The agent is back: it posts Ready and its pods' readiness, and heartbeats.
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await api.patch('/api/v1/nodes/n1/status', { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }] } });
    await startHeartbeat('n1');
    await api.patch(`${p.pod('a')}/status`, { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    await api.waitFor('a ready again', slices, (v) => same(v, [a, b].sort()));
    await api.waitFor('endpoints ready again', async () => endpointAddresses(await api.get(p.endpoints('web'))), (v) => same(v, [`${a}:8080`, `${b}:8080`].sort()));
  });
});
