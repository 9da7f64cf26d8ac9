import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { BindingSchema } from '../../../api/schemas/binding.js';
import { EndpointsSchema } from '../../../api/schemas/endpoints.js';
import { EndpointSliceSchema } from '../../../api/schemas/endpointslice.js';
import { LeaseSchema } from '../../../api/schemas/lease.js';
import { listOf } from '../../../api/schemas/list.js';
import { DeleteOptionsSchema, StatusSchema } from '../../../api/schemas/meta.js';
import { NamespaceSchema } from '../../../api/schemas/namespace.js';
import { NodeSchema } from '../../../api/schemas/node.js';
import { PodSchema } from '../../../api/schemas/pod.js';
import { ServiceSchema } from '../../../api/schemas/service.js';

const kinds: Record<string, TSchema> = {
  Pod: PodSchema,
  Service: ServiceSchema,
  Node: NodeSchema,
  Namespace: NamespaceSchema,
  Endpoints: EndpointsSchema,
  EndpointSlice: EndpointSliceSchema,
  Lease: LeaseSchema,
  Binding: BindingSchema,
  Status: StatusSchema,
  DeleteOptions: DeleteOptionsSchema,
};

/** Every property of every object schema, with the path it was found at. */
function properties(schema: TSchema, path: string, seen = new Set<TSchema>()): { path: string; schema: TSchema }[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const found: { path: string; schema: TSchema }[] = [];
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
    found.push({ path: `${path}.${name}`, schema: child }, ...properties(child, `${path}.${name}`, seen));
  }
  if (schema.items) found.push(...properties(schema.items as TSchema, `${path}[]`, seen));
  return found;
}

describe('schemas', () => {
  it('describe every field, as kubectl explain prints them', () => {
    for (const [kind, schema] of Object.entries(kinds)) {
      const undocumented = properties(schema, kind)
        .filter(({ schema: s }) => !s.description)
        .map(({ path }) => path);
      assert.deepEqual(undocumented, [], `${kind} has fields without a description`);
    }
  });

  it('name each kind by its group, version and kind for kubectl explain', () => {
    assert.deepEqual(PodSchema['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
    assert.deepEqual(EndpointSliceSchema['x-kubernetes-group-version-kind'], [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }]);
    assert.deepEqual(LeaseSchema['x-kubernetes-group-version-kind'], [{ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }]);
    assert.equal(PodSchema.title, 'io.k8s.api.core.v1.Pod');
  });

  it('derive a list schema from its item schema', () => {
    const list = listOf(ServiceSchema, 'ServiceList');
    assert.equal(list.title, 'io.k8s.api.core.v1.ServiceList');
    assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'ServiceList' }]);
    assert.equal(list.properties.items.items, ServiceSchema);
  });
});

describe('schemas as fastify body validation', () => {
  let app: FastifyInstance;

  before(async () => {
    // The ajv options skiff's server uses.
    app = Fastify({ ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false, allErrors: false } } });
    for (const [kind, schema] of Object.entries(kinds)) {
      app.post(`/${kind}`, { schema: { body: schema } }, async (request) => request.body);
    }
    await app.ready();
  });

  after(async () => {
    await app.close();
  });

  const post = async (kind: string, payload: unknown): Promise<{ statusCode: number; body: unknown }> => {
    const response = await app.inject({ method: 'POST', url: `/${kind}`, payload: payload as Record<string, unknown> });
    return { statusCode: response.statusCode, body: response.json() };
  };

  it('accepts the service kubectl expose sends, null creationTimestamp included', async () => {
    const body = {
      apiVersion: 'v1', kind: 'Service',
      metadata: { creationTimestamp: null, labels: { app: 'web' }, name: 'web' },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' } },
      status: { loadBalancer: {} },
    };
    const response = await post('Service', body);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.body, body);
  });

  it('accepts a targetPort given by name and keeps unknown fields', async () => {
    const body = { metadata: { name: 'web' }, spec: { ports: [{ port: 80, targetPort: 'http' }], futureField: { x: 1 } } };
    const response = await post('Service', body);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.body, body);
  });

  it('accepts loose pod fields skiff does not model', async () => {
    const body = {
      metadata: { name: 'web' },
      spec: {
        containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: 1, memory: '64Mi' } }, securityContext: { runAsUser: 1000 } }],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      },
      status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] },
    };
    assert.equal((await post('Pod', body)).statusCode, 200);
  });

  it('rejects a port given as a string where Kubernetes has an int32', async () => {
    const response = await post('Pod', { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: '80' }] }] } });
    assert.equal(response.statusCode, 400);
  });

  it('rejects an int32 out of range', async () => {
    const response = await post('Service', { metadata: { name: 'web' }, spec: { ports: [{ port: 4294967296 }] } });
    assert.equal(response.statusCode, 400);
  });

  it('accepts the node an agent registers and the lease it renews', async () => {
    const node = {
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      status: {
        capacity: { cpu: '4', pods: 110 },
        addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
        conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z' }],
        nodeInfo: { kubeletVersion: 'skiff' },
      },
    };
    assert.equal((await post('Node', node)).statusCode, 200);
    const lease = { metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' } };
    assert.equal((await post('Lease', lease)).statusCode, 200);
  });
});
