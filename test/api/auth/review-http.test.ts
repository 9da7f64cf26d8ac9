import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTokenServer, type TokenServer } from './token-users.js';

let server: TokenServer;
before(async () => {
  server = await startTokenServer();
});
after(() => server.close());

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

test('a self access review answers from the same authorizer chain', async () => {
  const yes = await server.as('bob-token', 'POST', SSAR, { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } });
  assert.equal(yes.status, 201);
  assert.deepEqual(yes.body.status, { allowed: true });
  const no = await server.as('bob-token', 'POST', SSAR, { spec: { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' } } });
  assert.deepEqual(no.body.status, { allowed: false });
  const node = await server.as('n1-token', 'POST', SSAR, { spec: { resourceAttributes: { verb: 'update', resource: 'nodes', subresource: 'status', name: 'n1' } } });
  assert.deepEqual(node.body.status, { allowed: true });
});

test('a review without attributes is invalid, with both it is invalid too', async () => {
  const none = await server.as('bob-token', 'POST', SSAR, { spec: {} });
  assert.equal(none.status, 422);
  assert.match(String(none.body.message), /exactly one of nonResourceAttributes or resourceAttributes must be specified/);
  const both = await server.as('bob-token', 'POST', SSAR, { spec: { resourceAttributes: {}, nonResourceAttributes: {} } });
  assert.equal(both.status, 422);
  const notObject = await server.as('bob-token', 'POST', SSAR, [1]);
  assert.equal(notObject.status, 400);
});

test('a protobuf review is decoded; a broken one is a 400', async () => {
  // k8s\0 + Unknown{typeMeta{apiVersion, kind}, raw: SelfSubjectAccessReview{spec{resourceAttributes{namespace: default, verb: list, resource: pods}}}}
  const str = (field: number, value: string) => Buffer.concat([Buffer.from([(field << 3) | 2, Buffer.byteLength(value)]), Buffer.from(value)]);
  const msg = (field: number, body: Buffer) => Buffer.concat([Buffer.from([(field << 3) | 2, body.length]), body]);
  const attributes = Buffer.concat([str(1, 'default'), str(2, 'list'), str(5, 'pods')]);
  const raw = msg(2, msg(1, attributes));
  const typeMeta = Buffer.concat([str(1, 'authorization.k8s.io/v1'), str(2, 'SelfSubjectAccessReview')]);
  const body = Buffer.concat([Buffer.from('k8s\0'), msg(1, typeMeta), msg(2, raw)]);
  const send = (payload: Buffer) => fetch(`${server.url}${SSAR}`, { method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/vnd.kubernetes.protobuf' }, body: payload });
  const answered = await send(body);
  assert.equal(answered.status, 201);
  const json = await answered.json() as { spec: unknown; status: unknown };
  assert.deepEqual(json.spec, { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } });
  assert.deepEqual(json.status, { allowed: true });
  assert.equal((await send(Buffer.from('k8s\0\x0a\xff'))).status, 400);
  // A review body sent to a resource path is not that resource's kind.
  const elsewhere = await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/vnd.kubernetes.protobuf' }, body });
  assert.equal(elsewhere.status, 400);
});

test('a subject access review needs a subject and the right to ask', async () => {
  const path = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
  const spec = { user: 'bob', resourceAttributes: { namespace: 'kube-system', verb: 'get', resource: 'pods' } };
  const answered = await server.as('admin-token', 'POST', path, { spec });
  assert.equal(answered.status, 201);
  assert.deepEqual(answered.body.status, { allowed: false });
  const masters = await server.as('admin-token', 'POST', path, { spec: { ...spec, user: 'x', groups: ['system:masters'] } });
  assert.deepEqual(masters.body.status, { allowed: true });
  assert.equal((await server.as('admin-token', 'POST', path, { spec: { resourceAttributes: {} } })).status, 422);
  assert.equal((await server.as('bob-token', 'POST', path, { spec })).status, 403);
});

test('a self subject review tells the caller who it is', async () => {
  const review = await server.as('alice-token', 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(review.status, 201);
  assert.deepEqual(review.body.status, { userInfo: { username: 'alice', uid: '3', groups: ['devs', 'testers', 'system:authenticated'] } });
});
