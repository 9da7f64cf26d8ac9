import type {
  EndpointSlice,
  Endpoints,
  KubeObject,
  Lease,
  Namespace,
  Node,
  Pod,
  Service,
} from './types.js';

/**
 * Where a kind lives on the wire. The type parameter is carried only so that
 * `client.get(pods, …)` returns a `Pod`; nothing reads it at run time.
 */
export interface ResourceDescriptor<T extends KubeObject = KubeObject> {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Phantom marker tying the descriptor to its object type. */
  readonly __type?: T;
}

function describe<T extends KubeObject>(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
): ResourceDescriptor<T> {
  return Object.freeze({ group, version, plural, kind, namespaced });
}

export const namespaces = describe<Namespace>('', 'v1', 'namespaces', 'Namespace', false);
export const nodes = describe<Node>('', 'v1', 'nodes', 'Node', false);
export const pods = describe<Pod>('', 'v1', 'pods', 'Pod', true);
export const services = describe<Service>('', 'v1', 'services', 'Service', true);
export const endpoints = describe<Endpoints>('', 'v1', 'endpoints', 'Endpoints', true);
export const endpointSlices = describe<EndpointSlice>(
  'discovery.k8s.io',
  'v1',
  'endpointslices',
  'EndpointSlice',
  true,
);
export const leases = describe<Lease>('coordination.k8s.io', 'v1', 'leases', 'Lease', true);

export const resources = Object.freeze({
  namespaces,
  nodes,
  pods,
  services,
  endpoints,
  endpointSlices,
  leases,
});

/** `apiVersion` as objects carry it: `v1` for core, `group/version` otherwise. */
export function apiVersionOf(resource: ResourceDescriptor): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/**
 * The collection path. A namespaced resource without a namespace gives the
 * all-namespaces path (`/api/v1/pods`), which only list and watch accept.
 */
export function collectionPath(resource: ResourceDescriptor, namespace?: string): string {
  const root = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  if (resource.namespaced && namespace !== undefined && namespace !== '') {
    return `${root}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
  }
  return `${root}/${resource.plural}`;
}

export function objectPath(
  resource: ResourceDescriptor,
  name: string,
  namespace?: string,
  subresource?: string,
): string {
  if (resource.namespaced && (namespace === undefined || namespace === '')) {
    throw new TypeError(`${resource.plural} are namespaced: a namespace is required to address "${name}"`);
  }
  const base = `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
  return subresource === undefined ? base : `${base}/${subresource}`;
}
