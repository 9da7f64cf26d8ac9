import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTokenServer, type TokenServer } from './token-users.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
let server: TokenServer;

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'bound-node', containers: [{ name: 'c', image: 'nginx' }] } });
const roleBinding = (name: string, roleKind: string, role: string, subject: Record<string, string>) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role }, subjects: [subject],
});

before(async () => {
  server = await startTokenServer();
  assert.equal((await server.as('admin-token', 'POST', '/api/v1/namespaces/default/pods', pod('p'))).status, 201);
  const bound = await server.as('admin-token', 'POST', `${RBAC}/namespaces/default/rolebindings`, roleBinding('bob-view', 'ClusterRole', 'view', { kind: 'User', name: 'bob' }));
  assert.equal(bound.status, 201, JSON.stringify(bound.body));
});
after(() => server.close());

test('the bootstrap view role is aggregated and a user bound to it reads', async () => {
  assert.ok(await eventually(async () => {
    const view = await server.as('admin-token', 'GET', `${RBAC}/clusterroles/view`);
    return Array.isArray(view.body.rules) && view.body.rules.length > 0;
  }), 'view never received its aggregated rules');
  assert.ok(await eventually(async () => (await server.as('bob-token', 'GET', '/api/v1/namespaces/default/pods')).status === 200));
  assert.equal((await server.as('bob-token', 'GET', '/api/v1/namespaces/default/pods/p')).status, 200);
  assert.equal((await server.as('bob-token', 'GET', '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1')).status, 200);
});

test('a viewer is refused delete with upstream message and details', async () => {
  const refused = await server.as('bob-token', 'DELETE', '/api/v1/namespaces/default/pods/p');
  assert.equal(refused.status, 403);
  assert.deepEqual(refused.body, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'pods "p" is forbidden: User "bob" cannot delete resource "pods" in API group "" in the namespace "default"',
    reason: 'Forbidden', details: { name: 'p', kind: 'pods' }, code: 403,
  });
  assert.equal((await server.as('admin-token', 'GET', '/api/v1/namespaces/default/pods/p')).status, 200);
});

test('refusals name the namespace, the cluster scope or the path', async () => {
  const otherNamespace = await server.as('bob-token', 'GET', '/api/v1/namespaces/kube-system/pods');
  assert.equal(otherNamespace.status, 403);
  assert.equal(otherNamespace.body.message, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "kube-system"');
  const cluster = await server.as('bob-token', 'GET', '/api/v1/nodes');
  assert.equal(cluster.body.message, 'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope');
  const slices = await server.as('bob-token', 'POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', { addressType: 'IPv4', metadata: { name: 's' }, endpoints: [] });
  assert.equal(slices.body.message, 'endpointslices.discovery.k8s.io is forbidden: User "bob" cannot create resource "endpointslices" in API group "discovery.k8s.io" in the namespace "default"');
  assert.deepEqual(slices.body.details, { group: 'discovery.k8s.io', kind: 'endpointslices' });
  const path = await server.as('bob-token', 'GET', '/docs/json');
  assert.equal(path.status, 403);
  assert.equal(path.body.message, 'forbidden: User "bob" cannot get path "/docs/json"');
});

test('authenticated users read discovery and health; the public-info role covers /version', async () => {
  for (const path of ['/api', '/apis', '/api/v1', '/apis/rbac.authorization.k8s.io/v1', '/healthz', '/readyz', '/version']) {
    assert.equal((await server.as('alice-token', 'GET', path)).status, 200, path);
  }
});

test('creating a role with rules one does not hold is refused as an escalation', async () => {
  const grant = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'role-writer' }, rules: [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'update', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  ] };
  assert.equal((await server.as('admin-token', 'POST', `${RBAC}/namespaces/default/roles`, grant)).status, 201);
  assert.equal((await server.as('admin-token', 'POST', `${RBAC}/namespaces/default/rolebindings`, roleBinding('alice-writer', 'Role', 'role-writer', { kind: 'User', name: 'alice' }))).status, 201);

  const wider = { metadata: { name: 'wider' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] }] };
  let refused = await server.as('alice-token', 'POST', `${RBAC}/namespaces/default/roles`, wider);
  assert.ok(await eventually(async () => {
    refused = await server.as('alice-token', 'POST', `${RBAC}/namespaces/default/roles`, wider);
    return refused.status === 403 && String(refused.body.message).includes('attempting to grant');
  }), JSON.stringify(refused.body));
  assert.equal(refused.body.message,
    'roles.rbac.authorization.k8s.io "wider" is forbidden: user "alice" (groups=["devs" "testers" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}');

  const narrower = { metadata: { name: 'narrower' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
  assert.equal((await server.as('alice-token', 'POST', `${RBAC}/namespaces/default/roles`, narrower)).status, 201);

  // Widening by patch is checked against the patched rules.
  const patched = await server.as('alice-token', 'PATCH', `${RBAC}/namespaces/default/roles/narrower`,
    { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] }, 'application/merge-patch+json');
  assert.equal(patched.status, 403);
  assert.match(String(patched.body.message), /Verbs:\["\*"\]/);

  const toAdmin = await server.as('alice-token', 'POST', `${RBAC}/namespaces/default/rolebindings`, roleBinding('alice-admin', 'ClusterRole', 'admin', { kind: 'User', name: 'alice' }));
  assert.equal(toAdmin.status, 403);
  assert.match(String(toAdmin.body.message), /^rolebindings\.rbac\.authorization\.k8s\.io "alice-admin" is forbidden: user "alice" .* is attempting to grant RBAC permissions not currently held:\n/);

  const toOwn = await server.as('alice-token', 'POST', `${RBAC}/namespaces/default/rolebindings`, roleBinding('bob-narrower', 'Role', 'narrower', { kind: 'User', name: 'bob' }));
  assert.equal(toOwn.status, 201, JSON.stringify(toOwn.body));
});

test('the bind verb on a role lets one bind it without holding its rules', async () => {
  const binder = { metadata: { name: 'view-binder' }, rules: [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['edit'] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
  ] };
  assert.equal((await server.as('admin-token', 'POST', `${RBAC}/namespaces/kube-public/roles`, binder)).status, 201);
  assert.equal((await server.as('admin-token', 'POST', `${RBAC}/namespaces/kube-public/rolebindings`, roleBinding('bob-binder', 'Role', 'view-binder', { kind: 'User', name: 'bob' }))).status, 201);
  let created = { status: 0, body: {} as Record<string, unknown> };
  assert.ok(await eventually(async () => {
    created = await server.as('bob-token', 'POST', `${RBAC}/namespaces/kube-public/rolebindings`, roleBinding('anyone-edit', 'ClusterRole', 'edit', { kind: 'Group', name: 'devs' }));
    return created.status === 201;
  }), JSON.stringify(created.body));
  const admin = await server.as('bob-token', 'POST', `${RBAC}/namespaces/kube-public/rolebindings`, roleBinding('anyone-admin', 'ClusterRole', 'admin', { kind: 'Group', name: 'devs' }));
  assert.equal(admin.status, 403);
});

test('bindings and roles print as kubectl shows them', async () => {
  const table = await server.as('admin-token', 'GET', `${RBAC}/namespaces/default/rolebindings/bob-view`);
  assert.equal(table.status, 200);
  const response = await fetch(`${server.url}${RBAC}/namespaces/default/rolebindings`, { headers: { authorization: 'Bearer admin-token', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
  const body = await response.json() as { columnDefinitions: Array<{ name: string; priority: number }>; rows: Array<{ cells: unknown[] }> };
  assert.deepEqual(body.columnDefinitions.map((c) => c.name), ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts']);
  const row = body.rows.find((r) => r.cells[0] === 'bob-view');
  assert.deepEqual(row?.cells.filter((_, i) => i !== 2), ['bob-view', 'ClusterRole/view', 'bob', '', '']);
  const roles = await fetch(`${server.url}${RBAC}/clusterroles`, { headers: { authorization: 'Bearer admin-token', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
  const rolesBody = await roles.json() as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
  assert.deepEqual(rolesBody.columnDefinitions.map((c) => c.name), ['Name', 'Created At']);
  assert.match(String(rolesBody.rows.find((r) => r.cells[0] === 'cluster-admin')?.cells[1]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('RBAC objects are validated with upstream messages', async () => {
  const bad = await server.as('admin-token', 'POST', `${RBAC}/namespaces/default/roles`, { metadata: { name: 'bad' }, rules: [{ verbs: [], apiGroups: [''], resources: [] }] });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.message, 'Role.rbac.authorization.k8s.io "bad" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].resources: Required value: resource rules must supply at least one resource]');
  const roleRefChange = await server.as('admin-token', 'PATCH', `${RBAC}/namespaces/default/rolebindings/bob-view`, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } }, 'application/merge-patch+json');
  assert.equal(roleRefChange.status, 422);
  assert.match(String(roleRefChange.body.message), /roleRef: Invalid value: .*: cannot change roleRef/);
});

test('a binding to a missing role grants nothing', async () => {
  assert.equal((await server.as('admin-token', 'POST', `${RBAC}/namespaces/default/rolebindings`, roleBinding('ghost', 'Role', 'ghost', { kind: 'User', name: 'carol' }))).status, 201);
  const refused = await server.as('bob-token', 'DELETE', '/api/v1/namespaces/default/services/x');
  assert.equal(refused.status, 403);
});
