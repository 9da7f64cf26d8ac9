import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objectKey } from '../../../clients/client/object-key.js';
import { diffSnapshot } from '../../../clients/client/snapshot-diff.js';
import type { KubeObject } from '../../../clients/client/types.js';

function obj(name: string, resourceVersion: string, uid = `uid-${name}`): KubeObject {
  return { metadata: { namespace: 'default', name, resourceVersion, uid } };
}

function cacheOf(...objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [objectKey(o), o]));
}

describe('diffSnapshot', () => {
  it('reports everything as added against an empty cache', () => {
    const diff = diffSnapshot(new Map(), [obj('a', '1'), obj('b', '2')]);
    assert.deepEqual(diff.added.map((o) => o.metadata.name), ['a', 'b']);
    assert.deepEqual(diff.updated, []);
    assert.deepEqual(diff.deleted, []);
  });

  it('reports changed resourceVersions as updates and leaves unchanged objects out', () => {
    const diff = diffSnapshot(cacheOf(obj('a', '1'), obj('b', '2')), [obj('a', '1'), obj('b', '7')]);
    assert.deepEqual(diff.added, []);
    assert.deepEqual(diff.deleted, []);
    assert.equal(diff.updated.length, 1);
    assert.equal(diff.updated[0]?.previous.metadata.resourceVersion, '2');
    assert.equal(diff.updated[0]?.current.metadata.resourceVersion, '7');
  });

  it('reports objects missing from the fresh list as deleted', () => {
    const diff = diffSnapshot(cacheOf(obj('a', '1'), obj('gone', '3')), [obj('a', '1')]);
    assert.deepEqual(diff.deleted.map((o) => o.metadata.name), ['gone']);
  });

  it('reports a recreated object (new uid) as a delete plus an add', () => {
    const diff = diffSnapshot(cacheOf(obj('a', '1', 'old')), [obj('a', '9', 'new')]);
    assert.deepEqual(diff.deleted.map((o) => o.metadata.uid), ['old']);
    assert.deepEqual(diff.added.map((o) => o.metadata.uid), ['new']);
    assert.deepEqual(diff.updated, []);
  });

  it('keys namespaced objects by namespace/name and cluster-scoped ones by name', () => {
    assert.equal(objectKey({ metadata: { namespace: 'ns', name: 'x' } }), 'ns/x');
    assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1');
  });
});
