import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { desiredEndpoints } from '../../../api/controllers/endpoints/desired-endpoints.js';
import { GO_STRUCT_FIELDS, KIND_GO_TYPES } from '../../../api/resources/omitempty-fields.js';
import { omitEmptyPruner } from '../../../api/resources/omitempty.js';
import { noNodeLost, pod, service } from '../controllers/fixtures.js';

function pruned(kind: string, object: Record<string, unknown>): Record<string, unknown> {
  const prune = omitEmptyPruner(kind);
  assert.ok(prune, kind);
  const copy = structuredClone(object);
  prune(copy);
  return copy;
}

describe('omitempty pruning', () => {
  it('has a Go type for every kind skiff serves, and every nested type it names', () => {
    for (const kind of ['Namespace', 'Node', 'Pod', 'Service', 'Endpoints', 'EndpointSlice', 'Lease', 'Event', 'Binding']) {
      assert.ok(omitEmptyPruner(kind), kind);
    }
    for (const [type, fields] of Object.entries(GO_STRUCT_FIELDS)) {
      for (const [name, field] of Object.entries(fields)) {
        if (typeof field !== 'string') assert.ok(GO_STRUCT_FIELDS[field[1]], `${type}.${name} names ${field[1]}`);
      }
    }
    assert.ok(Object.values(KIND_GO_TYPES).every((type) => GO_STRUCT_FIELDS[type]));
    assert.equal(omitEmptyPruner('NoSuchKind'), undefined);
  });

  it('drops "", 0, false, empty lists and maps, and null from omitempty value fields, at every depth', () => {
    const service = pruned('Service', {
      metadata: { name: 's', generateName: '', labels: {}, finalizers: [], generation: 0 },
      spec: {
        ports: [{ name: '', port: 80, nodePort: 0, protocol: null }],
        selector: {}, externalIPs: [], publishNotReadyAddresses: false, healthCheckNodePort: 0, clusterIP: 'None',
      },
    });
    assert.deepEqual(service, { metadata: { name: 's' }, spec: { ports: [{ port: 80 }], clusterIP: 'None' } });
  });

  it('drops a pointer field only when null: "", false and 0 behind a pointer are values', () => {
    const slice = pruned('EndpointSlice', {
      metadata: { name: 's' },
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: null }, hostname: '', zone: null }],
      ports: [{ name: '', port: 0, protocol: null }],
    });
    assert.deepEqual(slice.ports, [{ name: '', port: 0 }]);
    assert.deepEqual(slice.endpoints, [{ addresses: ['10.0.0.1'], conditions: { ready: false }, hostname: '' }]);
  });

  it('keeps non-omitempty fields and struct values whatever they hold', () => {
    const endpoints = pruned('Endpoints', { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '' }], ports: [{ port: 0, name: '' }] }] });
    assert.deepEqual(endpoints.subsets, [{ addresses: [{ ip: '' }], ports: [{ port: 0 }] }]);
    const p = pruned('Pod', {
      metadata: { name: 'p', creationTimestamp: null },
      spec: { containers: [{ name: '', image: 'x', resources: {} }] },
      status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, reason: '' }], containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: '', imageID: '', containerID: '' }] },
    });
    assert.deepEqual(p, {
      metadata: { name: 'p', creationTimestamp: null },
      spec: { containers: [{ name: '', image: 'x', resources: {} }] },
      status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }], containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: '', imageID: '' }] },
    });
    assert.deepEqual(pruned('Namespace', { metadata: { name: 'n' }, spec: {}, status: {} }), { metadata: { name: 'n' }, spec: {}, status: {} });
  });

  it('leaves unknown fields alone, also ones named like Object.prototype members', () => {
    const body = JSON.parse('{"metadata":{"name":"n","__proto__":"","constructor":"","toString":0},"unknown":"","spec":{"x":[]}}') as Record<string, unknown>;
    assert.deepEqual(pruned('Namespace', body), body);
  });
});

describe('endpoints controller output', () => {
  it('gives an unnamed Service port an Endpoints port without a name, and sees its stored result as up to date', () => {
    const svc = service('s', { selector: { app: 's' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
    const pods = [pod('a', { ip: '10.0.0.1', labels: { app: 's' } })];
    const first = desiredEndpoints(svc, pods, noNodeLost, undefined, undefined)!;
    assert.deepEqual(first.subsets?.[0]?.ports, [{ port: 8080, protocol: 'TCP' }]);
    // As the registry stores it: pruned, with a resourceVersion.
    const stored = pruned('Endpoints', { ...first, metadata: { ...first.metadata, resourceVersion: '5' } }) as unknown as typeof first;
    assert.equal(desiredEndpoints(svc, pods, noNodeLost, stored, undefined), undefined);
  });
});
