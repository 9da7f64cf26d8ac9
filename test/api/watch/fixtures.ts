// Valid objects of every kind skiff serves, and where each lives, for the watch tests.

export interface ResourceFixture {
  resource: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
  /** The collection path: of one namespace for namespaced kinds. */
  collection(namespace?: string): string;
  /** Every namespace for namespaced kinds; the only path for cluster-scoped ones. */
  clusterCollection: string;
  body(name: string, labels?: Record<string, string>): Record<string, unknown>;
}

function namespaced(resource: string, kind: string, apiVersion: string, spec: (name: string) => Record<string, unknown>): ResourceFixture {
  const prefix = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  return {
    resource,
    kind,
    apiVersion,
    namespaced: true,
    collection: (namespace = 'default') => `${prefix}/namespaces/${namespace}/${resource}`,
    clusterCollection: `${prefix}/${resource}`,
    body: (name, labels = {}) => ({ apiVersion, kind, metadata: { name, labels }, ...spec(name) }),
  };
}

function clusterScoped(resource: string, kind: string, spec: (name: string) => Record<string, unknown>): ResourceFixture {
  return {
    resource,
    kind,
    apiVersion: 'v1',
    namespaced: false,
    collection: () => `/api/v1/${resource}`,
    clusterCollection: `/api/v1/${resource}`,
    body: (name, labels = {}) => ({ apiVersion: 'v1', kind, metadata: { name, labels }, ...spec(name) }),
  };
}

// Bound at create, so the in-process scheduler leaves them alone: every event a test sees is its own.
export const WATCH_TEST_NODE = 'watch-test-node';
export const pods = namespaced('pods', 'Pod', 'v1', () => ({
  spec: { nodeName: WATCH_TEST_NODE, containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
}));
export const services = namespaced('services', 'Service', 'v1', () => ({ spec: { ports: [{ port: 80 }], selector: { app: 'web' } } }));
export const endpoints = namespaced('endpoints', 'Endpoints', 'v1', () => ({
  subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }],
}));
export const endpointSlices = namespaced('endpointslices', 'EndpointSlice', 'discovery.k8s.io/v1', () => ({
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
  ports: [{ port: 8080, protocol: 'TCP' }],
}));
export const leases = namespaced('leases', 'Lease', 'coordination.k8s.io/v1', (name) => ({ spec: { holderIdentity: name, leaseDurationSeconds: 40 } }));
export const nodes = clusterScoped('nodes', 'Node', () => ({ spec: {} }));
export const namespaces = clusterScoped('namespaces', 'Namespace', () => ({}));

export const ALL_RESOURCES: readonly ResourceFixture[] = [pods, services, endpoints, endpointSlices, leases, nodes, namespaces];

/** A path to one object of `fixture`. */
export function objectPath(fixture: ResourceFixture, name: string, namespace = 'default'): string {
  return `${fixture.collection(namespace)}/${name}`;
}
