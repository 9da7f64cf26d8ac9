import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../../support/test-server.js';
import {
  ClusterClient,
  endpointAddresses,
  ns,
  podBody,
  podStatus,
  same,
  serviceBody,
  sliceEndpoints,
  type WireObject,
} from '../cluster-client.js';

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';
const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

describe('endpoints and EndpointSlices over HTTP', () => {
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

  /** A fresh namespace per test, so tests cannot see each other's objects. */
  async function namespace(): Promise<ReturnType<typeof ns>> {
    const name = `t${++counter}`;
    await api.create('/api/v1/namespaces', { metadata: { name } });
    return ns(name);
  }

  /** A pod on node-a (no such Node: the scheduler leaves it alone) reporting `ip`. */
  async function runningPod(paths: ReturnType<typeof ns>, name: string, ip: string, options: { labels?: Record<string, string>; ready?: boolean; ports?: Array<{ name?: string; containerPort: number }> } = {}): Promise<void> {
    await api.create(paths.pods, podBody(name, { node: 'node-a', labels: options.labels, ports: options.ports }));
    await api.patch(`${paths.pod(name)}/status`, podStatus(ip, options.ready ?? true));
  }

  const endpointsOf = (paths: ReturnType<typeof ns>, service: string) => async () => endpointAddresses(await api.get(paths.endpoints(service)));
  const slicesOf = (paths: ReturnType<typeof ns>, service: string) => async () => sliceEndpoints(await api.list(paths.slices(service)));

  it('lists ready and not-ready pods with an IP, and leaves out pods without one', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web'));
    await runningPod(p, 'a', '10.244.1.5');
    await runningPod(p, 'b', '10.244.1.6', { ready: false });
    await api.create(p.pods, podBody('c', { node: 'node-a' }));
    await api.waitFor('endpoints', endpointsOf(p, 'web'), (v) => same(v, ['10.244.1.5:8080', '10.244.1.6:8080 (not ready)']));
    await api.waitFor('slices', slicesOf(p, 'web'), (v) => same(v, ['10.244.1.5', '10.244.1.6 (not ready)']));

    const endpoints = (await api.get(p.endpoints('web')))!;
    assert.match(endpoints.metadata.annotations?.[TRIGGER] ?? '', RFC3339_NANO);
    const subset = (endpoints.subsets as Array<{ addresses: Array<Record<string, unknown>> }>)[0]!;
    assert.deepEqual(subset.addresses[0], { ip: '10.244.1.5', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: p.pods.split('/')[4], name: 'a', uid: (await api.get(p.pod('a')))!.metadata.uid } });

    const [slice] = await api.list(p.slices('web'));
    const svc = (await api.get(p.service('web')))!;
    assert.equal(slice!.apiVersion, 'discovery.k8s.io/v1');
    assert.equal(slice!.addressType, 'IPv4');
    assert.match(slice!.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
    assert.equal(slice!.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.deepEqual(slice!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.match(slice!.metadata.annotations?.[TRIGGER] ?? '', RFC3339_NANO);
    assert.deepEqual(slice!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const endpoint = (slice!.endpoints as Array<Record<string, unknown>>).find((e) => (e.addresses as string[])[0] === '10.244.1.6')!;
    assert.deepEqual(endpoint.conditions, { ready: false, serving: false, terminating: false });
    assert.equal(endpoint.nodeName, 'node-a');
    assert.deepEqual(endpoint.targetRef, { kind: 'Pod', namespace: slice!.metadata.namespace, name: 'b', uid: (await api.get(p.pod('b')))!.metadata.uid });
  });

  it('follows a pod’s readiness, address and deletion, and moves the trigger time', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web'));
    await runningPod(p, 'a', '10.244.2.5');
    await api.waitFor('ready endpoint', slicesOf(p, 'web'), (v) => same(v, ['10.244.2.5']));
    const firstTrigger = (await api.get(p.endpoints('web')))!.metadata.annotations?.[TRIGGER];

    const beforeChange = Date.now();
    await api.patch(`${p.pod('a')}/status`, podStatus('10.244.2.5', false));
    await api.waitFor('not ready', endpointsOf(p, 'web'), (v) => same(v, ['10.244.2.5:8080 (not ready)']));
    await api.waitFor('not ready slice', slicesOf(p, 'web'), (v) => same(v, ['10.244.2.5 (not ready)']));
    const trigger = (await api.get(p.endpoints('web')))!.metadata.annotations?.[TRIGGER] ?? '';
    assert.notEqual(trigger, firstTrigger);
    assert.ok(Date.parse(trigger) >= beforeChange - 1, `${trigger} is before the change at ${new Date(beforeChange).toISOString()}`);

    await api.patch(`${p.pod('a')}/status`, podStatus('10.244.2.9', true));
    await api.waitFor('new address', endpointsOf(p, 'web'), (v) => same(v, ['10.244.2.9:8080']));
    await api.waitFor('new address slice', slicesOf(p, 'web'), (v) => same(v, ['10.244.2.9']));

    // A graceful delete: Endpoints drop the pod at once, the slice keeps it as terminating (serving from its readiness).
    await api.delete(p.pod('a'));
    await api.waitFor('empty endpoints', endpointsOf(p, 'web'), (v) => v.length === 0);
    const terminating = await api.waitFor('terminating slice endpoint', () => api.list(p.slices('web')), (v) =>
      v.some((slice) => ((slice.endpoints as Array<{ conditions: { terminating?: boolean } }> | undefined) ?? []).some((e) => e.conditions.terminating === true)));
    const endpoint = (terminating.flatMap((slice) => (slice.endpoints as Array<{ addresses: string[]; conditions: Record<string, boolean> }> | undefined) ?? []))[0];
    assert.deepEqual(endpoint?.conditions, { ready: false, serving: true, terminating: true });
    // The kubelet's final delete.
    await api.delete(`${p.pod('a')}?gracePeriodSeconds=0`);
    // The last endpoint gone, an empty placeholder slice remains, as upstream keeps one.
    const slices = await api.waitFor('placeholder', () => api.list(p.slices('web')), (v) => v.length === 1 && sliceEndpoints(v).length === 0);
    assert.deepEqual(slices[0]!.endpoints, []);
  });

  it('moves endpoints between Services when pod labels or selectors change', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('blue', { selector: { app: 'blue' } }));
    await api.create(p.services, serviceBody('green', { selector: { app: 'green' } }));
    await runningPod(p, 'a', '10.244.3.5', { labels: { app: 'blue' } });
    await runningPod(p, 'b', '10.244.3.6', { labels: { app: 'green' } });
    await api.waitFor('blue', slicesOf(p, 'blue'), (v) => same(v, ['10.244.3.5']));
    await api.waitFor('green', slicesOf(p, 'green'), (v) => same(v, ['10.244.3.6']));

    await api.patch(p.pod('a'), { metadata: { labels: { app: 'green' } } });
    await api.waitFor('blue emptied', endpointsOf(p, 'blue'), (v) => v.length === 0);
    await api.waitFor('green gained', endpointsOf(p, 'green'), (v) => same(v, ['10.244.3.5:8080', '10.244.3.6:8080']));
    await api.waitFor('green slices', slicesOf(p, 'green'), (v) => same(v, ['10.244.3.5', '10.244.3.6']));
    await api.waitFor('blue slices', slicesOf(p, 'blue'), (v) => v.length === 0);

    await api.patch(p.service('blue'), { spec: { selector: { app: 'green' } } });
    await api.waitFor('blue follows its selector', slicesOf(p, 'blue'), (v) => same(v, ['10.244.3.5', '10.244.3.6']));
    await api.patch(p.service('green'), { spec: { selector: { app: 'nothing' } } });
    await api.waitFor('green selects nothing', endpointsOf(p, 'green'), (v) => v.length === 0);
    await api.waitFor('green slices empty', slicesOf(p, 'green'), (v) => v.length === 0);
  });

  it('resolves a named targetPort per pod', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] }));
    await runningPod(p, 'a', '10.244.4.5', { ports: [{ name: 'web', containerPort: 8080 }] });
    await runningPod(p, 'b', '10.244.4.6', { ports: [{ name: 'web', containerPort: 9090 }] });
    await runningPod(p, 'c', '10.244.4.7', { ports: [{ name: 'other', containerPort: 7070 }] });
    await api.waitFor('endpoints', endpointsOf(p, 'web'), (v) => same(v, ['10.244.4.5:8080', '10.244.4.6:9090']));
    const slices = await api.waitFor('slices', () => api.list(p.slices('web')), (v) => sliceEndpoints(v).length === 3);
    const byPort = slices.map((s) => [((s.ports as Array<{ port: number }>)[0])?.port ?? null, sliceEndpoints([s])]).sort();
    // The pod without the named port offers no port of this Service: upstream gives it a slice without ports.
    assert.deepEqual(byPort, [[8080, ['10.244.4.5']], [9090, ['10.244.4.6']], [null, ['10.244.4.7']]].sort());

    await api.patch(p.service('web'), { spec: { ports: [{ name: 'http', port: 80, targetPort: 7070 }] } });
    await api.waitFor('numeric target port', endpointsOf(p, 'web'), (v) => same(v, ['10.244.4.5:7070', '10.244.4.6:7070', '10.244.4.7:7070']));
  });

  it('publishes not-ready addresses as ready when the Service asks for it', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web', { publishNotReadyAddresses: true }));
    await runningPod(p, 'a', '10.244.5.5', { ready: false });
    await api.waitFor('endpoints', endpointsOf(p, 'web'), (v) => same(v, ['10.244.5.5:8080']));
    const slices = await api.waitFor('slices', slicesOf(p, 'web'), (v) => same(v, ['10.244.5.5']));
    assert.ok(slices);
  });

  it('splits more than 100 endpoints over two slices', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('big'));
    for (let i = 0; i < 101; i++) await runningPod(p, `p${i}`, `10.244.6.${i + 2}`);
    const slices = await api.waitFor('two slices', () => api.list(p.slices('big')), (v) => sliceEndpoints(v).length === 101);
    assert.deepEqual(slices.map((s) => (s.endpoints as unknown[]).length).sort((a, b) => a - b), [1, 100]);
    const endpoints = await api.waitFor('endpoints', endpointsOf(p, 'big'), (v) => v.length === 101);
    assert.equal(endpoints.length, 101);
  });

  it('deletes the Endpoints and slices with their Service', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web'));
    await runningPod(p, 'a', '10.244.7.5');
    await api.waitFor('slices', slicesOf(p, 'web'), (v) => same(v, ['10.244.7.5']));
    await api.waitFor('endpoints', endpointsOf(p, 'web'), (v) => v.length === 1);
    await api.delete(p.service('web'));
    // Gone in the Service's own delete transaction, not some time later.
    assert.equal(await api.get(p.endpoints('web')), undefined);
    assert.deepEqual(await api.list(p.slices('web')), []);
  });

  it('leaves the Endpoints of a Service without a selector to their user', async () => {
    const p = await namespace();
    await api.create(p.services, { metadata: { name: 'external' }, spec: { ports: [{ port: 80 }] } });
    const manual = await api.put(p.endpoints('external'), {
      metadata: { name: 'external' },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 80 }] }],
    });
    await runningPod(p, 'a', '10.244.8.5');
    // A selecting Service served after the manual write shows the controllers have looked at this namespace.
    await api.create(p.services, serviceBody('web'));
    await api.waitFor('web endpoints', endpointsOf(p, 'web'), (v) => same(v, ['10.244.8.5:8080']));
    await api.waitFor('web slices', slicesOf(p, 'web'), (v) => v.length === 1);
    const after = (await api.get(p.endpoints('external')))!;
    assert.equal(after.metadata.resourceVersion, manual.metadata.resourceVersion);
    assert.equal(after.metadata.annotations?.[TRIGGER], undefined);
    assert.deepEqual(await api.list(p.slices('external')), []);
  });

  it('restores Endpoints and slices someone else changed or deleted', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web'));
    await runningPod(p, 'a', '10.244.9.5');
    const [slice] = await api.waitFor('slices', () => api.list(p.slices('web')), (v) => same(sliceEndpoints(v), ['10.244.9.5']));
    await api.delete(`${p.slicesList}/${slice!.metadata.name}`);
    await api.waitFor('slice restored', slicesOf(p, 'web'), (v) => same(v, ['10.244.9.5']));
    await api.waitFor('endpoints', endpointsOf(p, 'web'), (v) => v.length === 1);
    await api.put(p.endpoints('web'), { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 1 }] }] });
    await api.waitFor('endpoints restored', endpointsOf(p, 'web'), (v) => same(v, ['10.244.9.5:8080']));
  });

  it('gives an ExternalName Service no endpoints, and removes them when a Service turns into one', async () => {
    const p = await namespace();
    await api.create(p.services, serviceBody('web'));
    await runningPod(p, 'a', '10.244.10.5');
    await api.waitFor('slices', slicesOf(p, 'web'), (v) => v.length === 1);
    const response = await api.request('PATCH', p.service('web'), { spec: { type: 'ExternalName', externalName: 'example.com', clusterIP: null, clusterIPs: null, ipFamilies: null, ipFamilyPolicy: null } }, 'application/merge-patch+json');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    await api.waitFor('slices removed', () => api.list(p.slices('web')), (v) => v.length === 0);
  });
});
