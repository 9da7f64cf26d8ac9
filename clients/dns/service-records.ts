import type { EndpointSlice, Service } from '../client/types.js';
import { addressFamily, dashedAddress, reverseName } from './names.js';

export interface SrvTarget {
  priority: number;
  weight: number;
  port: number;
  /** Normalized in-zone name whose A/AAAA records go in the additional section. */
  target: string;
}

/** Everything one name answers. A name with no records at all is an empty non-terminal (NODATA, not NXDOMAIN). */
export interface NameRecords {
  a: string[];
  aaaa: string[];
  srv: SrvTarget[];
  /** ExternalName services: answered for every query type, never chased. */
  cname?: string;
}

export interface ServiceRecordSet {
  names: Map<string, NameRecords>;
  /** reverse name (`…in-addr.arpa`) → PTR targets */
  ptrs: Map<string, string[]>;
}

/**
 * The records one Service contributes, following the Kubernetes DNS
 * specification (and CoreDNS where the specification leaves room):
 * - ClusterIP: `<svc>.<ns>.svc.<zone>` → the ClusterIPs; SRV targets that name.
 * - Headless: the name → every ready endpoint address, each endpoint also
 *   gets `<hostname or dashed-address>.<svc>.<ns>.svc.<zone>`; SRV targets those.
 * - ExternalName: the name is a CNAME.
 * - PTR for ClusterIPs and for ready endpoint addresses.
 */
export function serviceRecords(service: Service, slices: Iterable<EndpointSlice>, zone: string): ServiceRecordSet {
  const set: ServiceRecordSet = { names: new Map(), ptrs: new Map() };
  const name = service.metadata.name?.toLowerCase();
  const namespace = service.metadata.namespace?.toLowerCase();
  if (name === undefined || namespace === undefined) return set;
  const base = `${name}.${namespace}.svc.${zone}`;
  const spec = service.spec ?? {};

  if (spec.type === 'ExternalName') {
    const target = spec.externalName?.replace(/\.$/, '');
    set.names.set(base, target === undefined || target === '' ? emptyRecords() : { ...emptyRecords(), cname: target });
    return set;
  }

  const baseRecords = recordsAt(set, base);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const endpoints = readyEndpoints(slices, publishNotReady);

  if (isHeadless(service)) {
    for (const endpoint of endpoints) {
      const endpointName = `${endpoint.label}.${base}`;
      addAddress(baseRecords, endpoint.address);
      addAddress(recordsAt(set, endpointName), endpoint.address);
      addPtr(set, endpoint.address, endpointName);
    }
    // Port numbers come from the slices: a named targetPort may resolve to a different number per Pod.
    for (const endpoint of endpoints) {
      for (const port of endpoint.ports) {
        const target = `${endpoint.label}.${base}`;
        addSrv(set, baseRecords, base, port.name, port.protocol, { priority: 0, weight: 0, port: port.port, target });
      }
    }
  } else {
    for (const ip of clusterIPs(service)) {
      addAddress(baseRecords, ip);
      addPtr(set, ip, base);
    }
    for (const port of spec.ports ?? []) {
      addSrv(set, baseRecords, base, port.name, port.protocol ?? 'TCP', { priority: 0, weight: 0, port: port.port, target: base });
    }
    // CoreDNS answers reverse lookups of any endpoint address, not only headless ones.
    for (const endpoint of endpoints) addPtr(set, endpoint.address, `${endpoint.label}.${base}`);
  }

  for (const records of set.names.values()) assignWeights(records.srv);
  return set;
}

export function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === 'None' || service.spec?.clusterIPs?.[0] === 'None';
}

export function clusterIPs(service: Service): string[] {
  const spec = service.spec ?? {};
  const candidates = spec.clusterIPs !== undefined && spec.clusterIPs.length > 0 ? spec.clusterIPs : [spec.clusterIP ?? ''];
  return candidates.filter((ip) => addressFamily(ip) !== undefined);
}

interface ReadyEndpoint {
  address: string;
  /** hostname, or the dashed address */
  label: string;
  ports: Array<{ name: string | undefined; protocol: string; port: number }>;
}

function readyEndpoints(slices: Iterable<EndpointSlice>, publishNotReady: boolean): ReadyEndpoint[] {
  const result: ReadyEndpoint[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const ports = (slice.ports ?? [])
      .filter((port): port is typeof port & { port: number } => typeof port.port === 'number')
      .map((port) => ({ name: port.name, protocol: port.protocol ?? 'TCP', port: port.port }));
    for (const endpoint of slice.endpoints ?? []) {
      // The API says a nil ready condition means ready.
      if (!publishNotReady && endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses ?? []) {
        if (addressFamily(address) === undefined || seen.has(address)) continue;
        seen.add(address);
        const hostname = endpoint.hostname?.toLowerCase();
        result.push({ address, label: hostname !== undefined && hostname !== '' ? hostname : dashedAddress(address), ports });
      }
    }
  }
  return result;
}

function emptyRecords(): NameRecords {
  return { a: [], aaaa: [], srv: [] };
}

function recordsAt(set: ServiceRecordSet, name: string): NameRecords {
  let records = set.names.get(name);
  if (records === undefined) {
    records = emptyRecords();
    set.names.set(name, records);
  }
  return records;
}

function addAddress(records: NameRecords, address: string): void {
  const list = addressFamily(address) === 'IPv6' ? records.aaaa : records.a;
  if (!list.includes(address)) list.push(address);
}

function addPtr(set: ServiceRecordSet, address: string, target: string): void {
  const name = reverseName(address);
  const targets = set.ptrs.get(name);
  if (targets === undefined) set.ptrs.set(name, [target]);
  else if (!targets.includes(target)) targets.push(target);
}

// SRV lives at `_<port>._<proto>.<base>` (named ports only, RFC 2782), and
// the bare service name answers SRV for every port, as CoreDNS does. The
// `_<proto>.<base>` name exists as an empty non-terminal.
function addSrv(
  set: ServiceRecordSet,
  baseRecords: NameRecords,
  base: string,
  portName: string | undefined,
  protocol: string,
  srv: SrvTarget,
): void {
  pushSrv(baseRecords.srv, srv);
  if (portName === undefined || portName === '') return;
  const proto = protocol.toLowerCase();
  recordsAt(set, `_${proto}.${base}`);
  pushSrv(recordsAt(set, `_${portName.toLowerCase()}._${proto}.${base}`).srv, srv);
}

function pushSrv(list: SrvTarget[], srv: SrvTarget): void {
  if (!list.some((existing) => existing.port === srv.port && existing.target === srv.target)) list.push({ ...srv });
}

// Equal shares of 100 among the records of one name (at least 1: a weight of
// 0 means "only when nothing else is left" in RFC 2782).
function assignWeights(list: SrvTarget[]): void {
  const weight = Math.max(1, Math.floor(100 / Math.max(1, list.length)));
  for (const srv of list) srv.weight = weight;
}
