import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiStatusError } from '../../../clients/client/api-status-error.js';
import { KubeClient } from '../../../clients/client/client.js';
import { leases, namespaces, pods, services } from '../../../clients/client/resources.js';
import type { Pod, Service } from '../../../clients/client/types.js';
import { ServerProcess } from '../../support/server-process.js';

function podSpec(name: string, labels: Record<string, string> = {}): Pod {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } };
}

async function rejectsWithStatus(promise: Promise<unknown>, code: number, reason: string): Promise<ApiStatusError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return error instanceof ApiStatusError && error.code === code && error.reason === reason;
  });
  return caught as ApiStatusError;
}

describe('KubeClient against a real server', () => {
  let server: ServerProcess;
  let client: KubeClient;
  const ns = 'crud';

  before(async () => {
    server = await ServerProcess.start();
    client = new KubeClient({ server: server.url });
    await client.create(namespaces, { metadata: { name: ns } });
  });
  after(async () => {
    await client?.close();
    await server?.stop();
  });

  it('creates and gets an object, with server-set metadata', async () => {
    const created = await client.create(pods, podSpec('alpha', { app: 'web' }), { namespace: ns });
    assert.equal(created.kind, 'Pod');
    assert.equal(created.metadata.namespace, ns);
    assert.ok(created.metadata.uid);
    assert.ok(created.metadata.resourceVersion);
    assert.ok(created.metadata.creationTimestamp);
    const fetched = await client.get(pods, 'alpha', { namespace: ns });
    assert.equal(fetched.metadata.uid, created.metadata.uid);
  });

  it('takes the namespace from the object when none is passed', async () => {
    const created = await client.create(pods, { ...podSpec('from-body'), metadata: { name: 'from-body', namespace: ns } });
    assert.equal(created.metadata.namespace, ns);
  });

  it('throws ApiStatusError NotFound with the Kubernetes message for a missing object', async () => {
    const error = await rejectsWithStatus(client.get(pods, 'missing', { namespace: ns }), 404, 'NotFound');
    assert.equal(error.message, 'pods "missing" not found');
    assert.equal(error.status.kind, 'Status');
  });

  it('throws AlreadyExists for a duplicate name', async () => {
    await client.create(pods, podSpec('dup'), { namespace: ns });
    await rejectsWithStatus(client.create(pods, podSpec('dup'), { namespace: ns }), 409, 'AlreadyExists');
  });

  it('throws Invalid (422) with field causes for an invalid object', async () => {
    const error = await rejectsWithStatus(client.create(pods, podSpec('Not_A_Valid_Name'), { namespace: ns }), 422, 'Invalid');
    assert.ok((error.status.details?.causes?.length ?? 0) > 0);
  });

  // Leases: no controller writes to them, so the only writer is the test.
  it('updates with PUT and rejects a stale resourceVersion with Conflict', async () => {
    const created = await client.create(leases, { metadata: { name: 'upd', labels: { v: '1' } }, spec: { holderIdentity: 'a' } }, { namespace: ns });
    const updated = await client.update(leases, { ...created, spec: { holderIdentity: 'b' } });
    assert.equal(updated.spec?.holderIdentity, 'b');
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
    await rejectsWithStatus(client.update(leases, { ...created, spec: { holderIdentity: 'c' } }), 409, 'Conflict');
  });

  it('patches with merge, JSON and strategic-merge patches', async () => {
    await client.create(pods, podSpec('pat', { a: '1' }), { namespace: ns });
    const merged = await client.patch(pods, 'pat', { metadata: { labels: { b: '2' } } }, { namespace: ns, type: 'merge' });
    assert.deepEqual(merged.metadata.labels, { a: '1', b: '2' });
    const jsonPatched = await client.patch(pods, 'pat', [{ op: 'remove', path: '/metadata/labels/a' }], { namespace: ns, type: 'json' });
    assert.deepEqual(jsonPatched.metadata.labels, { b: '2' });
    const strategic = await client.patch(pods, 'pat', { metadata: { annotations: { note: 'x' } } }, { namespace: ns, type: 'strategic' });
    assert.equal(strategic.metadata.annotations?.note, 'x');
    assert.deepEqual(strategic.metadata.labels, { b: '2' });
  });

  it('refuses a json patch that is not an operation array before sending it', async () => {
    await assert.rejects(client.patch(pods, 'pat', { op: 'add' }, { namespace: ns, type: 'json' }), TypeError);
  });

  it('writes status through the status subresource', async () => {
    const created = await client.create(services, { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }, { namespace: ns });
    const withStatus = await client.updateStatus(services, { ...created, status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } });
    assert.equal(withStatus.status?.loadBalancer?.ingress?.[0]?.ip, '192.0.2.10');
    assert.equal((await client.get(services, 'lb', { namespace: ns })).status?.loadBalancer?.ingress?.[0]?.ip, '192.0.2.10');
  });

  it('deletes an object so that a get then fails with NotFound', async () => {
    await client.create(services, { metadata: { name: 'doomed' }, spec: { ports: [{ port: 80 }] } } satisfies Service, { namespace: ns });
    await client.delete(services, 'doomed', { namespace: ns });
    await rejectsWithStatus(client.get(services, 'doomed', { namespace: ns }), 404, 'NotFound');
  });

  it('lists with label and field selectors, across namespaces too', async () => {
    await client.create(pods, podSpec('sel-a', { tier: 'front', sel: 'yes' }), { namespace: ns });
    await client.create(pods, podSpec('sel-b', { tier: 'back', sel: 'yes' }), { namespace: ns });
    const front = await client.list(pods, { namespace: ns, labelSelector: 'sel=yes,tier in (front)' });
    assert.deepEqual(front.items.map((p) => p.metadata.name), ['sel-a']);
    assert.ok(front.metadata.resourceVersion);
    const byName = await client.list(pods, { namespace: ns, fieldSelector: 'metadata.name=sel-b' });
    assert.deepEqual(byName.items.map((p) => p.metadata.name), ['sel-b']);
    const everywhere = await client.list(pods, { labelSelector: 'sel=yes' });
    assert.deepEqual(everywhere.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort(), [`${ns}/sel-a`, `${ns}/sel-b`]);
  });

  it('pages with limit and continue, and listAll follows every page in order', async () => {
    const pageNs = 'paging';
    await client.create(namespaces, { metadata: { name: pageNs } });
    const names = Array.from({ length: 7 }, (_, i) => `p${i}`);
    for (const name of names) await client.create(pods, podSpec(name), { namespace: pageNs });
    const first = await client.list(pods, { namespace: pageNs, limit: 3 });
    assert.equal(first.items.length, 3);
    assert.ok(first.metadata.continue, 'a continue token on a partial page');
    const second = await client.list(pods, { namespace: pageNs, limit: 3, continue: first.metadata.continue });
    assert.equal(second.items.length, 3);
    const all = await client.listAll(pods, { namespace: pageNs, limit: 2 });
    assert.deepEqual(all.items.map((p) => p.metadata.name), names);
    assert.equal(all.metadata.continue, undefined);
    assert.ok(all.metadata.resourceVersion);
  });
});
