import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keyFor, objectKey, splitKey } from '../../../api/controllers/object-key.js';

describe('controller object keys (client-go MetaNamespaceKeyFunc)', () => {
  it('keys a namespaced object as namespace/name', () => {
    assert.equal(objectKey({ metadata: { namespace: 'shop', name: 'web' } }), 'shop/web');
  });

  it('keys a cluster-scoped object by its name alone', () => {
    assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1');
    assert.equal(keyFor('', 'node-1'), 'node-1');
  });

  it('splits both forms back', () => {
    assert.deepEqual(splitKey('shop/web'), { namespace: 'shop', name: 'web' });
    assert.deepEqual(splitKey('node-1'), { namespace: '', name: 'node-1' });
  });
});
