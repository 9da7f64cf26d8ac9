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
  podBody,
  podsPath,
  serviceBody,
  servicesPath,
} from './http-fixtures.js';

describe('namespaces over HTTP', () => {
  let t: TestServer;
  let url: string;

  before(async () => {
    t = await startTestServer();
    url = t.url;
  });
  after(async () => {
    await t.close();
  });

  it('has default and kube-system, Active, right after start', async () => {
    for (const name of ['default', 'kube-system']) {
      const ns = await get(url, `${NAMESPACES}/${name}`);
      assert.equal(ns.status?.phase, 'Active');
      assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], name);
    }
  });

  it('creates a namespace with server-set metadata, cluster-scoped', async () => {
    const ns = await create(url, NAMESPACES, namespaceBody('team-a', { team: 'a' }));
    assertCreatedMetadata(ns);
    assert.equal(ns.metadata.namespace, undefined);
    assert.equal(ns.status?.phase, 'Active');
    assert.deepEqual(ns.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': 'team-a' });
  });

  it('refuses a pod in a namespace that does not exist with 404 naming the namespace', async () => {
    const response = await request(url).post(podsPath('nowhere')).timeout(REQUEST_TIMEOUT_MS).send(podBody('web'));
    const status = assertStatus(response.body, 404, 'NotFound');
    assert.equal(status.message, 'namespaces "nowhere" not found');
  });

  it('deleting a namespace deletes the pods and services it holds, and nothing elsewhere', async () => {
    await create(url, NAMESPACES, namespaceBody('doomed'));
    await create(url, NAMESPACES, namespaceBody('kept'));
    for (const name of ['a', 'b']) await create(url, podsPath('doomed'), podBody(name));
    await create(url, servicesPath('doomed'), serviceBody('web'));
    await create(url, podsPath('kept'), podBody('a'));
    await create(url, servicesPath('kept'), serviceBody('web'));

    const deleted = await request(url).delete(`${NAMESPACES}/doomed`).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal(deleted.body.kind, 'Namespace');
    assert.equal(deleted.body.metadata.name, 'doomed');

    assertStatus((await request(url).get(`${NAMESPACES}/doomed`).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
    assert.deepEqual(await names(url, '/api/v1/pods', { fieldSelector: 'metadata.namespace=doomed' }), []);
    assert.deepEqual(await names(url, '/api/v1/services', { fieldSelector: 'metadata.namespace=doomed' }), []);
    assertStatus((await request(url).get(`${podsPath('doomed')}/a`).timeout(REQUEST_TIMEOUT_MS)).body, 404, 'NotFound');
    assert.deepEqual(await names(url, podsPath('kept')), ['a']);
    assert.deepEqual(await names(url, servicesPath('kept')), ['web']);

    const recreated = await request(url).post(podsPath('doomed')).timeout(REQUEST_TIMEOUT_MS).send(podBody('late'));
    assertStatus(recreated.body, 404, 'NotFound');
  });
});
