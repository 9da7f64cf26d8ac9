import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../api/errors.js';
import { applyStrategicMergePatch, type PatchSchema } from '../../../api/patch/strategic-merge-patch.js';

// Cases from apimachinery's own strategicpatch/patch_test.go (the MergeItem
// type), run through skiff's port: original + patch must give upstream's result.

const mergeItemSchema: PatchSchema = {
  fields: {
    mergingList: { patchStrategy: 'merge', patchMergeKey: 'name' },
    mergingIntList: { patchStrategy: 'merge' },
    retainKeysMap: { patchStrategy: 'retainKeys' },
    retainKeysMergingList: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' },
  },
};

const cases: Array<{ name: string; original: unknown; patch: unknown; result: unknown }> = [
  {
    name: 'unique scalars when merging lists',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    result: { mergingIntList: [1, 2, 3] },
  },
  {
    name: 'delete map from nested map',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { $patch: 'delete' } },
    result: { simpleMap: {} },
  },
  {
    name: 'delete all items from merging list',
    original: { mergingList: [{ name: 1 }, { name: 2 }] },
    patch: { mergingList: [{ $patch: 'replace' }] },
    result: { mergingList: [] },
  },
  {
    name: 'delete all keys from map',
    original: { name: 1, value: 1 },
    patch: { $patch: 'replace' },
    result: {},
  },
  {
    name: 'add key and delete all keys from map',
    original: { name: 1, value: 1 },
    patch: { other: 'a', $patch: 'replace' },
    result: { other: 'a' },
  },
  {
    name: 'delete all duplicate entries in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
    patch: {
      mergingList: [
        { name: 1, $patch: 'delete' },
        { name: 1, $patch: 'delete' },
        { name: 3, $patch: 'delete' },
        { name: 3, $patch: 'delete' },
      ],
    },
    result: { mergingList: [{ name: 2, value: 'a' }] },
  },
  {
    name: 'retainKeys map can delete a field when no retainKeys directive present',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: { value: null } },
    result: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: 'retainKeys list can change a field when no retainKeys directive present',
    original: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', value: 'b' }] },
    result: { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'b' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
    result: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }] },
  },
  {
    name: 'preserve the order from the patch in a merging list 2',
    original: { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
    patch: { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
    result: { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] },
  },
  {
    name: 'preserve the order from the patch in a merging int list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1] },
    result: { mergingIntList: [2, 3, 1] },
  },
  {
    name: '$setElementOrder contains item that is not present in the list to be merged',
    original: { mergingList: [{ name: 1 }, { name: 3 }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 3 }, { name: 2 }, { name: 1 }],
      mergingList: [
        { name: 3, value: 3 },
        { name: 1, value: 1 },
      ],
    },
    result: { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
  },
  {
    name: 'delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'add and delete items in lists of scalars',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: {
      '$setElementOrder/mergingIntList': [1, 2, 4],
      '$deleteFromPrimitiveList/mergingIntList': [3],
      mergingIntList: [4],
    },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: 'merge lists of maps',
    original: { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }] },
    patch: {
      '$setElementOrder/mergingList': [{ name: 4 }, { name: 1 }, { name: 2 }, { name: 3 }],
      mergingList: [
        { name: 4, value: 4 },
        { name: 3, value: 3 },
      ],
    },
    result: {
      mergingList: [{ name: 4, value: 4 }, { name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }],
    },
  },
  {
    name: 'defined null values should propagate removing original fields',
    original: { name: 'original-name', value: 'original-value', other: 'current-other' },
    patch: { name: 'modified-name', value: null },
    result: { name: 'modified-name', other: 'current-other' },
  },
];

describe('applyStrategicMergePatch agrees with apimachinery’s own test cases', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(applyStrategicMergePatch(c.original, c.patch, mergeItemSchema), c.result);
    });
  }

  const failures: Array<{ name: string; original: unknown; patch: unknown; message: RegExp }> = [
    {
      name: 'should check if order in $setElementOrder and patch list match',
      original: { mergingList: [{ name: 1 }, { name: 3 }, { name: 2 }] },
      patch: {
        '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }],
        mergingList: [
          { name: 3, value: 3 },
          { name: 1, value: 1 },
        ],
      },
      message: /doesn't match/,
    },
    {
      name: '$setElementOrder contains item that is not present in the int list to be merged',
      original: { mergingIntList: [1, 3, 2] },
      patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
      message: /doesn't match/,
    },
    {
      name: 'missing merge key should error out',
      original: { mergingList: [{ name: 1, value: 'a' }] },
      patch: { mergingList: [{ value: 'b' }] },
      message: /does not contain declared merge key/,
    },
  ];
  for (const c of failures) {
    it(c.name, () => {
      assert.throws(() => applyStrategicMergePatch(c.original, c.patch, mergeItemSchema), (error: unknown) => {
        assert.ok(error instanceof BadRequestError);
        assert.match(error.message, c.message);
        return true;
      });
    });
  }
});

describe('PatchSchema', () => {
  it('rejects a merge key on a field that does not merge', () => {
    const schema: PatchSchema = { fields: { spec: { patchStrategy: 'replace', patchMergeKey: 'name' } } };
    assert.throws(() => applyStrategicMergePatch({}, {}, schema), /has a merge key but strategy "replace"/);
  });

  it('rejects a malformed field path', () => {
    const schema: PatchSchema = { fields: { 'spec..ports': { patchStrategy: 'merge', patchMergeKey: 'port' } } };
    assert.throws(() => applyStrategicMergePatch({}, {}, schema), /malformed field path "spec\.\.ports"/);
  });
});
