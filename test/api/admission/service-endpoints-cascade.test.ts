import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceEndpointsCascadeHooks } from '../../../api/admission/service-endpoints-cascade.js';
import { deferredHooks, type AdmissionChain } from '../../../api/admission/admission-hooks.js';
import { GenericRegistry } from '../../../api/resources/generic-registry.js';
import { buildKinds } from '../../../api/resources/kinds.js';
import type { KubeObject } from '../../../api/resources/strategy.js';
import { SqliteStore } from '../../../storage/sqlite-store.js';

function setup() {
  const store = new SqliteStore({ path: ':memory:' });
  const registries = new Map<string, GenericRegistry<KubeObject>>();
  const admission: AdmissionChain = new Map();
  for (const kind of buildKinds()) registries.set(kind.resource, new GenericRegistry(kind, store, deferredHooks(kind.resource, admission)));
  admission.set('services', serviceEndpointsCascadeHooks(registries));
  const r = (resource: string) => registries.get(resource)!;
  r('namespaces').create('', { metadata: { name: 'default' } });
  return { store, r };
}

function slice(name: string, service: string, ownerUid: string | undefined): unknown {
  return {
    metadata: {
      name,
      labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ...(ownerUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service, uid: ownerUid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  };
}

describe('endpoints admission hooks', () => {
  it('deletes a Service’s Endpoints and owned slices in the Service’s delete transaction', () => {
    const { store, r } = setup();
    const web = r('services').create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    r('services').create('default', { metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ port: 80 }] } });
    r('endpoints').create('default', { metadata: { name: 'web' } });
    r('endpoints').create('default', { metadata: { name: 'db' } });
    r('endpointslices').create('default', slice('web-abcde', 'web', web.metadata.uid));
    r('endpointslices').create('default', slice('web-mirror', 'web', undefined));
    r('endpointslices').create('default', slice('db-abcde', 'db', 'uid-db'));
    const before = store.currentRevision();

    r('services').delete('default', 'web');

    assert.equal(r('endpoints').exists('default', 'web'), false);
    assert.equal(r('endpointslices').exists('default', 'web-abcde'), false);
    assert.equal(r('endpointslices').exists('default', 'web-mirror'), true, 'a slice the Service does not own stays');
    assert.equal(r('endpoints').exists('default', 'db'), true);
    assert.equal(r('endpointslices').exists('default', 'db-abcde'), true);
    const events = store.eventsAfter(before, 10).map((e) => `${e.type} ${e.resource}/${e.name}`);
    assert.deepEqual(events, ['DELETED endpoints/web', 'DELETED endpointslices/web-abcde', 'DELETED services/web']);
    store.close();
  });
});
