import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, RequestEntityTooLargeError } from '../../../api/errors.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from '../../../api/patch/json-patch.js';
import { UnprocessablePatchError } from '../../../api/patch/patch-errors.js';

function pod(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };
}

describe('applyJsonPatch applies RFC 6902 operations', () => {
  const cases: Array<{ name: string; patch: unknown[]; want: unknown }> = [
    {
      name: 'add inserts a label',
      patch: [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }],
      want: { ...pod(), metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web', tier: 'fe' } } },
    },
    {
      name: 'replace changes a container image by index',
      patch: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }],
      want: { ...pod(), spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
    {
      name: 'remove deletes a label',
      patch: [{ op: 'remove', path: '/metadata/labels/app' }],
      want: { ...pod(), metadata: { name: 'web-1', namespace: 'default', labels: {} } },
    },
    {
      name: 'add with "-" appends to a list',
      patch: [{ op: 'add', path: '/spec/containers/-', value: { name: 'sidecar', image: 'envoy' } }],
      want: { ...pod(), spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'sidecar', image: 'envoy' }] } },
    },
    {
      name: 'a passing test lets the following operations apply',
      patch: [
        { op: 'test', path: '/metadata/labels/app', value: 'web' },
        { op: 'replace', path: '/metadata/labels/app', value: 'api' },
      ],
      want: { ...pod(), metadata: { name: 'web-1', namespace: 'default', labels: { app: 'api' } } },
    },
    {
      name: 'an empty patch returns an equal object',
      patch: [],
      want: pod(),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(applyJsonPatch(pod(), c.patch), c.want);
    });
  }
});

describe('applyJsonPatch answers an inapplicable patch with 422 Invalid, as the apiserver does', () => {
  const cases: Array<{ name: string; patch: unknown[]; detail: string }> = [
    {
      name: 'a failed test',
      patch: [
        { op: 'test', path: '/metadata/labels/app', value: 'db' },
        { op: 'replace', path: '/metadata/labels/app', value: 'api' },
      ],
      detail: 'testing value /metadata/labels/app failed: test failed',
    },
    {
      name: 'removing a path that does not exist',
      patch: [{ op: 'remove', path: '/metadata/labels/missing' }],
      detail: 'remove operation does not apply: doc is missing path: "/metadata/labels/missing": missing value',
    },
    {
      name: 'replacing a path that does not exist',
      patch: [{ op: 'replace', path: '/spec/nodeName', value: 'node-1' }],
      detail: 'replace operation does not apply: doc is missing path: "/spec/nodeName": missing value',
    },
    {
      name: 'adding under a parent that does not exist',
      patch: [{ op: 'add', path: '/status/podIP/x', value: '10.0.0.1' }],
      detail: 'add operation does not apply: doc is missing path: "/status/podIP/x": missing value',
    },
    {
      name: 'an unknown op',
      patch: [{ op: 'bogus', path: '/metadata' }],
      detail: 'Unexpected kind: bogus',
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => applyJsonPatch(pod(), c.patch),
        (error: unknown) => {
          assert.ok(error instanceof UnprocessablePatchError);
          assert.equal(error.code, 422);
          assert.equal(error.reason, 'Invalid');
          assert.equal(error.message, 'the server rejected our request due to an error in our request');
          assert.equal(error.detail, c.detail);
          return true;
        },
      );
    });
  }
});

describe('applyJsonPatch answers an undecodable patch with 400 BadRequest', () => {
  const cases: Array<{ name: string; patch: unknown; message: string }> = [
    {
      name: 'an object instead of a list',
      patch: { op: 'add', path: '/a', value: 1 },
      message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    },
    { name: 'null', patch: null, message: 'json: cannot unmarshal null into Go value of type jsonpatch.Patch' },
    {
      name: 'a list holding a non-object',
      patch: ['add'],
      message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      assert.throws(() => applyJsonPatch(pod(), c.patch), (error: unknown) => {
        assert.ok(error instanceof BadRequestError);
        assert.equal(error.message, c.message);
        return true;
      });
    });
  }

  it('rejects more operations than the apiserver allows with 413', () => {
    const patch = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
    assert.throws(() => applyJsonPatch(pod(), patch), RequestEntityTooLargeError);
  });
});

describe('applyJsonPatch leaves its arguments alone', () => {
  it('modifies neither the target nor the patch, even when an operation fails midway', () => {
    const target = pod();
    const patch = [
      { op: 'add', path: '/metadata/labels/tier', value: { nested: true } },
      { op: 'remove', path: '/metadata/labels/missing' },
    ];
    const before = structuredClone({ target, patch });
    assert.throws(() => applyJsonPatch(target, patch), UnprocessablePatchError);
    assert.deepEqual({ target, patch }, before);
  });

  it('returns a result that shares no node with the patch', () => {
    const value = { nested: true };
    const result = applyJsonPatch(pod(), [{ op: 'add', path: '/metadata/annotations', value }]) as {
      metadata: { annotations: { nested: boolean } };
    };
    result.metadata.annotations.nested = false;
    assert.equal(value.nested, true);
  });
});
