import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../../support/test-server.js';
import { ClusterClient, ns, nodeBody, podBody, type WireObject } from '../cluster-client.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

function scheduled(pod: WireObject | undefined): Condition | undefined {
  return (pod?.status as { conditions?: Condition[] } | undefined)?.conditions?.find((c) => c.type === 'PodScheduled');
}

const nodeOf = (pod: WireObject | undefined): string | undefined => (pod?.spec as { nodeName?: string } | undefined)?.nodeName;

describe('scheduler over HTTP', () => {
  let server: TestServer;
  let api: ClusterClient;
  let counter = 0;

  before(async () => {
    server = await startTestServer();
    api = new ClusterClient(server.url);
  });
  after(async () => {
    await server.close();
  });

  async function namespace(): Promise<ReturnType<typeof ns>> {
    const name = `s${++counter}`;
    await api.create('/api/v1/namespaces', { metadata: { name } });
    return ns(name);
  }

  // The tests run in order against one cluster: each adds nodes the next ones see.
  it('keeps a pod Pending with PodScheduled=False while there is no node', async () => {
    const p = await namespace();
    await api.create(p.pods, podBody('a'));
    const pod = await api.waitFor('unschedulable', () => api.get(p.pod('a')), (v) => scheduled(v)?.status === 'False');
    assert.deepEqual({ ...scheduled(pod), lastProbeTime: undefined, lastTransitionTime: undefined }, {
      type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no nodes available to schedule pods', lastProbeTime: undefined, lastTransitionTime: undefined,
    });
    assert.equal((pod?.status as { phase?: string } | undefined)?.phase, 'Pending');
  });

  it('says why no node fits, and binds the pod once a Ready node appears', async () => {
    const p = await namespace();
    await api.create('/api/v1/nodes', nodeBody('down-1', false));
    await api.create('/api/v1/nodes', nodeBody('cordoned', true, { unschedulable: true }));
    await api.create(p.pods, podBody('a'));
    const message = '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. '
      + 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    await api.waitFor('unschedulable with reasons', () => api.get(p.pod('a')), (v) => scheduled(v)?.message === message);

    await api.create('/api/v1/nodes', nodeBody('ready-1', true));
    const pod = await api.waitFor('bound', () => api.get(p.pod('a')), (v) => nodeOf(v) !== undefined);
    assert.equal(nodeOf(pod), 'ready-1');
    await api.waitFor('scheduled', () => api.get(p.pod('a')), (v) => scheduled(v)?.status === 'True');
    // The binding is the registry's binding write, so the pod got its address from the node's podCIDR with it.
    const podCIDR = ((await api.get('/api/v1/nodes/ready-1'))?.spec as { podCIDR?: string }).podCIDR ?? '';
    const podIP = (pod?.status as { podIP?: string } | undefined)?.podIP ?? '';
    assert.ok(podCIDR && podIP.startsWith(podCIDR.split('.').slice(0, 3).join('.')), `${podIP} in ${podCIDR}`);
  });

  it('binds the pods left pending earlier once a node can take them', async () => {
    const pod = await api.waitFor('earlier pod bound', () => api.get(ns('s1').pod('a')), (v) => nodeOf(v) !== undefined);
    assert.equal(nodeOf(pod), 'ready-1');
  });

  it('spreads pods over Ready nodes, fewest pods first', async () => {
    const p = await namespace();
    await api.create('/api/v1/nodes', nodeBody('ready-2', true));
    // ready-1 holds two pods already; ready-2 none.
    for (const name of ['x', 'y', 'z']) await api.create(p.pods, podBody(name));
    const nodes: string[] = [];
    for (const name of ['x', 'y', 'z']) {
      nodes.push(nodeOf(await api.waitFor(`${name} bound`, () => api.get(p.pod(name)), (v) => nodeOf(v) !== undefined))!);
    }
    assert.deepEqual(nodes.sort(), ['ready-1', 'ready-2', 'ready-2']);
  });

  it('leaves pods for another scheduler alone', async () => {
    const p = await namespace();
    const body = podBody('other') as { spec: Record<string, unknown> };
    body.spec.schedulerName = 'my-scheduler';
    await api.create(p.pods, body);
    // A pod for the default scheduler created afterwards is bound: the scheduler has looked.
    await api.create(p.pods, podBody('mine'));
    await api.waitFor('mine bound', () => api.get(p.pod('mine')), (v) => nodeOf(v) !== undefined);
    const other = await api.get(p.pod('other'));
    assert.equal(nodeOf(other), undefined);
    assert.equal(scheduled(other), undefined);
  });
});
