import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTokenServer, type TokenServer } from './token-users.js';

// A node's credentials (system:node:n1 in system:nodes) reach what an agent
// needs and write only what belongs to n1.

let server: TokenServer;
const pod = (name: string, nodeName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] } });
const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40 } });
const MERGE = 'application/merge-patch+json';

before(async () => {
  server = await startTokenServer();
  for (const [path, body] of [
    ['/api/v1/nodes', node('n2')],
    ['/api/v1/namespaces/default/pods', pod('on-n1', 'n1')],
    ['/api/v1/namespaces/default/pods', pod('on-n2', 'n2')],
    ['/api/v1/namespaces/default/services', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }],
    ['/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease('n2')],
  ] as const) {
    const created = await server.as('admin-token', 'POST', path, body);
    assert.equal(created.status, 201, `${path}: ${JSON.stringify(created.body)}`);
  }
});
after(() => server.close());

test('a node registers, updates and reads its own Node, and is refused another node\'s', async () => {
  assert.equal((await server.as('n1-token', 'POST', '/api/v1/nodes', node('n1'))).status, 201);
  assert.equal((await server.as('n1-token', 'PATCH', '/api/v1/nodes/n1/status', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, MERGE)).status, 200);
  assert.equal((await server.as('n1-token', 'PATCH', '/api/v1/nodes/n1', { metadata: { labels: { zone: 'a' } } }, MERGE)).status, 200);
  assert.equal((await server.as('n1-token', 'GET', '/api/v1/nodes')).status, 200);
  assert.equal((await server.as('n1-token', 'GET', '/api/v1/nodes/n2')).status, 200);

  const create = await server.as('n1-token', 'POST', '/api/v1/nodes', node('n3'));
  assert.equal(create.status, 403);
  assert.equal(create.body.message, 'nodes "n3" is forbidden: node "n1" is not allowed to modify node "n3"');
  const status = await server.as('n1-token', 'PATCH', '/api/v1/nodes/n2/status', { status: { conditions: [] } }, MERGE);
  assert.equal(status.status, 403);
  assert.deepEqual(status.body.details, { name: 'n2', kind: 'nodes' });
  assert.equal(status.body.message, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
  const remove = await server.as('n1-token', 'DELETE', '/api/v1/nodes/n2');
  assert.equal(remove.body.message, 'nodes "n2" is forbidden: User "system:node:n1" cannot delete resource "nodes" in API group "" at the cluster scope');
});

test('a node reads and reports the Pods bound to it only', async () => {
  assert.equal((await server.as('n1-token', 'GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1')).status, 200);
  assert.equal((await server.as('n1-token', 'GET', '/api/v1/namespaces/default/pods/on-n1')).status, 200);
  const other = await server.as('n1-token', 'GET', '/api/v1/namespaces/default/pods/on-n2');
  assert.equal(other.status, 403);
  assert.equal(other.body.message, 'pods "on-n2" is forbidden: User "system:node:n1" cannot get resource "pods" in API group "" in the namespace "default": no relationship found between node \'n1\' and this object');

  assert.equal((await server.as('n1-token', 'PATCH', '/api/v1/namespaces/default/pods/on-n1/status', { status: { phase: 'Running' } }, MERGE)).status, 200);
  const foreign = await server.as('n1-token', 'PATCH', '/api/v1/namespaces/default/pods/on-n2/status', { status: { phase: 'Failed' } }, MERGE);
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.message, 'pods "on-n2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself');
  const current = await server.as('admin-token', 'GET', '/api/v1/namespaces/default/pods/on-n2');
  const put = await server.as('n1-token', 'PUT', '/api/v1/namespaces/default/pods/on-n2/status', { ...current.body, status: { phase: 'Failed' } });
  assert.equal(put.status, 403);
  const deleted = await server.as('n1-token', 'DELETE', '/api/v1/namespaces/default/pods/on-n2');
  assert.equal(deleted.body.message, 'pods "on-n2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
  const spec = await server.as('n1-token', 'PATCH', '/api/v1/namespaces/default/pods/on-n1', { metadata: { labels: { x: 'y' } } }, MERGE);
  assert.equal(spec.body.message, 'pods "on-n1" is forbidden: User "system:node:n1" cannot patch resource "pods" in API group "" in the namespace "default"');
  const created = await server.as('n1-token', 'POST', '/api/v1/namespaces/default/pods', pod('sneaky', 'n1'));
  assert.equal(created.status, 403);
  assert.equal((await server.as('admin-token', 'GET', '/api/v1/namespaces/default/pods/on-n2')).status, 200, 'the refused delete left the Pod');
});

test('a node reads Services and EndpointSlices but writes none', async () => {
  assert.equal((await server.as('n1-token', 'GET', '/api/v1/services')).status, 200);
  assert.equal((await server.as('n1-token', 'GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=true&timeoutSeconds=1')).status, 200);
  const service = await server.as('n1-token', 'DELETE', '/api/v1/namespaces/default/services/web');
  assert.equal(service.status, 403);
  assert.equal(service.body.message, 'services "web" is forbidden: User "system:node:n1" cannot delete resource "services" in API group "" in the namespace "default"');
  const newService = await server.as('n1-token', 'POST', '/api/v1/namespaces/default/services', { metadata: { name: 'evil' }, spec: { ports: [{ port: 1 }] } });
  assert.equal(newService.body.message, 'services is forbidden: User "system:node:n1" cannot create resource "services" in API group "" in the namespace "default"');
  const slice = await server.as('n1-token', 'POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', { metadata: { name: 'web-x' }, addressType: 'IPv4', endpoints: [] });
  assert.equal(slice.status, 403);
  const slices = await server.as('admin-token', 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices');
  const first = (slices.body.items as Array<{ metadata: { name: string } }>)[0];
  assert.ok(first, 'the Service has an EndpointSlice');
  const patch = await server.as('n1-token', 'PATCH', `/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/${first.metadata.name}`, { endpoints: [{ addresses: ['10.0.0.66'] }] }, MERGE);
  assert.equal(patch.status, 403);
  assert.equal(patch.body.message, `endpointslices.discovery.k8s.io "${first.metadata.name}" is forbidden: User "system:node:n1" cannot patch resource "endpointslices" in API group "discovery.k8s.io" in the namespace "default"`);
});

test('a node keeps its own Lease in kube-node-lease and no other', async () => {
  const path = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
  assert.equal((await server.as('n1-token', 'POST', path, lease('n1'))).status, 201);
  assert.equal((await server.as('n1-token', 'GET', `${path}/n1`)).status, 200);
  const current = await server.as('n1-token', 'GET', `${path}/n1`);
  assert.equal((await server.as('n1-token', 'PUT', `${path}/n1`, current.body)).status, 200);
  const other = await server.as('n1-token', 'PUT', `${path}/n2`, lease('n2'));
  assert.equal(other.status, 403);
  assert.equal(other.body.message, 'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
  const elsewhere = await server.as('n1-token', 'POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', lease('n1'));
  assert.equal(elsewhere.body.message, 'leases.coordination.k8s.io "n1" is forbidden: can only access leases in the "kube-node-lease" namespace');
});

test('a node creates Events', async () => {
  const event = { metadata: { name: 'n1.1' }, involvedObject: { kind: 'Node', name: 'n1' }, reason: 'Starting', message: 'agent started', type: 'Normal' };
  assert.equal((await server.as('n1-token', 'POST', '/api/v1/namespaces/default/events', event)).status, 201);
});

test('a user named like a node but outside system:nodes gets no node rights', async () => {
  // alice is not a node; the Node authorizer has no opinion on her.
  const refused = await server.as('alice-token', 'GET', '/api/v1/services');
  assert.equal(refused.status, 403);
});
