import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenMessage, requestAttributes } from '../../../api/auth/request-attributes.js';

const alice = { name: 'alice', groups: ['system:authenticated'] };

function attrs(method: string, url: string) {
  const { user: _user, ...rest } = requestAttributes(alice, method, url);
  return rest;
}

test('derives verb, group, resource, subresource, namespace and name as kube-apiserver does', () => {
  const cases: Array<[string, string, Partial<ReturnType<typeof attrs>>]> = [
    ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', resource: 'pods', namespace: 'default', name: '' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dweb', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/watch/namespaces/default/pods/web', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', name: 'web', subresource: '' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', { verb: 'update', resource: 'pods', subresource: 'status', name: 'web' }],
    ['PATCH', '/api/v1/nodes/n1/status', { verb: 'patch', resource: 'nodes', subresource: 'status', namespace: '' }],
    ['POST', '/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices', { verb: 'create', apiGroup: 'discovery.k8s.io', apiVersion: 'v1', resource: 'endpointslices', namespace: 'kube-system' }],
    ['DELETE', '/api/v1/namespaces/default/services', { verb: 'deletecollection', resource: 'services' }],
    ['DELETE', '/api/v1/namespaces/default/services/a', { verb: 'delete', name: 'a' }],
    ['GET', '/api/v1/namespaces/default', { verb: 'get', resource: 'namespaces', name: 'default', namespace: 'default' }],
    ['PUT', '/api/v1/namespaces/x/finalize', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize', namespace: 'x' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: '' }],
    ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/view', { verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'view' }],
  ];
  for (const [method, url, expected] of cases) {
    const actual = attrs(method, url);
    assert.equal(actual.resourceRequest, true, url);
    for (const [field, value] of Object.entries(expected)) assert.equal(actual[field as keyof typeof actual], value, `${method} ${url}: ${field}`);
  }
});

test('discovery, health and version are non-resource paths with the method as verb', () => {
  for (const url of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/healthz', '/version', '/openapi/v2']) {
    const actual = attrs('GET', url);
    assert.equal(actual.resourceRequest, false, url);
    assert.equal(actual.verb, 'get');
    assert.equal(actual.path, url);
  }
  assert.equal(attrs('POST', '/logs').verb, 'post');
});

test('words refusals as upstream does, per scope', () => {
  assert.equal(forbiddenMessage(requestAttributes(alice, 'GET', '/api/v1/namespaces/default/pods')),
    'User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
  assert.equal(forbiddenMessage(requestAttributes(alice, 'PATCH', '/api/v1/nodes/n2/status')),
    'User "alice" cannot patch resource "nodes/status" in API group "" at the cluster scope');
  assert.equal(forbiddenMessage(requestAttributes(alice, 'GET', '/metrics')), 'User "alice" cannot get path "/metrics"');
});
