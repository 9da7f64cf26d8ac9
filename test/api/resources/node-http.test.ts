import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { NODES, REQUEST_TIMEOUT_MS, assertCreatedMetadata, assertStatus, create, get, names, nodeBody, type WireObject } from './http-fixtures.js';

interface Condition {
  type: string;
  status: string;
}

const conditionsOf = (node: WireObject): Condition[] => (node.status?.conditions ?? []) as Condition[];

describe('nodes over HTTP', () => {
  let t: TestServer;
  let url: string;
  const patch = (path: string, contentType: string, body: unknown) =>
    request(url).patch(path).timeout(REQUEST_TIMEOUT_MS).set('Content-Type', contentType).send(JSON.stringify(body));

  before(async () => {
    t = await startTestServer();
    url = t.url;
  });
  after(async () => {
    await t.close();
  });

  it('creates a cluster-scoped node: no namespace, whatever the body says', async () => {
    const node = await create(url, NODES, { ...nodeBody('node-a', { zone: 'z1' }), metadata: { name: 'node-a', namespace: 'default', labels: { zone: 'z1' } } });
    assertCreatedMetadata(node);
    assert.equal(node.kind, 'Node');
    assert.equal(node.metadata.namespace, undefined);
    assert.deepEqual(await get(url, `${NODES}/node-a`), node);
    assert.ok((await names(url, NODES)).includes('node-a'));
  });

  it('lists nodes sorted by name', async () => {
    for (const name of ['sort-c', 'sort-a', 'sort-b']) await create(url, NODES, nodeBody(name, { suite: 'sorting' }));
    assert.deepEqual(await names(url, NODES, { labelSelector: 'suite=sorting' }), ['sort-a', 'sort-b', 'sort-c']);
  });

  it('a write to /status changes only the status', async () => {
    await create(url, NODES, nodeBody('node-status'));
    const path = `${NODES}/node-status`;
    const patched = await patch(`${path}/status`, 'application/strategic-merge-patch+json', {
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(conditionsOf(patched.body as WireObject).map((c) => [c.type, c.status]), [['Ready', 'True']]);
    assert.equal(patched.body.spec.unschedulable, undefined, 'spec is not writable through /status');
    assert.equal(patched.body.metadata.generation, 1);

    const current = await get(url, path);
    const body = structuredClone(current);
    body.status = { conditions: [{ type: 'Ready', status: 'False' }] };
    body.spec = { ...body.spec, unschedulable: true };
    const put = await request(url).put(`${path}/status`).timeout(REQUEST_TIMEOUT_MS).send(body);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(conditionsOf(put.body as WireObject).map((c) => [c.type, c.status]), [['Ready', 'False']]);
    assert.equal(put.body.spec.unschedulable, undefined);
  });

  it('a write to the main resource leaves the status alone (kubectl cordon)', async () => {
    await create(url, NODES, nodeBody('node-cordon'));
    const path = `${NODES}/node-cordon`;
    const ready = await patch(`${path}/status`, 'application/merge-patch+json', { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    const cordoned = await patch(path, 'application/strategic-merge-patch+json', {
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
    });
    assert.equal(cordoned.status, 200, JSON.stringify(cordoned.body));
    assert.equal(cordoned.body.spec.unschedulable, true);
    assert.equal(cordoned.body.metadata.generation, 2, 'a spec change bumps generation');
    assert.deepEqual(conditionsOf(cordoned.body as WireObject).map((c) => [c.type, c.status]), [['Ready', 'True']]);
  });

  it('deletes a node and returns it', async () => {
    const created = await create(url, NODES, nodeBody('node-gone'));
    const deleted = await request(url).delete(`${NODES}/node-gone`).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.metadata.uid, created.metadata.uid);
    assertStatus((await request(url).get(`${NODES}/node-gone`).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
  });
});
