import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTokenServer } from './token-users.js';

test('AlwaysAllow lets any authenticated user do anything', async (t) => {
  const server = await startTokenServer({ authorizationModes: ['AlwaysAllow'] });
  t.after(() => server.close());
  assert.equal((await server.as('bob-token', 'POST', '/api/v1/namespaces', { metadata: { name: 'bobs' } })).status, 201);
});

test('without the Node mode a node identity holds no rights of its own', async (t) => {
  const server = await startTokenServer({ authorizationModes: ['RBAC'] });
  t.after(() => server.close());
  const refused = await server.as('n1-token', 'GET', '/api/v1/services');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.message, 'services is forbidden: User "system:node:n1" cannot list resource "services" in API group "" at the cluster scope');
  // system:masters stays allowed whatever the modes.
  assert.equal((await server.as('admin-token', 'GET', '/api/v1/services')).status, 200);
});
