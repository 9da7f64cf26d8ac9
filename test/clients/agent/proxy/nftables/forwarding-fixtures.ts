// Small ForwardingTables for the kernel backends' tests (nftables and iptables).

import type { ForwardingEndpoint, ForwardingTable, ServicePortRule } from '../../../../../clients/agent/proxy/forwarding-table.js';

export function endpoint(ip: string, port = 8080, local = false): ForwardingEndpoint {
  return { ip, port, local };
}

/** A ClusterIP Service port; override any field. The id follows the table's `<ns>/<svc>:<port>/<protocol>` form. */
export function servicePort(overrides: Partial<ServicePortRule> & { service: string }): ServicePortRule {
  const namespace = overrides.namespace ?? 'default';
  const portName = overrides.portName ?? '';
  const port = overrides.port ?? 80;
  const protocol = overrides.protocol ?? 'TCP';
  return {
    id: `${namespace}/${overrides.service}:${portName !== '' ? portName : port}/${protocol}`,
    namespace,
    portName,
    protocol,
    clusterIPs: [],
    externalIPs: [],
    port,
    endpoints: [],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ...overrides,
  };
}

/** ClusterIP 10.96.0.10:80 → 10.244.1.5:8080 and 10.244.2.5:8080. */
export const webService = servicePort({
  service: 'web',
  clusterIPs: ['10.96.0.10'],
  endpoints: [endpoint('10.244.1.5', 8080, true), endpoint('10.244.2.5')],
});

/** NodePort 30080 (ClusterIP 10.96.0.20:80, port named http) → 10.244.1.6:8080 and 10.244.2.6:8080. */
export const nodePortService = servicePort({
  service: 'api',
  portName: 'http',
  clusterIPs: ['10.96.0.20'],
  nodePort: 30080,
  endpoints: [endpoint('10.244.1.6', 8080, true), endpoint('10.244.2.6')],
});

/** ClientIP affinity with a 600 s timeout. */
export const stickyService = servicePort({
  service: 'sticky',
  clusterIPs: ['10.96.0.40'],
  affinityTimeoutSeconds: 600,
  endpoints: [endpoint('10.244.1.7', 8080, true), endpoint('10.244.2.7')],
});

/** No ready endpoint: ClusterIP 10.96.0.30:80 and NodePort 30081 must reject. */
export const emptyService = servicePort({ service: 'empty', clusterIPs: ['10.96.0.30'], nodePort: 30081 });

export function tableOf(rules: ServicePortRule[], nodeIPs: string[] = ['10.250.0.11']): ForwardingTable {
  return { nodeIPs, rules: [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
