import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVersionOf, collectionPath, endpointSlices, leases, namespaces, nodes, objectPath, pods, services } from '../../../clients/client/resources.js';
import { withQuery } from '../../../clients/client/query.js';

describe('resource paths', () => {
  it('builds core collection paths, namespaced and across namespaces', () => {
    assert.equal(collectionPath(pods, 'default'), '/api/v1/namespaces/default/pods');
    assert.equal(collectionPath(pods), '/api/v1/pods');
    assert.equal(collectionPath(nodes), '/api/v1/nodes');
    assert.equal(collectionPath(namespaces), '/api/v1/namespaces');
  });

  it('builds group paths under /apis', () => {
    assert.equal(collectionPath(endpointSlices, 'kube-system'), '/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices');
    assert.equal(collectionPath(leases, 'default'), '/apis/coordination.k8s.io/v1/namespaces/default/leases');
  });

  it('builds object and subresource paths', () => {
    assert.equal(objectPath(services, 'web', 'default'), '/api/v1/namespaces/default/services/web');
    assert.equal(objectPath(pods, 'p', 'default', 'status'), '/api/v1/namespaces/default/pods/p/status');
    assert.equal(objectPath(nodes, 'n1', undefined, 'status'), '/api/v1/nodes/n1/status');
  });

  it('refuses to address a namespaced object without a namespace', () => {
    assert.throws(() => objectPath(pods, 'p'), /namespaced/);
  });

  it('gives apiVersion as objects carry it', () => {
    assert.equal(apiVersionOf(pods), 'v1');
    assert.equal(apiVersionOf(endpointSlices), 'discovery.k8s.io/v1');
  });

  it('form-encodes query values and drops undefined ones', () => {
    assert.equal(withQuery('/x', { labelSelector: 'app in (a,b)', limit: 5, continue: undefined }), '/x?labelSelector=app+in+%28a%2Cb%29&limit=5');
    assert.equal(withQuery('/x', { a: undefined }), '/x');
  });
});
