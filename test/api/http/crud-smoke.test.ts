import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import {
  NAMESPACES,
  NODES,
  REQUEST_TIMEOUT_MS,
  assertCreatedMetadata,
  assertStatus,
  create,
  get,
  list,
  namespaceBody,
  names,
  nodeBody,
  podBody,
  podsPath,
  serviceBody,
  servicesPath,
} from '../resources/http-fixtures.js';

// The same create/get/list/delete round trip for every kind, once on a SQLite
// file and once on ':memory:', so neither backend configuration is untested.
for (const backend of ['file', 'memory'] as const) {
  describe(`CRUD smoke on a ${backend === 'file' ? 'SQLite file' : ':memory: database'}`, () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ memory: backend === 'memory' });
    });
    after(async () => {
      await t.close();
    });

    it(backend === 'file' ? 'keeps its data in the file it was given' : 'runs with no file at all', () => {
      if (backend === 'file') assert.ok(existsSync(t.dataPath), `${t.dataPath} exists`);
      else assert.equal(t.dataPath, ':memory:');
    });

    it('starts with the default and kube-system namespaces', async () => {
      const present = await names(t.url, NAMESPACES);
      assert.ok(present.includes('default'), present.join(','));
      assert.ok(present.includes('kube-system'), present.join(','));
    });

    it('creates, reads, lists and deletes a namespace, a node, a pod and a service', async () => {
      const created = [
        { path: NAMESPACES, item: `${NAMESPACES}/smoke`, body: namespaceBody('smoke'), kind: 'Namespace', listKind: 'NamespaceList' },
        { path: NODES, item: `${NODES}/smoke-node`, body: nodeBody('smoke-node'), kind: 'Node', listKind: 'NodeList' },
        { path: podsPath('smoke'), item: `${podsPath('smoke')}/web`, body: podBody('web'), kind: 'Pod', listKind: 'PodList' },
        { path: servicesPath('smoke'), item: `${servicesPath('smoke')}/web`, body: serviceBody('web'), kind: 'Service', listKind: 'ServiceList' },
      ];
      for (const c of created) {
        const object = await create(t.url, c.path, c.body);
        assert.equal(object.kind, c.kind);
        assert.equal(object.apiVersion, 'v1');
        assertCreatedMetadata(object);
        const read = await get(t.url, c.item);
        assert.deepEqual(read, object, `GET ${c.item} returns what POST returned`);
        const all = await list(t.url, c.path);
        assert.equal(all.kind, c.listKind);
        assert.ok(all.items.some((item) => item.metadata.uid === object.metadata.uid), `${c.kind} listed`);
      }
      assert.deepEqual(await names(t.url, '/api/v1/pods', { fieldSelector: 'metadata.namespace=smoke' }), ['web']);
      assert.deepEqual(await names(t.url, '/api/v1/services', { fieldSelector: 'metadata.namespace=smoke' }), ['web']);

      for (const c of [...created].reverse()) {
        // Grace period 0: the bound Pod would otherwise only be marked for deletion (no agent runs it here).
        const deleted = await request(t.url).delete(c.item).query({ gracePeriodSeconds: 0 }).timeout(REQUEST_TIMEOUT_MS);
        assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
        assert.equal(deleted.body.kind, c.kind);
        const gone = await request(t.url).get(c.item).timeout(REQUEST_TIMEOUT_MS);
        assertStatus(gone.body, 404, 'NotFound');
      }
    });
  });
}
