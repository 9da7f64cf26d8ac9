import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { omitEmptyPruner } from '../../../api/resources/omitempty.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { ClusterClient, podStatus, type WireObject } from '../controllers/cluster-client.js';

// kube-apiserver writes an omitempty field only when it holds a value: it
// decodes into Go structs and encodes them again. Every object skiff serves —
// created by a client with empty fields, or written by a controller — must come
// back without such a field, in a response, a get, a list and a watch event.

/** Fails with the fields (as a diff) that kube-apiserver would have left out of `object`. */
function assertNoEmptyOmitempty(kind: string, object: unknown, where: string): void {
  const prune = omitEmptyPruner(kind);
  assert.ok(prune, `no omitempty table for ${kind}`);
  const pruned = structuredClone(object) as Record<string, unknown>;
  prune(pruned);
  assert.deepEqual(object, pruned, `${kind} (${where}) carries empty omitempty fields`);
}

interface Case {
  kind: string;
  collection: string;
  item: (name: string) => string;
  body: (name: string) => Record<string, unknown>;
  /** What the created object must (not) hold, beyond the generic check. */
  check: (object: WireObject) => void;
}

const NS = 'omit';
const at = (object: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | undefined)?.[key], object);

const cases: Case[] = [
  {
    kind: 'Namespace',
    collection: '/api/v1/namespaces',
    item: (name) => `/api/v1/namespaces/${name}`,
    body: (name) => ({ metadata: { name, generateName: '', labels: {}, annotations: {}, finalizers: [] }, spec: { finalizers: [] } }),
    check: (o) => {
      assert.deepEqual(o.metadata.labels, { 'kubernetes.io/metadata.name': o.metadata.name });
      assert.equal('annotations' in o.metadata, false);
      assert.equal('generateName' in o.metadata, false);
      assert.deepEqual(o.spec, { finalizers: ['kubernetes'] });
    },
  },
  {
    kind: 'Node',
    collection: '/api/v1/nodes',
    item: (name) => `/api/v1/nodes/${name}`,
    body: (name) => ({
      metadata: { name, labels: { a: 'b' }, ownerReferences: [] },
      // Tainted, so the scheduler test below never picks it.
      spec: { providerID: '', unschedulable: false, taints: [{ key: 'omit', value: '', effect: 'NoSchedule' }], externalID: '' },
      status: { phase: '', addresses: [], conditions: [{ type: 'Ready', status: 'True', reason: '', message: '', lastHeartbeatTime: null }], volumesInUse: [] },
    }),
    check: (o) => {
      assert.equal('unschedulable' in (o.spec as object), false);
      assert.deepEqual(at(o, 'spec', 'taints'), [{ key: 'omit', effect: 'NoSchedule' }]);
      // A zero metav1.Time is a struct: upstream writes it as null, never drops it.
      assert.deepEqual(at(o, 'status', 'conditions'), [{ type: 'Ready', status: 'True', lastHeartbeatTime: null }]);
    },
  },
  {
    kind: 'Pod',
    collection: `/api/v1/namespaces/${NS}/pods`,
    item: (name) => `/api/v1/namespaces/${NS}/pods/${name}`,
    body: (name) => ({
      metadata: { name, namespace: '', annotations: {} },
      spec: {
        nodeName: 'no-such-node',
        hostNetwork: false,
        nodeSelector: {},
        tolerations: [],
        serviceAccountName: '',
        containers: [{
          name: 'c', image: 'nginx', workingDir: '', command: [], env: [{ name: 'A', value: '' }],
          ports: [{ name: '', containerPort: 8080, hostIP: '', hostPort: 0 }],
          readinessProbe: { httpGet: { path: '/', port: 8080, host: '' }, initialDelaySeconds: 0 },
          stdin: false,
        }],
      },
    }),
    check: (o) => {
      const container = at(o, 'spec', 'containers', 0) as Record<string, unknown>;
      assert.deepEqual(container.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
      assert.deepEqual(container.env, [{ name: 'A' }]);
      for (const field of ['workingDir', 'command', 'stdin']) assert.equal(field in container, false, field);
      for (const field of ['hostNetwork', 'nodeSelector', 'tolerations', 'serviceAccountName']) assert.equal(field in (o.spec as object), false, field);
    },
  },
  {
    kind: 'Service',
    collection: `/api/v1/namespaces/${NS}/services`,
    item: (name) => `/api/v1/namespaces/${NS}/services/${name}`,
    body: (name) => ({
      metadata: { name },
      spec: {
        selector: { app: 'omit' }, clusterIP: '', externalIPs: [], sessionAffinity: '', loadBalancerIP: '', externalName: '',
        publishNotReadyAddresses: false, ports: [{ name: '', port: 80, targetPort: 8080, protocol: '', nodePort: 0 }],
      },
    }),
    check: (o) => {
      assert.deepEqual(at(o, 'spec', 'ports'), [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
      for (const field of ['externalIPs', 'loadBalancerIP', 'externalName', 'publishNotReadyAddresses']) assert.equal(field in (o.spec as object), false, field);
      assert.match(String(at(o, 'spec', 'clusterIP')), /^\d+\.\d+\.\d+\.\d+$/);
      assert.deepEqual(o.status, { loadBalancer: {} });
    },
  },
  {
    kind: 'Endpoints',
    collection: `/api/v1/namespaces/${NS}/endpoints`,
    item: (name) => `/api/v1/namespaces/${NS}/endpoints/${name}`,
    body: (name) => ({
      metadata: { name, labels: {} },
      subsets: [{ addresses: [{ ip: '10.1.2.3', hostname: '', targetRef: { kind: 'Pod', name: 'p', namespace: NS, uid: '', fieldPath: '' } }], notReadyAddresses: [], ports: [{ name: '', port: 8080, protocol: 'TCP' }] }],
    }),
    check: (o) => {
      assert.deepEqual(o.subsets, [{ addresses: [{ ip: '10.1.2.3', targetRef: { kind: 'Pod', name: 'p', namespace: NS } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    },
  },
  {
    kind: 'EndpointSlice',
    collection: `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
    item: (name) => `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices/${name}`,
    body: (name) => ({
      metadata: { name },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.2.3'], conditions: { ready: false }, deprecatedTopology: {} }],
      ports: [{ name: '', port: 8080, protocol: 'TCP' }],
    }),
    check: (o) => {
      // Pointers: a pointer to "" or false is a value, only nil is omitted.
      assert.deepEqual(o.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
      assert.deepEqual(o.endpoints, [{ addresses: ['10.1.2.3'], conditions: { ready: false } }]);
    },
  },
  {
    kind: 'Lease',
    collection: `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`,
    item: (name) => `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${name}`,
    body: (name) => ({ metadata: { name, annotations: {} }, spec: { holderIdentity: '', leaseDurationSeconds: 15, leaseTransitions: 0, acquireTime: null } }),
    check: (o) => {
      assert.deepEqual(o.spec, { holderIdentity: '', leaseDurationSeconds: 15, leaseTransitions: 0 });
    },
  },
  {
    kind: 'Event',
    collection: `/api/v1/namespaces/${NS}/events`,
    item: (name) => `/api/v1/namespaces/${NS}/events/${name}`,
    body: (name) => ({
      metadata: { name },
      involvedObject: { kind: 'Pod', name: 'p', namespace: NS, uid: '', fieldPath: '', resourceVersion: '' },
      reason: 'Started', message: '', type: 'Normal', count: 0, action: 'Start',
      source: { component: 'kubelet', host: '' },
      reportingComponent: 'kubelet', reportingInstance: 'node-a', firstTimestamp: null,
    }),
    check: (o) => {
      assert.deepEqual(o.involvedObject, { kind: 'Pod', name: 'p', namespace: NS });
      assert.deepEqual(o.source, { component: 'kubelet' });
      for (const field of ['message', 'count']) assert.equal(field in o, false, field);
      assert.equal(o.firstTimestamp, null);
    },
  },
];

describe('fields Kubernetes omits when empty', () => {
  const cluster = serverWithNamespace();
  let api: ClusterClient;
  let server: { url: string };
  before(() => {
    ({ api, server } = cluster);
  });

  for (const c of cases) {
    it(`${c.kind}: a client's empty omitempty fields are gone from the response, a get, a list and a watch event`, async () => {
      const name = `${c.kind.toLowerCase()}-empty`;
      const list = await api.request('GET', c.collection);
      const from = (list.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      const created = await api.create(c.collection, c.body(name));
      c.check(created);
      assertNoEmptyOmitempty(c.kind, created, 'create response');
      const got = (await api.get(c.item(name)))!;
      assertNoEmptyOmitempty(c.kind, got, 'get');
      const listed = (await api.list(c.collection)).find((o) => o.metadata.name === name);
      assertNoEmptyOmitempty(c.kind, listed, 'list');
      const watched = await firstWatchEvent(server.url, `${c.collection}?watch=true&resourceVersion=${from}&fieldSelector=metadata.name%3D${name}`);
      assert.equal(watched.type, 'ADDED');
      assertNoEmptyOmitempty(c.kind, watched.object, 'watch event');
      // An update with the fields empty again changes nothing.
      const put = await api.request('PUT', c.item(name), withEmptiesOf(c.body(name), got));
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assertNoEmptyOmitempty(c.kind, put.body, 'update response');
    });
  }

  it('Binding: a binding with empty reference fields leaves the bound pod without empty fields', async () => {
    await api.create(`/api/v1/namespaces/${NS}/pods`, { metadata: { name: 'to-bind' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const bound = await api.request('POST', `/api/v1/namespaces/${NS}/pods/to-bind/binding`, {
      metadata: { name: 'to-bind', labels: {} },
      target: { apiVersion: '', kind: 'Node', name: 'node-x', namespace: '', uid: '' },
    });
    assert.equal(bound.status, 201, JSON.stringify(bound.body));
    const pod = (await api.get(`/api/v1/namespaces/${NS}/pods/to-bind`))!;
    assert.equal(at(pod, 'spec', 'nodeName'), 'node-x');
    assertNoEmptyOmitempty('Pod', pod, 'after binding');
  });

  it('Table rows keep their cells and carry the object without empty fields', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/${NS}/endpoints?includeObject=Object`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const table = (await response.json()) as { rows: Array<{ cells: unknown[]; object: WireObject }> };
    const row = table.rows.find((r) => r.object.metadata.name === 'endpoints-empty')!;
    assert.deepEqual(row.cells.slice(0, 2), ['endpoints-empty', '10.1.2.3:8080']);
    assertNoEmptyOmitempty('Endpoints', row.object, 'table row');
  });
});

describe('fields Kubernetes omits when empty, in what the controllers write', () => {
  const cluster = serverWithNamespace();
  let api: ClusterClient;
  before(() => {
    ({ api } = cluster);
  });

  it('Endpoints of an unnamed Service port have no port name; EndpointSlices keep name ""', async () => {
    await api.create(`/api/v1/namespaces/${NS}/services`, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
    await api.create(`/api/v1/namespaces/${NS}/pods`, { metadata: { name: 'a', labels: { app: 'web' } }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx' }] } });
    await api.patch(`/api/v1/namespaces/${NS}/pods/a/status`, podStatus('10.244.1.5'));
    const endpoints = await api.waitFor('endpoints', () => api.get(`/api/v1/namespaces/${NS}/endpoints/web`), (e) => e?.subsets !== undefined);
    assert.deepEqual(at(endpoints, 'subsets', 0, 'ports'), [{ port: 8080, protocol: 'TCP' }]);
    assertNoEmptyOmitempty('Endpoints', endpoints, 'endpoints controller');
    const slices = await api.waitFor('slices', () => api.list(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`), (s) => s.length === 1 && (s[0]!.endpoints as unknown[]).length === 1);
    assert.deepEqual(slices[0]!.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
    assertNoEmptyOmitempty('EndpointSlice', slices[0], 'endpointslice controller');
  });

  it('a Pod the scheduler bound, and its Node, have no empty fields', async () => {
    await api.create('/api/v1/nodes', {
      metadata: { name: 'node-s' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }] },
    });
    await api.create(`/api/v1/namespaces/${NS}/pods`, { metadata: { name: 'unbound' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const pod = await api.waitFor('scheduled pod', () => api.get(`/api/v1/namespaces/${NS}/pods/unbound`), (p) => at(p, 'spec', 'nodeName') === 'node-s');
    assertNoEmptyOmitempty('Pod', pod, 'scheduler');
    assertNoEmptyOmitempty('Node', await api.get('/api/v1/nodes/node-s'), 'node');
  });
});

/** A test server holding the namespace NS, started before and closed after the enclosing suite. */
function serverWithNamespace(): { api: ClusterClient; server: TestServer } {
  const cluster = {} as { api: ClusterClient; server: TestServer };
  before(async () => {
    cluster.server = await startTestServer();
    cluster.api = new ClusterClient(cluster.server.url);
    await cluster.api.create('/api/v1/namespaces', { metadata: { name: NS } });
  });
  after(async () => {
    await cluster.server?.close();
  });
  return cluster;
}

/** `stored` with the empty fields of `body` put back, at every depth: the same update, spelled as the client first did. */
function withEmptiesOf(body: unknown, stored: unknown): unknown {
  if (Array.isArray(body) && Array.isArray(stored) && body.length === stored.length) return stored.map((item, i) => withEmptiesOf(body[i], item));
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(body) || !isObject(stored)) return stored;
  const out: Record<string, unknown> = { ...body };
  for (const [key, value] of Object.entries(stored)) out[key] = key in body ? withEmptiesOf(body[key], value) : value;
  return out;
}

/** The first event of a watch, read from its newline-delimited stream. */
async function firstWatchEvent(url: string, path: string): Promise<{ type: string; object: unknown }> {
  const controller = new AbortController();
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(10_000)]) });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`watch ${path} ended without an event`);
      buffered += decoder.decode(value, { stream: true });
      const newline = buffered.indexOf('\n');
      if (newline !== -1) return JSON.parse(buffered.slice(0, newline)) as { type: string; object: unknown };
    }
  } finally {
    controller.abort();
  }
}
