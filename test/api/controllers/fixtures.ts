import type { Node } from '../../../api/schemas/node.js';
import type { Pod } from '../../../api/schemas/pod.js';
import type { Service } from '../../../api/schemas/service.js';

export interface PodOptions {
  labels?: Record<string, string>;
  ip?: string;
  ips?: string[];
  ready?: boolean;
  node?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  deleting?: boolean;
  phase?: string;
  hostname?: string;
  subdomain?: string;
}

export function pod(name: string, options: PodOptions = {}): Pod {
  const ips = options.ips ?? (options.ip ? [options.ip] : []);
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: options.labels ?? { app: 'web' },
      ...(options.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'nginx', ports: options.ports ?? [] }],
      ...(options.node ? { nodeName: options.node } : {}),
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
    },
    status: {
      phase: options.phase ?? 'Running',
      ...(ips.length > 0 ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  };
}

export function service(name: string, spec: Service['spec'] = {}, labels?: Record<string, string>): Service {
  return {
    metadata: { name, namespace: 'default', uid: `uid-svc-${name}`, ...(labels ? { labels } : {}) },
    spec: {
      selector: { app: 'web' },
      clusterIP: '10.96.0.10',
      type: 'ClusterIP',
      ipFamilies: ['IPv4'],
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      ...spec,
    },
  };
}

export function node(name: string, ready: 'True' | 'False' | 'Unknown' | undefined, spec: Node['spec'] = {}, labels?: Record<string, string>): Node {
  return {
    metadata: { name, ...(labels ? { labels } : {}) },
    spec,
    status: ready ? { conditions: [{ type: 'Ready', status: ready }] } : {},
  };
}

export const noNodeLost = (): boolean => false;
