import type { Store } from '../../../storage/store.js';

// An independent check of the allocation invariants, written without the
// allocators' code: every ClusterIP and NodePort a stored Service carries is
// unique and recorded for that Service, and the tables record nothing else.

export interface AuditConfig {
  serviceCidr: string;
}

interface StoredService {
  metadata: { namespace?: string; name?: string };
  spec?: { type?: string; clusterIP?: string; ports?: Array<{ protocol?: string; nodePort?: number }>; healthCheckNodePort?: number };
}

function ipv4(text: string): number {
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** Problems found, as sentences; empty when the tables and the Services agree. */
export function auditServiceAllocations(store: Store, config: AuditConfig): string[] {
  const problems: string[] = [];
  const [network = '', bits = '32'] = config.serviceCidr.split('/');
  const base = ipv4(network);
  const size = 2 ** (32 - Number(bits));
  const services = store.list({ resource: 'services' }).items.map((item) => JSON.parse(item.value) as StoredService);

  const expected = new Map<string, string>();
  const claim = (pool: string, value: number, owner: string, what: string): void => {
    const key = `${pool}/${value}`;
    const holder = expected.get(key);
    if (holder && holder !== owner) problems.push(`${what} is held by both ${holder} and ${owner}`);
    expected.set(key, owner);
  };
  for (const svc of services) {
    const owner = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const spec = svc.spec ?? {};
    const ip = spec.clusterIP;
    if (ip && ip !== 'None') {
      const offset = ipv4(ip) - base;
      if (offset <= 0 || offset >= size - 1) problems.push(`${owner} has ClusterIP ${ip} outside ${config.serviceCidr} or on its edge`);
      claim(`clusterip:${config.serviceCidr}`, offset, owner, `ClusterIP ${ip}`);
    }
    for (const port of spec.ports ?? []) {
      if (port.nodePort) claim(`nodeport:${port.protocol ?? 'TCP'}`, port.nodePort, owner, `NodePort ${port.nodePort}/${port.protocol ?? 'TCP'}`);
    }
    if (spec.healthCheckNodePort) claim('nodeport:TCP', spec.healthCheckNodePort, owner, `health-check NodePort ${spec.healthCheckNodePort}`);
  }

  const recorded = new Map<string, string>();
  for (const pool of [`clusterip:${config.serviceCidr}`, 'nodeport:TCP', 'nodeport:UDP', 'nodeport:SCTP']) {
    for (const row of store.allocations(pool)) recorded.set(`${pool}/${row.value}`, `${row.owner.namespace}/${row.owner.name}`);
  }
  for (const [key, owner] of expected) {
    const holder = recorded.get(key);
    if (holder === undefined) problems.push(`${key} (${owner}) is not recorded`);
    else if (holder !== owner) problems.push(`${key} is carried by ${owner} but recorded for ${holder}`);
  }
  for (const [key, holder] of recorded) {
    if (!expected.has(key)) problems.push(`${key} is recorded for ${holder} but no Service carries it (leak)`);
  }
  return problems;
}
