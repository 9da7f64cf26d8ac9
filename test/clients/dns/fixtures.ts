import type { EndpointSlice, Service, ServicePort } from '../../../clients/client/types.js';

export function clusterIPService(namespace: string, name: string, clusterIP: string | string[], ports: ServicePort[] = []): Service {
  const ips = Array.isArray(clusterIP) ? clusterIP : [clusterIP];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, uid: `uid-${namespace}-${name}`, resourceVersion: '1' },
    spec: { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ports },
  };
}

export function headlessService(namespace: string, name: string, ports: ServicePort[] = [], publishNotReadyAddresses = false): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, uid: `uid-${namespace}-${name}`, resourceVersion: '1' },
    spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports, publishNotReadyAddresses },
  };
}

export function externalNameService(namespace: string, name: string, externalName: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, uid: `uid-${namespace}-${name}`, resourceVersion: '1' },
    spec: { type: 'ExternalName', externalName },
  };
}

export interface EndpointSpec {
  ip: string;
  hostname?: string;
  ready?: boolean;
}

export function slice(
  namespace: string,
  service: string,
  name: string,
  endpoints: EndpointSpec[],
  ports: Array<{ name?: string; port: number; protocol?: 'TCP' | 'UDP' }> = [],
  addressType: 'IPv4' | 'IPv6' = 'IPv4',
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': service }, resourceVersion: '1' },
    addressType,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      ...(e.hostname === undefined ? {} : { hostname: e.hostname }),
      ...(e.ready === undefined ? {} : { conditions: { ready: e.ready } }),
    })),
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}
