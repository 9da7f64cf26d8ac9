import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import {
  NAMESPACES,
  REQUEST_TIMEOUT_MS,
  assertCreatedMetadata,
  assertStatus,
  create,
  get,
  namespaceBody,
  names,
  serviceBody,
  servicesPath,
  type WireObject,
} from './http-fixtures.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

const portsOf = (service: WireObject): Array<[string | undefined, number, number | string | undefined]> =>
  ((service.spec?.ports ?? []) as ServicePort[]).map((p) => [p.name, p.port, p.targetPort]);

describe('services over HTTP', () => {
  let t: TestServer;
  let url: string;
  let count = 0;
  const freshNamespace = async (): Promise<string> => {
    const name = `svc-${++count}`;
    await create(url, NAMESPACES, namespaceBody(name));
    return name;
  };
  const patch = (path: string, contentType: string, body: unknown) =>
    request(url).patch(path).timeout(REQUEST_TIMEOUT_MS).set('Content-Type', contentType).send(JSON.stringify(body));
  const twoPorts = [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }];

  before(async () => {
    t = await startTestServer();
    url = t.url;
  });
  after(async () => {
    await t.close();
  });

  it('creates a service with server-set metadata and Kubernetes defaults', async () => {
    const ns = await freshNamespace();
    const service = await create(url, servicesPath(ns), serviceBody('web'));
    assertCreatedMetadata(service);
    assert.equal(service.metadata.namespace, ns);
    assert.equal(service.spec?.type, 'ClusterIP');
    assert.equal(((service.spec?.ports ?? []) as ServicePort[])[0]?.protocol, 'TCP');
    assert.deepEqual(await get(url, `${servicesPath(ns)}/web`), service);
  });

  it('names a service from generateName', async () => {
    const ns = await freshNamespace();
    const service = await create(url, servicesPath(ns), { metadata: { generateName: 'api-' }, spec: serviceBody('x').spec });
    assert.match(service.metadata.name ?? '', /^api-[a-z0-9]{5}$/);
  });

  it('lists services of every namespace at /api/v1/services, sorted by namespace then name', async () => {
    const second = await freshNamespace();
    const first = await freshNamespace();
    await create(url, servicesPath(second), { ...serviceBody('b'), metadata: { name: 'b', labels: { suite: 'all' } } });
    await create(url, servicesPath(first), { ...serviceBody('z'), metadata: { name: 'z', labels: { suite: 'all' } } });
    await create(url, servicesPath(first), { ...serviceBody('a'), metadata: { name: 'a', labels: { suite: 'all' } } });
    const response = await request(url).get('/api/v1/services').query({ labelSelector: 'suite=all' }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(response.status, 200);
    assert.equal(response.body.kind, 'ServiceList');
    const keys = (response.body.items as WireObject[]).map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    const expected = [`${first}/a`, `${first}/z`, `${second}/b`].sort((x, y) => x.localeCompare(y));
    assert.deepEqual(keys, expected);
    assert.match(response.body.metadata.resourceVersion, /^\d+$/);
  });

  it('bumps generation when ports change, and not when only labels change', async () => {
    const ns = await freshNamespace();
    const path = `${servicesPath(ns)}/web`;
    const created = await create(url, servicesPath(ns), serviceBody('web'));
    const relabelled = structuredClone(created);
    relabelled.metadata.labels = { tier: 'front' };
    const labelPut = await request(url).put(path).timeout(REQUEST_TIMEOUT_MS).send(relabelled);
    assert.equal(labelPut.status, 200, JSON.stringify(labelPut.body));
    assert.equal(labelPut.body.metadata.generation, 1);
    const respecced = structuredClone(labelPut.body as WireObject);
    (respecced.spec!.ports as ServicePort[])[0]!.port = 8000;
    const specPut = await request(url).put(path).timeout(REQUEST_TIMEOUT_MS).send(respecced);
    assert.equal(specPut.status, 200, JSON.stringify(specPut.body));
    assert.equal(specPut.body.metadata.generation, 2);
  });

  it('refuses a PUT carrying a stale resourceVersion with 409 Conflict', async () => {
    const ns = await freshNamespace();
    const path = `${servicesPath(ns)}/web`;
    const created = await create(url, servicesPath(ns), serviceBody('web'));
    const first = await patch(path, 'application/merge-patch+json', { metadata: { labels: { v: '2' } } });
    assert.equal(first.status, 200);
    const stale = await request(url).put(path).timeout(REQUEST_TIMEOUT_MS).send({ ...created, metadata: { ...created.metadata, labels: { v: 'stale' } } });
    const status = assertStatus(stale.body, 409, 'Conflict');
    assert.equal(status.message, 'Operation cannot be fulfilled on services "web": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('merge patch replaces the ports list whole', async () => {
    const ns = await freshNamespace();
    const path = `${servicesPath(ns)}/web`;
    await create(url, servicesPath(ns), serviceBody('web', twoPorts));
    const patched = await patch(path, 'application/merge-patch+json', { spec: { ports: [{ name: 'metrics', port: 9090, targetPort: 9090 }] } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(portsOf(patched.body as WireObject), [['metrics', 9090, 9090]]);
  });

  it('JSON patch appends a port with "/-" and removes one by index', async () => {
    const ns = await freshNamespace();
    const path = `${servicesPath(ns)}/web`;
    await create(url, servicesPath(ns), serviceBody('web', twoPorts));
    const patched = await patch(path, 'application/json-patch+json', [
      { op: 'add', path: '/spec/ports/-', value: { name: 'metrics', port: 9090, targetPort: 9090 } },
      { op: 'remove', path: '/spec/ports/0' },
    ]);
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(portsOf(patched.body as WireObject), [['https', 443, 8443], ['metrics', 9090, 9090]]);
  });

  it('strategic merge patch merges ports by port number: a named port is updated, a new one added, unnamed ones kept, and $setElementOrder/ports orders them', async () => {
    const ns = await freshNamespace();
    const path = `${servicesPath(ns)}/web`;
    await create(url, servicesPath(ns), serviceBody('web', twoPorts));
    // What kubectl apply sends after the manifest changed 443's targetPort and added 9090 in front.
    const patched = await patch(path, 'application/strategic-merge-patch+json', {
      spec: {
        '$setElementOrder/ports': [{ port: 9090 }, { port: 80 }, { port: 443 }],
        ports: [{ name: 'metrics', port: 9090, targetPort: 9090 }, { port: 443, targetPort: 9443 }],
      },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(portsOf(patched.body as WireObject), [['metrics', 9090, 9090], ['http', 80, 8080], ['https', 443, 9443]]);

    const removed = await patch(path, 'application/strategic-merge-patch+json', { spec: { ports: [{ port: 9090, $patch: 'delete' }] } });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.deepEqual(portsOf(removed.body as WireObject), [['http', 80, 8080], ['https', 443, 9443]]);
  });

  it('deletes a service and returns it', async () => {
    const ns = await freshNamespace();
    const path = `${servicesPath(ns)}/web`;
    const created = await create(url, servicesPath(ns), serviceBody('web'));
    const deleted = await request(url).delete(path).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.kind, 'Service');
    assert.equal(deleted.body.metadata.uid, created.metadata.uid);
    assert.deepEqual(await names(url, servicesPath(ns)), []);
  });
});
