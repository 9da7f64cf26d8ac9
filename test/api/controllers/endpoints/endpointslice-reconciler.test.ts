import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TRIGGER_TIME_ANNOTATION } from '../../../../api/controllers/endpoints/pod-endpoint-rules.js';
import {
  ENDPOINTSLICE_CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  desiredEndpointGroups,
  reconcileSlices,
  type SliceChanges,
} from '../../../../api/controllers/endpoints/endpointslice-reconciler.js';
import type { EndpointSlice } from '../../../../api/schemas/endpointslice.js';
import { SERVICE_NAME_LABEL } from '../../../../api/resources/endpointslice.js';
import type { Pod } from '../../../../api/schemas/pod.js';
import type { Service } from '../../../../api/schemas/service.js';
import { noNodeLost, pod, service } from '../fixtures.js';

function podsWithIPs(count: number, offset = 0): Pod[] {
  return Array.from({ length: count }, (_, i) => pod(`p${i + offset}`, { ip: `10.1.${Math.floor((i + offset) / 250)}.${((i + offset) % 250) + 1}`, node: 'n1' }));
}

/** What a stored slice looks like after `changes` were written: named, with a resourceVersion. */
function store(changes: SliceChanges, existing: EndpointSlice[] = []): EndpointSlice[] {
  const byName = new Map(existing.map((s) => [s.metadata.name!, s]));
  for (const slice of changes.delete) byName.delete(slice.metadata.name!);
  for (const slice of changes.update) byName.set(slice.metadata.name!, slice);
  changes.create.forEach((slice, i) => {
    const name = `${slice.metadata.generateName}n${byName.size}${i}`;
    byName.set(name, { ...slice, metadata: { ...slice.metadata, name, resourceVersion: '1' } });
  });
  return [...byName.values()];
}

function reconcile(svc: Service, pods: Pod[], existing: EndpointSlice[] = [], max?: number): SliceChanges {
  return reconcileSlices(svc, desiredEndpointGroups(svc, pods, noNodeLost), existing, 'T', max);
}

describe('EndpointSlice reconciliation', () => {
  it('creates one slice with labels, owner, ports, conditions, node and targetRef', () => {
    const changes = reconcile(service('web', {}, { team: 'x' }), [pod('a', { ip: '10.0.0.1', node: 'n1' })]);
    assert.equal(changes.create.length, 1);
    const slice = changes.create[0]!;
    assert.equal(slice.metadata.generateName, 'web-');
    assert.deepEqual(slice.metadata.labels, { team: 'x', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER_NAME });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'uid-svc-web', controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.metadata.annotations![TRIGGER_TIME_ANNOTATION], 'T');
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(slice.endpoints, [{
      addresses: ['10.0.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
      nodeName: 'n1',
    }]);
  });

  it('reports terminating pods as not ready but still serving', () => {
    const changes = reconcile(service('web'), [pod('a', { ip: '10.0.0.1', deleting: true })]);
    assert.deepEqual(changes.create[0]!.endpoints![0]!.conditions, { ready: false, serving: true, terminating: true });
  });

  it('reports every endpoint ready when the Service publishes not-ready addresses', () => {
    const changes = reconcile(service('web', { publishNotReadyAddresses: true }), [pod('a', { ip: '10.0.0.1', ready: false })]);
    assert.deepEqual(changes.create[0]!.endpoints![0]!.conditions, { ready: true, serving: false, terminating: false });
  });

  it('splits more than 100 endpoints over several slices', () => {
    const changes = reconcile(service('web'), podsWithIPs(150));
    assert.deepEqual(changes.create.map((s) => s.endpoints!.length), [100, 50]);
  });

  it('puts pods that resolve a named port differently into different slices', () => {
    const svc = service('web', { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const changes = reconcile(svc, [
      pod('a', { ip: '10.0.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', { ip: '10.0.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
    ]);
    assert.deepEqual(changes.create.map((s) => [s.ports![0]!.port, s.endpoints![0]!.addresses]).sort(), [[8080, ['10.0.0.1']], [9090, ['10.0.0.2']]]);
  });

  it('writes nothing when the stored slices already hold the desired endpoints', () => {
    const svc = service('web');
    const stored = store(reconcile(svc, podsWithIPs(3)));
    const again = reconcileSlices(svc, desiredEndpointGroups(svc, podsWithIPs(3), noNodeLost), stored, 'T2');
    assert.deepEqual(again, { create: [], update: [], delete: [] });
  });

  it('updates only the slice holding a changed endpoint', () => {
    const svc = service('web');
    const pods = podsWithIPs(150);
    const stored = store(reconcile(svc, pods));
    pods[120] = pod('p120', { ip: pods[120]!.status!.podIP!, node: 'n1', ready: false });
    const changes = reconcile(svc, pods, stored);
    assert.equal(changes.create.length + changes.delete.length, 0);
    assert.equal(changes.update.length, 1);
    assert.equal(changes.update[0]!.endpoints!.length, 50);
    assert.equal(changes.update[0]!.metadata.resourceVersion, '1');
  });

  it('fills a slice with room before opening a new one', () => {
    const svc = service('web');
    const stored = store(reconcile(svc, podsWithIPs(40)));
    const changes = reconcile(svc, podsWithIPs(41), stored);
    assert.equal(changes.create.length, 0);
    assert.equal(changes.update[0]!.endpoints!.length, 41);
  });

  it('keeps one empty placeholder slice when no pod matches', () => {
    const svc = service('web');
    const changes = reconcile(svc, []);
    assert.equal(changes.create.length, 1);
    assert.deepEqual([changes.create[0]!.addressType, changes.create[0]!.endpoints, changes.create[0]!.ports], ['IPv4', [], []]);
    assert.deepEqual(reconcile(svc, [], store(changes)), { create: [], update: [], delete: [] });
  });

  it('replaces the placeholder by a slice with endpoints, and empties back into it', () => {
    const svc = service('web');
    const placeholder = store(reconcile(svc, []));
    const filled = reconcile(svc, podsWithIPs(1), placeholder);
    assert.equal(filled.delete.length + filled.create.length, 2);
    const stored = store(filled, placeholder);
    const emptied = reconcile(svc, [], stored);
    assert.equal(emptied.delete.length, 1);
    assert.equal(emptied.create.length, 1);
  });

  it('deletes slices of a port set no pod resolves any more', () => {
    const svc = service('web');
    const stored = store(reconcile(svc, podsWithIPs(2)));
    const moved = service('web', { ports: [{ name: 'http', port: 80, targetPort: 9000, protocol: 'TCP' }] });
    const changes = reconcile(moved, podsWithIPs(2), stored);
    assert.equal(changes.delete.length, 1);
    assert.equal(changes.create.length, 1);
    assert.equal(changes.create[0]!.ports![0]!.port, 9000);
  });

  it('rewrites a slice whose labels drifted from the Service', () => {
    const stored = store(reconcile(service('web'), podsWithIPs(2)));
    const changes = reconcile(service('web', {}, { team: 'y' }), podsWithIPs(2), stored);
    assert.equal(changes.update.length, 1);
    assert.equal(changes.update[0]!.metadata.labels!.team, 'y');
  });

  it('makes IPv6 slices for IPv6 pods of an IPv6 Service', () => {
    const changes = reconcile(service('web', { ipFamilies: ['IPv6'] }), [pod('a', { ip: 'fd00::1' }), pod('b', { ip: '10.0.0.1' })]);
    assert.deepEqual(changes.create.map((s) => [s.addressType, s.endpoints!.map((e) => e.addresses![0])]), [['IPv6', ['fd00::1']]]);
  });
});
