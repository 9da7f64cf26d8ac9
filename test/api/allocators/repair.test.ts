import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repairAllocations } from '../../../api/allocators/repair.js';
import { SILENT_ALLOCATION_LOG } from '../../../api/allocators/allocation-log.js';
import type { Node } from '../../../api/schemas/node.js';
import type { Pod } from '../../../api/schemas/pod.js';
import type { Service } from '../../../api/schemas/service.js';
import type { KubeObject } from '../../../api/resources/strategy.js';
import type { Store } from '../../../storage/store.js';
import { auditServiceAllocations } from './allocation-audit.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allocationsIn, api, node, NODES, pod, PODS, service, SERVICES, type Api } from './allocation-api.js';

const CONFIG = { serviceCidr: '10.96.0.0/24', nodePortRange: { from: 30000, to: 30999 }, podCidr: '10.244.0.0/16', nodeCidrMaskSize: 24 };
const CLUSTER_POOL = 'clusterip:10.96.0.0/24';
const services = { resource: 'services', namespace: 'default' };

/** Rewrites a stored object behind the registry's back, as a hand edit or an old backup would. */
function overwrite<T extends KubeObject>(store: Store, key: { resource: string; namespace: string; name: string }, mutate: (object: T) => void): void {
  store.transaction((txn) => {
    const stored = txn.get(key);
    assert.ok(stored, `${key.name} exists`);
    const object = JSON.parse(stored.value) as T;
    mutate(object);
    txn.update(key, (revision) => ({
      value: JSON.stringify({ ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } }),
      labels: object.metadata.labels ?? {},
    }));
  });
}

function read<T>(store: Store, key: { resource: string; namespace: string; name: string }): T {
  return JSON.parse(store.get(key)?.value ?? 'null') as T;
}

describe('repairAllocations', () => {
  let t: TestServer;
  let http: Api;
  before(async () => {
    t = await startTestServer(CONFIG);
    http = api(t.url);
  });
  after(async () => t.close());
  const repair = () => repairAllocations(t.server.store, CONFIG, SILENT_ALLOCATION_LOG);

  it('finds nothing to do when every write went through the API', async () => {
    await http.post(SERVICES, service('clean', { type: 'NodePort' }));
    assert.deepEqual(repair(), { reclaimed: 0, released: 0, reassigned: 0, outOfRange: 0 });
  });

  it('re-claims a missing allocation and releases leaked ones', async () => {
    // Values in the static band at the bottom of the range, which automatic allocation never hands out,
    // so no Service created with an automatic address can already hold them.
    const created = await http.post<Service>(SERVICES, service('missing', { clusterIP: '10.96.0.4' }));
    assert.equal(created.status, 201);
    t.server.store.transaction((txn) => {
      txn.release(CLUSTER_POOL, 4);
      txn.allocate(CLUSTER_POOL, 5, { ...services, name: 'ghost' });
      txn.allocate('nodeport:UDP', 30500, { ...services, name: 'ghost' });
      txn.allocate(CLUSTER_POOL, 6, { ...services, name: 'missing' });
    });
    assert.deepEqual(repair(), { reclaimed: 1, released: 3, reassigned: 0, outOfRange: 0 });
    assert.deepEqual(allocationsIn(t.server, CLUSTER_POOL).filter(([value]) => value >= 4 && value <= 6), [[4, 'missing']]);
    assert.deepEqual(allocationsIn(t.server, 'nodeport:UDP'), []);
    assert.deepEqual(auditServiceAllocations(t.server.store, CONFIG), []);
  });

  it('lets the older of two Services sharing an address keep it and gives the younger a fresh one through a new revision', async () => {
    await http.post(SERVICES, service('elder', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30050 }] }));
    await http.post(SERVICES, service('junior', { type: 'NodePort', clusterIP: '10.96.0.51', ports: [{ port: 80, nodePort: 30051 }] }));
    overwrite<Service>(t.server.store, { ...services, name: 'elder' }, (svc) => {
      svc.metadata.creationTimestamp = '2020-01-01T00:00:00Z';
    });
    overwrite<Service>(t.server.store, { ...services, name: 'junior' }, (svc) => {
      svc.metadata.creationTimestamp = '2021-01-01T00:00:00Z';
      svc.spec = { ...svc.spec, clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ports: [{ ...svc.spec?.ports?.[0], nodePort: 30050 }] };
    });
    const before = read<Service>(t.server.store, { ...services, name: 'junior' });
    assert.ok(auditServiceAllocations(t.server.store, CONFIG).length > 0, 'the corruption is visible');

    const summary = repair();
    assert.equal(summary.reassigned, 2);
    const elder = read<Service>(t.server.store, { ...services, name: 'elder' });
    const junior = read<Service>(t.server.store, { ...services, name: 'junior' });
    assert.equal(elder.spec?.clusterIP, '10.96.0.50');
    assert.equal(elder.spec?.ports?.[0]?.nodePort, 30050);
    assert.notEqual(junior.spec?.clusterIP, '10.96.0.50');
    assert.deepEqual(junior.spec?.clusterIPs, [junior.spec?.clusterIP]);
    assert.notEqual(junior.spec?.ports?.[0]?.nodePort, 30050);
    assert.ok(Number(junior.metadata.resourceVersion) > Number(before.metadata.resourceVersion), 'watchers see the change');
    assert.equal(junior.metadata.generation, (before.metadata.generation ?? 1) + 1);
    assert.deepEqual(auditServiceAllocations(t.server.store, CONFIG), []);
  });

  it('settles Nodes sharing a podCIDR and Pods sharing an address', async () => {
    await http.post(NODES, node('node-a'));
    await http.post(NODES, node('node-b'));
    const first = await http.post<Pod>(PODS, pod('pod-a', 'node-a'));
    const second = await http.post<Pod>(PODS, pod('pod-b', 'node-a'));
    const shared = first.body.status?.podIP ?? '';
    assert.ok(shared && second.body.status?.podIP);
    const nodeA = read<Node>(t.server.store, { resource: 'nodes', namespace: '', name: 'node-a' });
    overwrite<Node>(t.server.store, { resource: 'nodes', namespace: '', name: 'node-b' }, (n) => {
      n.metadata.creationTimestamp = '2099-01-01T00:00:00Z';
      n.spec = { podCIDR: nodeA.spec?.podCIDR, podCIDRs: nodeA.spec?.podCIDRs };
    });
    overwrite<Pod>(t.server.store, { resource: 'pods', namespace: 'default', name: 'pod-b' }, (p) => {
      p.metadata.creationTimestamp = '2099-01-01T00:00:00Z';
      p.status = { ...p.status, podIP: shared, podIPs: [{ ip: shared }] };
    });

    assert.equal(repair().reassigned, 2);
    const nodeB = read<Node>(t.server.store, { resource: 'nodes', namespace: '', name: 'node-b' });
    const podB = read<Pod>(t.server.store, { resource: 'pods', namespace: 'default', name: 'pod-b' });
    assert.notEqual(nodeB.spec?.podCIDR, nodeA.spec?.podCIDR);
    assert.ok(nodeB.spec?.podCIDR);
    assert.notEqual(podB.status?.podIP, shared);
    assert.match(podB.status?.podIP ?? '', /^10\.244\.0\./, 'from node-a\'s subnet');
    const podPool = allocationsIn(t.server, 'podip:10.244.0.0/16');
    assert.equal(new Set(podPool.map(([value]) => value)).size, podPool.length);
    assert.deepEqual(podPool.filter(([, owner]) => owner === 'pod-b').length, 1);
  });

  it('leaves values outside the configured ranges alone and reports them', async () => {
    await http.post(SERVICES, service('old-range'));
    overwrite<Service>(t.server.store, { ...services, name: 'old-range' }, (svc) => {
      svc.spec = { ...svc.spec, clusterIP: '10.0.0.9', clusterIPs: ['10.0.0.9'] };
    });
    const summary = repair();
    assert.equal(summary.outOfRange, 1);
    assert.equal(read<Service>(t.server.store, { ...services, name: 'old-range' }).spec?.clusterIP, '10.0.0.9');
    assert.ok(!allocationsIn(t.server, CLUSTER_POOL).some(([, owner]) => owner === 'old-range'));
    await http.delete(`${SERVICES}/old-range`);
  });

  it('is idempotent', () => {
    const first = repair();
    const second = repair();
    assert.deepEqual(second, { reclaimed: 0, released: 0, reassigned: 0, outOfRange: 0 });
    assert.deepEqual(first, second);
  });
});
