import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from '../../../api/schemas/namespace.js';
import { namespaceStrategy } from '../../../api/resources/namespace.js';

function created(namespace: Namespace): Namespace {
  namespaceStrategy.prepareForCreate(namespace);
  namespaceStrategy.applyDefaults(namespace);
  return namespace;
}

describe('namespace strategy', () => {
  it('is born Active with the kubernetes finalizer and its name label', () => {
    const ns = created({ metadata: { name: 'prod', labels: { team: 'a' } }, status: { phase: 'Terminating' } });
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': 'prod' });
    assert.deepEqual(namespaceStrategy.validate(ns).causes, []);
  });

  it('keeps spec finalizers and status on update', () => {
    const old = created({ metadata: { name: 'prod' } });
    const ns: Namespace = { metadata: { name: 'prod', labels: { team: 'b' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
    namespaceStrategy.prepareForUpdate(ns, old);
    namespaceStrategy.applyDefaults(ns);
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'prod');
    assert.equal(namespaceStrategy.specChanged(ns, old), false);
    assert.deepEqual(namespaceStrategy.validateUpdate(ns, old).causes, []);
  });

  it('rejects a spec finalizer that is neither standard nor qualified', () => {
    const ns = created({ metadata: { name: 'prod' }, spec: { finalizers: ['cleanup'] } });
    assert.deepEqual(namespaceStrategy.validate(ns).causes[0], {
      reason: 'FieldValueInvalid',
      field: 'spec.finalizers',
      message: 'Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    });
  });
});
