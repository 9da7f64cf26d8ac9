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
  list,
  namespaceBody,
  names,
  podBody,
  podsPath,
  type WireObject,
} from './http-fixtures.js';

interface Container {
  name: string;
  image: string;
}

const containersOf = (pod: WireObject): Container[] => (pod.spec?.containers ?? []) as Container[];

describe('pods over HTTP', () => {
  let t: TestServer;
  let url: string;
  let namespaceCount = 0;
  /** A fresh namespace per test, so tests never see each other's pods. */
  const freshNamespace = async (): Promise<string> => {
    const name = `pods-${++namespaceCount}`;
    await create(url, NAMESPACES, namespaceBody(name));
    return name;
  };
  const put = (path: string, body: unknown) => request(url).put(path).timeout(REQUEST_TIMEOUT_MS).send(body as object);
  const patch = (path: string, contentType: string, body: unknown) =>
    request(url).patch(path).timeout(REQUEST_TIMEOUT_MS).set('Content-Type', contentType).send(JSON.stringify(body));

  before(async () => {
    t = await startTestServer();
    url = t.url;
  });
  after(async () => {
    await t.close();
  });

  it('creates a pod with uid, creationTimestamp, resourceVersion, generation 1 and the namespace of the URL', async () => {
    const ns = await freshNamespace();
    const pod = await create(url, podsPath(ns), podBody('web', { labels: { app: 'web' } }));
    assertCreatedMetadata(pod);
    assert.equal(pod.metadata.name, 'web');
    assert.equal(pod.metadata.namespace, ns);
    assert.deepEqual(pod.metadata.labels, { app: 'web' });
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.apiVersion, 'v1');
    assert.deepEqual(await get(url, `${podsPath(ns)}/web`), pod);
  });

  it('names a pod from generateName with five random characters, differently each time', async () => {
    const ns = await freshNamespace();
    const body = { metadata: { generateName: 'worker-' }, spec: podBody('x').spec };
    const first = await create(url, podsPath(ns), body);
    const second = await create(url, podsPath(ns), body);
    assert.match(first.metadata.name ?? '', /^worker-[a-z0-9]{5}$/);
    assert.match(second.metadata.name ?? '', /^worker-[a-z0-9]{5}$/);
    assert.notEqual(first.metadata.name, second.metadata.name);
    assert.equal(first.metadata.generateName, 'worker-');
    assert.equal((await get(url, `${podsPath(ns)}/${first.metadata.name}`)).metadata.uid, first.metadata.uid);
  });

  it('lists pods sorted by namespace then name, with the list resourceVersion at the latest write', async () => {
    // Created out of order, so the order of the list cannot be insertion order.
    await create(url, NAMESPACES, namespaceBody('order-b'));
    await create(url, NAMESPACES, namespaceBody('order-a'));
    const labels = { suite: 'ordering' };
    for (const [ns, name] of [['order-b', 'zeta'], ['order-a', 'mu'], ['order-b', 'alpha'], ['order-a', 'omega'], ['order-a', 'beta']] as const) {
      await create(url, podsPath(ns), podBody(name, { labels }));
    }
    const all = await list(url, '/api/v1/pods', { labelSelector: 'suite=ordering' });
    assert.equal(all.kind, 'PodList');
    assert.equal(all.apiVersion, 'v1');
    assert.deepEqual(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`), [
      'order-a/beta', 'order-a/mu', 'order-a/omega', 'order-b/alpha', 'order-b/zeta',
    ]);
    const newest = Math.max(...all.items.map((p) => Number(p.metadata.resourceVersion)));
    assert.equal(Number(all.metadata.resourceVersion), newest, 'no write happened after the last create');
    assert.deepEqual(await names(url, podsPath('order-a')), ['beta', 'mu', 'omega']);
  });

  it('updates with PUT at the current resourceVersion and refuses a stale one with 409 Conflict', async () => {
    const ns = await freshNamespace();
    const created = await create(url, podsPath(ns), podBody('web'));
    const path = `${podsPath(ns)}/web`;
    const changed = structuredClone(created);
    containersOf(changed)[0]!.image = 'nginx:1.28';
    const updated = await put(path, changed);
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(containersOf(updated.body as WireObject)[0]!.image, 'nginx:1.28');
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    assert.equal(updated.body.metadata.uid, created.metadata.uid);
    assert.equal(updated.body.metadata.creationTimestamp, created.metadata.creationTimestamp);

    const stale = structuredClone(created);
    containersOf(stale)[0]!.image = 'nginx:1.29';
    const conflict = await put(path, stale);
    const status = assertStatus(conflict.body, 409, 'Conflict');
    assert.equal(status.message, 'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again');
    assert.equal(containersOf(await get(url, path))[0]!.image, 'nginx:1.28', 'the stale write changed nothing');
  });

  it('keeps the resourceVersion when a PUT changes nothing', async () => {
    const ns = await freshNamespace();
    const created = await create(url, podsPath(ns), podBody('web'));
    const before = await list(url, '/api/v1/pods');
    const same = await put(`${podsPath(ns)}/web`, created);
    assert.equal(same.status, 200);
    assert.equal(same.body.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal((await list(url, '/api/v1/pods')).metadata.resourceVersion, before.metadata.resourceVersion, 'no revision was spent');
  });

  it('bumps generation when the spec changes, and not for labels or annotations', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    const created = await create(url, podsPath(ns), podBody('web'));
    const relabelled = await patch(path, 'application/merge-patch+json', { metadata: { labels: { tier: 'front' }, annotations: { note: 'hi' } } });
    assert.equal(relabelled.status, 200, JSON.stringify(relabelled.body));
    assert.equal(relabelled.body.metadata.generation, 1);
    assert.notEqual(relabelled.body.metadata.resourceVersion, created.metadata.resourceVersion);
    const respecced = await patch(path, 'application/merge-patch+json', { spec: { activeDeadlineSeconds: 600 } });
    assert.equal(respecced.status, 200, JSON.stringify(respecced.body));
    assert.equal(respecced.body.metadata.generation, 2);
  });

  it('merge patch (application/merge-patch+json) sets and removes map keys with null, and replaces lists whole', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    await create(url, podsPath(ns), podBody('web', { labels: { app: 'web', old: 'yes' } }));
    const patched = await patch(path, 'application/merge-patch+json', {
      metadata: { labels: { old: null, tier: 'front' } },
      spec: { tolerations: [{ key: 'a', operator: 'Exists' }] },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.metadata.labels, { app: 'web', tier: 'front' });
    const replaced = await patch(path, 'application/merge-patch+json', { spec: { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }] } });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual((replaced.body.spec.tolerations as Array<{ key: string }>).map((x) => x.key), ['a', 'b']);
    assert.deepEqual(await get(url, path).then((p) => p.metadata.labels), { app: 'web', tier: 'front' });
  });

  it('JSON patch (application/json-patch+json) applies operations in order, addressing list items by index', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    await create(url, podsPath(ns), podBody('web', { labels: { app: 'web' } }));
    const patched = await patch(path, 'application/json-patch+json', [
      { op: 'test', path: '/metadata/labels/app', value: 'web' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.28' },
      { op: 'add', path: '/metadata/labels/track', value: 'stable' },
      { op: 'remove', path: '/metadata/labels/app' },
    ]);
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(containersOf(patched.body as WireObject)[0]!.image, 'nginx:1.28');
    assert.deepEqual(patched.body.metadata.labels, { track: 'stable' });
    assert.equal(patched.body.metadata.generation, 2);
  });

  it('strategic merge patch merges containers by name: the named container changes, the others stay, and $setElementOrder (as kubectl sends it) fixes the order', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    await create(url, podsPath(ns), podBody('web', {
      containers: [{ name: 'app', image: 'app:1' }, { name: 'sidecar', image: 'envoy:1' }],
    }));
    // The body kubectl apply computes when only the sidecar image changed.
    const patched = await patch(path, 'application/strategic-merge-patch+json', {
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
        containers: [{ name: 'sidecar', image: 'envoy:2' }],
      },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(containersOf(patched.body as WireObject).map((c) => [c.name, c.image]), [['app', 'app:1'], ['sidecar', 'envoy:2']]);
    assert.equal(JSON.stringify(patched.body).includes('$setElementOrder'), false, 'directives are never stored');
  });

  it('deletes a pod bound to a node gracefully: marked with its grace period, removed by a delete with grace period 0', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    const created = await create(url, podsPath(ns), podBody('web'));
    assert.ok(created.spec?.nodeName, 'the pod is bound to a node');
    const deleted = await request(url).delete(path).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal(deleted.body.kind, 'Pod');
    assert.equal(deleted.body.metadata.uid, created.metadata.uid);
    assert.equal(deleted.body.metadata.deletionGracePeriodSeconds, 30, 'the pod spec terminationGracePeriodSeconds');
    const due = Date.parse(deleted.body.metadata.deletionTimestamp);
    assert.ok(due > Date.now() + 20_000, `deletionTimestamp ${deleted.body.metadata.deletionTimestamp} is about 30 s ahead`);
    assert.equal((await request(url).get(path).timeout(REQUEST_TIMEOUT_MS)).body.metadata.deletionGracePeriodSeconds, 30);

    const longer = await request(url).delete(path).send({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 60 }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(longer.body.metadata.deletionGracePeriodSeconds, 30, 'a second delete may only shorten the grace period');
    const shorter = await request(url).delete(path).query({ gracePeriodSeconds: '5' }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(shorter.body.metadata.deletionGracePeriodSeconds, 5);

    const forced = await request(url).delete(path).query({ gracePeriodSeconds: '0' }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    assertStatus((await request(url).get(path).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
    assertStatus((await request(url).delete(path).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
  });

  it('removes a pod at once when no node runs it, or when the request gives grace period 0', async () => {
    const ns = await freshNamespace();
    const unbound = await create(url, podsPath(ns), { ...podBody('unbound'), spec: { ...podBody('unbound').spec, nodeName: undefined } });
    if (!unbound.spec?.nodeName) {
      assert.equal((await request(url).delete(`${podsPath(ns)}/unbound`).timeout(REQUEST_TIMEOUT_MS)).status, 200);
      assertStatus((await request(url).get(`${podsPath(ns)}/unbound`).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
    }
    await create(url, podsPath(ns), podBody('forced'));
    const forced = await request(url).delete(`${podsPath(ns)}/forced`).send({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
    assertStatus((await request(url).get(`${podsPath(ns)}/forced`).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
    assertStatus((await request(url).delete(`${podsPath(ns)}/forced`).query({ gracePeriodSeconds: 'soon' }).timeout(REQUEST_TIMEOUT_MS)).body, 400, 'BadRequest');
  });

  it('deletes the collection of pods a label selector picks, and only those', async () => {
    const ns = await freshNamespace();
    const other = await freshNamespace();
    for (const name of ['a1', 'a2', 'a3']) await create(url, podsPath(ns), podBody(name, { labels: { batch: 'a' } }));
    for (const name of ['b1', 'b2']) await create(url, podsPath(ns), podBody(name, { labels: { batch: 'b' } }));
    await create(url, podsPath(other), podBody('a-elsewhere', { labels: { batch: 'a' } }));
    const response = await request(url).delete(podsPath(ns)).query({ labelSelector: 'batch=a' }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.kind, 'PodList');
    assert.deepEqual((response.body.items as WireObject[]).map((p) => p.metadata.name).sort(), ['a1', 'a2', 'a3']);
    assert.deepEqual(await names(url, podsPath(ns)), ['b1', 'b2']);
    assert.deepEqual(await names(url, podsPath(other)), ['a-elsewhere'], 'another namespace is untouched');
  });

  it('a write to /status changes only the status', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    const created = await create(url, podsPath(ns), podBody('web', { labels: { app: 'web' } }));
    const body = structuredClone(created);
    body.status = { phase: 'Running', podIP: '10.244.1.7' };
    containersOf(body)[0]!.image = 'evil:1';
    body.metadata.labels = { app: 'changed' };
    const written = await put(`${path}/status`, body);
    assert.equal(written.status, 200, JSON.stringify(written.body));
    assert.equal(written.body.status.phase, 'Running');
    assert.equal(written.body.status.podIP, '10.244.1.7');
    assert.equal(containersOf(written.body as WireObject)[0]!.image, 'nginx:1.27', 'spec is not writable through /status');
    assert.equal(written.body.metadata.generation, 1);

    const patched = await patch(`${path}/status`, 'application/merge-patch+json', { status: { phase: 'Succeeded' }, spec: { activeDeadlineSeconds: 5 } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.status.phase, 'Succeeded');
    assert.equal(patched.body.spec.activeDeadlineSeconds, undefined);
    const read = await request(url).get(`${path}/status`).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(read.status, 200);
    assert.equal(read.body.status.phase, 'Succeeded');
  });

  it('a write to the main resource leaves the status alone', async () => {
    const ns = await freshNamespace();
    const path = `${podsPath(ns)}/web`;
    await create(url, podsPath(ns), podBody('web'));
    const running = await patch(`${path}/status`, 'application/merge-patch+json', { status: { phase: 'Running' } });
    assert.equal(running.status, 200, JSON.stringify(running.body));
    const body = structuredClone(running.body as WireObject);
    body.status = { phase: 'Failed', message: 'forged' };
    containersOf(body)[0]!.image = 'nginx:1.28';
    const written = await put(path, body);
    assert.equal(written.status, 200, JSON.stringify(written.body));
    assert.equal(containersOf(written.body as WireObject)[0]!.image, 'nginx:1.28');
    assert.equal(written.body.status.phase, 'Running');
    assert.equal(written.body.status.message, undefined);
    const patched = await patch(path, 'application/merge-patch+json', { status: { phase: 'Failed' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.status.phase, 'Running');
  });

  it('creating a pod that exists is refused with 409 AlreadyExists', async () => {
    const ns = await freshNamespace();
    await create(url, podsPath(ns), podBody('web'));
    const again = await request(url).post(podsPath(ns)).timeout(REQUEST_TIMEOUT_MS).send(podBody('web'));
    const status = assertStatus(again.body, 409, 'AlreadyExists');
    assert.equal(status.message, 'pods "web" already exists');
  });
});
