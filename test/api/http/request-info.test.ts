import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLongRunning, isMutating, requestInfoFor } from '../../../api/http/request-info.js';

describe('requestInfoFor reads verb and object from method and URL as upstream does', () => {
  const cases: Array<[string, string, Partial<ReturnType<typeof requestInfoFor>>]> = [
    ['GET', '/api/v1/namespaces/default/pods', { isResourceRequest: true, verb: 'list', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: '' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods', namespace: 'default' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dweb', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/watch/namespaces/default/pods', { verb: 'watch', resource: 'pods', namespace: 'default' }],
    ['GET', '/api/v1/watch/namespaces/default/pods/web', { verb: 'watch', resource: 'pods', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', name: 'web', subresource: '' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', { verb: 'get', name: 'web', subresource: 'log' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', { verb: 'update', subresource: 'status' }],
    ['POST', '/api/v1/namespaces/default/pods/web/binding', { verb: 'create', subresource: 'binding' }],
    ['PATCH', '/apis/apps/v1/namespaces/ns1/deployments/d', { verb: 'patch', apiGroup: 'apps', apiVersion: 'v1', namespace: 'ns1', resource: 'deployments', name: 'd' }],
    ['DELETE', '/api/v1/namespaces/default/pods', { verb: 'deletecollection' }],
    ['DELETE', '/api/v1/namespaces/default/pods/web', { verb: 'delete', name: 'web' }],
    ['POST', '/api/v1/namespaces', { verb: 'create', resource: 'namespaces', namespace: '' }],
    ['GET', '/api/v1/namespaces/kube-system', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' }],
    ['PUT', '/api/v1/namespaces/x/finalize', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize' }],
    ['GET', '/api/v1/nodes', { verb: 'list', resource: 'nodes', namespace: '' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: '' }],
    ['GET', '/api/v1', { isResourceRequest: false, verb: 'get' }],
    ['GET', '/apis/apps/v1', { isResourceRequest: false, verb: 'get' }],
    ['GET', '/readyz', { isResourceRequest: false, verb: 'get', path: '/readyz' }],
    ['POST', '/openapi/v2', { isResourceRequest: false, verb: 'post' }],
  ];
  for (const [method, url, expected] of cases) {
    it(`${method} ${url}`, () => {
      const info = requestInfoFor(method, url);
      for (const [field, value] of Object.entries(expected)) assert.equal(info[field as keyof typeof info], value, field);
    });
  }
});

describe('request classes', () => {
  it('counts get, list and watch as read-only and every other verb as mutating', () => {
    assert.equal(isMutating(requestInfoFor('GET', '/api/v1/pods')), false);
    assert.equal(isMutating(requestInfoFor('GET', '/healthz')), false);
    assert.equal(isMutating(requestInfoFor('POST', '/api/v1/namespaces')), true);
    assert.equal(isMutating(requestInfoFor('DELETE', '/api/v1/namespaces/default/pods')), true);
  });

  it('treats watches and log, exec, attach, proxy and portforward subresources as long-running', () => {
    assert.equal(isLongRunning(requestInfoFor('GET', '/api/v1/pods?watch=true')), true);
    assert.equal(isLongRunning(requestInfoFor('GET', '/api/v1/watch/pods')), true);
    for (const sub of ['log', 'exec', 'attach', 'proxy', 'portforward']) {
      assert.equal(isLongRunning(requestInfoFor('GET', `/api/v1/namespaces/d/pods/p/${sub}`)), true, sub);
    }
    assert.equal(isLongRunning(requestInfoFor('GET', '/api/v1/pods')), false);
    assert.equal(isLongRunning(requestInfoFor('GET', '/api/v1/pods?watch=false')), false);
    assert.equal(isLongRunning(requestInfoFor('GET', '/api/v1/namespaces/d/pods/p/status')), false);
  });
});
