// Services + EndpointSlices → ForwardingTable, with kube-proxy's rules for
// which Services are proxied and which endpoints receive traffic
// (pkg/proxy/servicechangetracker.go, endpointslicecache.go, topology.go).
// Pure: the same inputs give the same table, in the same order.

import type { Endpoint, EndpointSlice, Service, ServicePort } from '../../client/types.js';
import type { ForwardingEndpoint, ForwardingTable, Protocol, ServicePortRule } from './forwarding-table.js';

export interface ForwardingNode {
  name: string;
  /** Addresses NodePorts are captured on. */
  ips: readonly string[];
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** kube-proxy's default when sessionAffinityConfig.clientIP.timeoutSeconds is unset: 3 hours. */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10_800;

/** One endpoint as the slices describe it, before the traffic-policy choice. */
interface CandidateEndpoint extends ForwardingEndpoint {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export function buildForwardingTable(
  services: Iterable<Service>,
  slices: Iterable<EndpointSlice>,
  node: ForwardingNode,
): ForwardingTable {
  const slicesByService = groupSlices(slices);
  const rules: ServicePortRule[] = [];
  for (const service of services) {
    if (!isProxied(service)) continue;
    const namespace = service.metadata.namespace ?? 'default';
    const name = service.metadata.name ?? '';
    const serviceSlices = slicesByService.get(`${namespace}/${name}`) ?? [];
    for (const port of service.spec?.ports ?? []) {
      rules.push(ruleFor(service, namespace, name, port, serviceSlices, node.name));
    }
  }
  rules.sort((a, b) => compareStrings(a.id, b.id));
  return { nodeIPs: [...node.ips], rules };
}

/** ExternalName Services are DNS only; headless ones have no virtual IP to capture. */
function isProxied(service: Service): boolean {
  const spec = service.spec;
  if (spec === undefined || spec.type === 'ExternalName') return false;
  const clusterIP = spec.clusterIPs?.[0] ?? spec.clusterIP;
  return clusterIP !== undefined && clusterIP !== '' && clusterIP !== 'None';
}

function groupSlices(slices: Iterable<EndpointSlice>): Map<string, EndpointSlice[]> {
  const grouped = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (service === undefined || service === '' || slice.addressType === 'FQDN') continue;
    const key = `${slice.metadata.namespace ?? 'default'}/${service}`;
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [slice]);
    else list.push(slice);
  }
  // Slice order decides which duplicate wins; sort so it is never watch order.
  for (const list of grouped.values()) list.sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''));
  return grouped;
}

function ruleFor(
  service: Service,
  namespace: string,
  name: string,
  port: ServicePort,
  slices: readonly EndpointSlice[],
  nodeName: string,
): ServicePortRule {
  const spec = service.spec ?? {};
  const protocol: Protocol = port.protocol ?? 'TCP';
  const portName = port.name ?? '';
  const clusterIPs = unique(spec.clusterIPs ?? (spec.clusterIP === undefined ? [] : [spec.clusterIP]));
  const families = new Set(clusterIPs.map(ipFamily));
  const candidates = candidateEndpoints(slices, portName, protocol, families, nodeName);
  const externalTrafficPolicy = spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
  const internalTrafficPolicy = spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
  const hasNodePort = (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && port.nodePort !== undefined && port.nodePort > 0;
  const loadBalancerIPs = spec.type === 'LoadBalancer' ? unique((service.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []))) : [];

  const rule: ServicePortRule = {
    id: `${namespace}/${name}:${portName === '' ? String(port.port) : portName}/${protocol}`,
    namespace,
    service: name,
    portName,
    protocol,
    clusterIPs,
    externalIPs: unique(spec.externalIPs ?? []),
    port: port.port,
    endpoints: clusterEndpoints(candidates),
    externalTrafficPolicy,
    internalTrafficPolicy,
  };
  if (hasNodePort) rule.nodePort = port.nodePort;
  if (spec.sessionAffinity === 'ClientIP') {
    rule.affinityTimeoutSeconds = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS;
  }
  // externalTrafficPolicy only matters where traffic arrives from outside the cluster.
  const usesLocalExternally = externalTrafficPolicy === 'Local' && (hasNodePort || rule.externalIPs.length > 0 || loadBalancerIPs.length > 0);
  if (usesLocalExternally || internalTrafficPolicy === 'Local') rule.localEndpoints = localEndpoints(candidates);
  if (loadBalancerIPs.length > 0) rule.loadBalancerIPs = loadBalancerIPs;
  return rule;
}

/**
 * The endpoints of one Service port, matched by port NAME and protocol (a
 * slice's ports carry the Service port's name, and the target port number
 * may differ per slice), first address of each endpoint only, as kube-proxy
 * does, de-duplicated by ip:port across slices.
 */
function candidateEndpoints(
  slices: readonly EndpointSlice[],
  portName: string,
  protocol: Protocol,
  families: ReadonlySet<'IPv4' | 'IPv6'>,
  nodeName: string,
): CandidateEndpoint[] {
  const byAddress = new Map<string, CandidateEndpoint>();
  for (const slice of slices) {
    if (!families.has(slice.addressType as 'IPv4' | 'IPv6')) continue;
    const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    const number = slicePort?.port;
    if (number === undefined || number < 1 || number > 65535) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const candidate = toCandidate(endpoint, number, nodeName);
      if (candidate === undefined || ipFamily(candidate.ip) !== slice.addressType) continue;
      const key = `${candidate.ip}|${number}`;
      const existing = byAddress.get(key);
      if (existing === undefined || outranks(candidate, existing)) byAddress.set(key, candidate);
    }
  }
  return [...byAddress.values()].sort(compareEndpoints);
}

function toCandidate(endpoint: Endpoint, port: number, nodeName: string): CandidateEndpoint | undefined {
  const ip = endpoint.addresses?.[0];
  if (ip === undefined || ip === '') return undefined;
  const conditions = endpoint.conditions ?? {};
  // discovery/v1: an unset ready or serving condition means true (unknown is
  // treated as ready), an unset terminating one means false.
  const ready = conditions.ready ?? true;
  const candidate: CandidateEndpoint = {
    ip,
    port,
    local: endpoint.nodeName !== undefined && endpoint.nodeName === nodeName,
    ready,
    serving: conditions.serving ?? ready,
    terminating: conditions.terminating ?? false,
  };
  if (endpoint.nodeName !== undefined) candidate.nodeName = endpoint.nodeName;
  return candidate;
}

// A pod listed twice (two slices mid-update) keeps its most usable state, and
// a local copy over a remote one.
function outranks(a: CandidateEndpoint, b: CandidateEndpoint): boolean {
  const rank = (e: CandidateEndpoint): number => (e.ready ? 2 : e.serving && e.terminating ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) > rank(b);
  return a.local && !b.local;
}

/** Ready endpoints; if none is ready anywhere, the serving ones that are terminating (graceful drain). */
function clusterEndpoints(candidates: readonly CandidateEndpoint[]): ForwardingEndpoint[] {
  const ready = candidates.filter((e) => e.ready);
  if (ready.length > 0) return ready.map(stripConditions);
  return candidates.filter((e) => e.serving && e.terminating).map(stripConditions);
}

/** This node's ready endpoints; if it has none, its serving-terminating ones. */
function localEndpoints(candidates: readonly CandidateEndpoint[]): ForwardingEndpoint[] {
  const local = candidates.filter((e) => e.local);
  const ready = local.filter((e) => e.ready);
  if (ready.length > 0) return ready.map(stripConditions);
  return local.filter((e) => e.serving && e.terminating).map(stripConditions);
}

function stripConditions(candidate: CandidateEndpoint): ForwardingEndpoint {
  const endpoint: ForwardingEndpoint = { ip: candidate.ip, port: candidate.port, local: candidate.local };
  if (candidate.nodeName !== undefined) endpoint.nodeName = candidate.nodeName;
  return endpoint;
}

function ipFamily(ip: string): 'IPv4' | 'IPv6' {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}

function compareEndpoints(a: ForwardingEndpoint, b: ForwardingEndpoint): number {
  return compareIPs(a.ip, b.ip) || a.port - b.port;
}

/** IPv4 numerically (10.0.0.9 before 10.0.0.10), then IPv6 by text. */
export function compareIPs(a: string, b: string): number {
  const ka = ipv4Key(a);
  const kb = ipv4Key(b);
  if (ka !== undefined && kb !== undefined) return ka - kb;
  if (ka !== undefined) return -1;
  if (kb !== undefined) return 1;
  return compareStrings(a, b);
}

function ipv4Key(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let key = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) return undefined;
    key = key * 256 + octet;
  }
  return key;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
