import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../api/errors.js';
import { applyMergePatch } from '../../../api/patch/merge-patch.js';

function service(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'fe' }, annotations: { owner: 'team-a' } },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }] },
  };
}

describe('applyMergePatch applies RFC 7386 the way kubectl label and annotate rely on', () => {
  const cases: Array<{ name: string; patch: unknown; want: (s: Record<string, unknown>) => unknown }> = [
    {
      name: 'kubectl label adds a label: {"metadata":{"labels":{"env":"prod"}}}',
      patch: { metadata: { labels: { env: 'prod' } } },
      want: (s) => ({ ...s, metadata: { ...(s.metadata as object), labels: { app: 'web', tier: 'fe', env: 'prod' } } }),
    },
    {
      name: 'kubectl label tier- removes a label: {"metadata":{"labels":{"tier":null}}}',
      patch: { metadata: { labels: { tier: null } } },
      want: (s) => ({ ...s, metadata: { ...(s.metadata as object), labels: { app: 'web' } } }),
    },
    {
      name: 'kubectl annotate --overwrite replaces an annotation value',
      patch: { metadata: { annotations: { owner: 'team-b' } } },
      want: (s) => ({ ...s, metadata: { ...(s.metadata as object), annotations: { owner: 'team-b' } } }),
    },
    {
      name: 'a list is replaced whole, not merged',
      patch: { spec: { ports: [{ port: 443 }] } },
      want: (s) => ({ ...s, spec: { selector: { app: 'web' }, ports: [{ port: 443 }] } }),
    },
    {
      name: 'null on a map deletes the whole map',
      patch: { metadata: { labels: null } },
      want: (s) => {
        const { labels: _labels, ...metadata } = s.metadata as Record<string, unknown>;
        return { ...s, metadata };
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(applyMergePatch(service(), c.patch), c.want(service()));
    });
  }
});

describe('applyMergePatch refuses a patch that is not an object', () => {
  for (const patch of [[{ op: 'add' }], 'labels', 42, null]) {
    it(`rejects ${JSON.stringify(patch)} with 400`, () => {
      assert.throws(() => applyMergePatch(service(), patch), (error: unknown) => {
        assert.ok(error instanceof BadRequestError);
        assert.equal(error.message, 'Invalid JSON Patch');
        return true;
      });
    });
  }
});

describe('applyMergePatch refuses keys its library would silently skip', () => {
  it('rejects a label named constructor instead of dropping the rest of the labels patch', () => {
    assert.throws(
      () => applyMergePatch(service(), { metadata: { labels: { constructor: 'x', env: 'prod' } } }),
      { name: 'BadRequestError', message: 'merge patch: the key "constructor" is not supported' },
    );
  });
});

describe('applyMergePatch leaves its arguments alone', () => {
  it('modifies neither the target nor the patch', () => {
    const target = service();
    const patch = { metadata: { labels: { tier: null, env: { deep: 'x' } } } };
    const before = structuredClone({ target, patch });
    const result = applyMergePatch(target, patch) as { metadata: { labels: { env: { deep: string } } } };
    assert.deepEqual({ target, patch }, before);
    result.metadata.labels.env.deep = 'changed';
    assert.equal(patch.metadata.labels.env.deep, 'x');
  });
});
