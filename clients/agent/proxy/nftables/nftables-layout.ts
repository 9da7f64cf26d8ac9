// The fixed skeleton of skiff's nftables table, after kube-proxy's
// (pkg/proxy/nftables/README.md): base chains on the netfilter hooks, the
// dispatch maps Services hang from, the masquerade mark, hairpin masquerade
// and the no-endpoint reject. clients/agent/README.md draws the packet path.
//
// One departure, measured: kube-proxy gives every Service a chain with an
// anonymous `numgen … vmap` and every endpoint a chain of its own. With
// nft 1.0.6 on Linux 6.x, 10,000 Services laid out that way take minutes of
// kernel time to load (anonymous set names are allocated by a scan of all
// sets, so creating n of them is quadratic). Here a plain Service (Cluster
// policies, no session affinity) owns no chain or rule at all, only map
// elements: `service-ips` sends it to a shared `dispatch-N` chain (N = its
// endpoint count) whose one rule per protocol DNATs through
// `service-endpoints-<proto>[vip . port . (numgen random mod N)]`. Services
// with session affinity or a Local traffic policy keep kube-proxy's
// per-Service and per-endpoint chains.

import type { AddressFamily } from '../categorize-endpoints.js';

export interface NftablesOptions {
  /** Name of the table (in family ip, and ip6 when needed). Default "skiff". */
  tableName?: string;
  /** The bit that marks a packet for masquerading. Default 0x4000, kube-proxy's. */
  masqueradeMark?: number;
}

export const DEFAULT_NFT_TABLE = 'skiff';
export const DEFAULT_MASQUERADE_MARK = 0x4000;

export const SERVICE_IPS_MAP = 'service-ips';
export const SERVICE_NODEPORTS_MAP = 'service-nodeports';
export const NO_ENDPOINT_SERVICES_MAP = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS_MAP = 'no-endpoint-nodeports';
export const NODEPORT_IPS_SET = 'nodeport-ips';
export const HAIRPIN_SET = 'hairpin';
export const SERVICES_CHAIN = 'services';
export const ENDPOINTS_CHECK_CHAIN = 'endpoints-check';
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
export const MASQUERADING_CHAIN = 'masquerading';
export const REJECT_CHAIN = 'reject-chain';

/** Port DNAT needs a protocol match in the same rule, so endpoint maps and dispatch rules are per protocol. */
export const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;
export type NftProtocol = (typeof PROTOCOLS)[number];

/**
 * `vip . port . n` → endpoint address . port, one map per protocol. (A
 * single map keyed on `meta l4proto . th dport` loads fine, but nft 1.0.6
 * cannot add a rule that uses such a map once it is in the kernel — it
 * misreads `th` in the stored `typeof` — which incremental updates need.)
 */
export type ServiceEndpointsMap = `service-endpoints-${NftProtocol}`;
/** `nodePort . n` → endpoint address . port. */
export type NodePortEndpointsMap = `nodeport-endpoints-${NftProtocol}`;

export function serviceEndpointsMap(protocol: NftProtocol): ServiceEndpointsMap {
  return `service-endpoints-${protocol}`;
}

export function nodePortEndpointsMap(protocol: NftProtocol): NodePortEndpointsMap {
  return `nodeport-endpoints-${protocol}`;
}

export type DispatchMap =
  | typeof SERVICE_IPS_MAP
  | typeof SERVICE_NODEPORTS_MAP
  | ServiceEndpointsMap
  | NodePortEndpointsMap
  | typeof NO_ENDPOINT_SERVICES_MAP
  | typeof NO_ENDPOINT_NODEPORTS_MAP;

export const DISPATCH_MAPS: readonly DispatchMap[] = [
  SERVICE_IPS_MAP,
  SERVICE_NODEPORTS_MAP,
  ...PROTOCOLS.map(serviceEndpointsMap),
  ...PROTOCOLS.map(nodePortEndpointsMap),
  NO_ENDPOINT_SERVICES_MAP,
  NO_ENDPOINT_NODEPORTS_MAP,
];

/**
 * A shared chain that picks one of N endpoints: `dispatch-N` for ClusterIPs,
 * `external-dispatch-N` for external IPs and load-balancer IPs (masquerade,
 * then the same pick), `nodeport-dispatch-N` for NodePorts.
 */
export interface DispatchChainRef {
  kind: 'service' | 'external' | 'nodeport';
  endpoints: number;
}

export function dispatchChainName(ref: DispatchChainRef): string {
  const prefix = ref.kind === 'service' ? '' : `${ref.kind}-`;
  return `${prefix}dispatch-${ref.endpoints}`;
}

export interface FamilySyntax {
  /** nft table family, also the payload keyword: `ip daddr`, `ip6 daddr`. */
  ipX: 'ip' | 'ip6';
  addrType: 'ipv4_addr' | 'ipv6_addr';
  /** NodePorts are never captured on loopback (kube-proxy does not support localhost NodePorts). */
  notLoopback: string;
}

export function familySyntax(family: AddressFamily): FamilySyntax {
  return family === 'ipv6'
    ? { ipX: 'ip6', addrType: 'ipv6_addr', notLoopback: 'ip6 daddr != ::1' }
    : { ipX: 'ip', addrType: 'ipv4_addr', notLoopback: 'ip daddr != 127.0.0.0/8' };
}

export function hexMark(mark: number): string {
  return `0x${mark.toString(16)}`;
}

export function dispatchChainRules(s: FamilySyntax, ref: DispatchChainRef): string[] {
  const rules: string[] = [];
  if (ref.kind === 'external') {
    // External IPs and load-balancer IPs may be reached from anywhere and the
    // endpoint may be on another node: masquerade so replies come back here.
    return [`jump ${MARK_MASQ_CHAIN}`, `goto ${dispatchChainName({ kind: 'service', endpoints: ref.endpoints })}`];
  }
  const pick = `numgen random mod ${ref.endpoints}`;
  if (ref.kind === 'nodeport') {
    rules.push(`jump ${MARK_MASQ_CHAIN}`);
    for (const p of PROTOCOLS) {
      rules.push(`meta l4proto ${p} dnat ${s.ipX} to ${p} dport . ${pick} map @${nodePortEndpointsMap(p)}`);
    }
    return rules;
  }
  for (const p of PROTOCOLS) {
    rules.push(`meta l4proto ${p} dnat ${s.ipX} to ${s.ipX} daddr . ${p} dport . ${pick} map @${serviceEndpointsMap(p)}`);
  }
  return rules;
}

/**
 * Base chains: type, hook, priority. Filter chains run just before DNAT
 * (dstnat - 10) so they see the Service address; reject is not allowed in
 * prerouting on older kernels, hence input/forward/output.
 */
const BASE_CHAINS: ReadonlyArray<{ name: string; spec: string; rules: (s: FamilySyntax) => string[] }> = [
  { name: 'filter-input', spec: 'type filter hook input priority -110; policy accept;', rules: () => [`ct state new jump ${ENDPOINTS_CHECK_CHAIN}`] },
  { name: 'filter-forward', spec: 'type filter hook forward priority -110; policy accept;', rules: () => [`ct state new jump ${ENDPOINTS_CHECK_CHAIN}`] },
  { name: 'filter-output', spec: 'type filter hook output priority -110; policy accept;', rules: () => [`ct state new jump ${ENDPOINTS_CHECK_CHAIN}`] },
  { name: 'nat-prerouting', spec: 'type nat hook prerouting priority -100; policy accept;', rules: () => [`jump ${SERVICES_CHAIN}`] },
  { name: 'nat-output', spec: 'type nat hook output priority -100; policy accept;', rules: () => [`jump ${SERVICES_CHAIN}`] },
  {
    name: 'nat-postrouting',
    spec: 'type nat hook postrouting priority 100; policy accept;',
    // Hairpin: a pod that reaches its own Service and is DNATed back to
    // itself must see the node as the source, or it would answer itself
    // directly and the client socket would never match the reply.
    rules: (s) => [`jump ${MASQUERADING_CHAIN}`, `ct status dnat ${s.ipX} saddr . ${s.ipX} daddr @${HAIRPIN_SET} masquerade`],
  },
];

/** Rules of the `services` chain: ClusterIPs and external IPs by map, then NodePorts on node addresses. */
export function servicesChainRules(s: FamilySyntax, nodeIPs: readonly string[]): string[] {
  return [
    `${s.ipX} daddr . meta l4proto . th dport vmap @${SERVICE_IPS_MAP}`,
    `${nodePortMatch(s, nodeIPs)} meta l4proto . th dport vmap @${SERVICE_NODEPORTS_MAP}`,
  ];
}

/** Rules of the `endpoints-check` chain (reached from filter hooks for new connections only). */
export function endpointsCheckRules(s: FamilySyntax, nodeIPs: readonly string[]): string[] {
  return [
    `${s.ipX} daddr . meta l4proto . th dport vmap @${NO_ENDPOINT_SERVICES_MAP}`,
    `${nodePortMatch(s, nodeIPs)} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS_MAP}`,
  ];
}

/** Explicit node addresses when the agent knows them, else every local address, as kube-proxy's default. */
function nodePortMatch(s: FamilySyntax, nodeIPs: readonly string[]): string {
  return nodeIPs.length > 0 ? `${s.ipX} daddr @${NODEPORT_IPS_SET}` : `fib daddr type local ${s.notLoopback}`;
}

export function mapType(s: FamilySyntax, map: DispatchMap): string {
  switch (map) {
    case SERVICE_NODEPORTS_MAP:
    case NO_ENDPOINT_NODEPORTS_MAP:
      return 'type inet_proto . inet_service : verdict';
    case SERVICE_IPS_MAP:
    case NO_ENDPOINT_SERVICES_MAP:
      return `type ${s.addrType} . inet_proto . inet_service : verdict`;
    default: {
      // numgen has no named type; `typeof` lets it be part of the key.
      const protocol = map.slice(map.lastIndexOf('-') + 1);
      const vip = map.startsWith('service-') ? `${s.ipX} daddr . ` : '';
      return `typeof ${vip}${protocol} dport . numgen random mod 1 : ${s.ipX} daddr . ${protocol} dport`;
    }
  }
}

/** The skeleton's chains with their rules, in block syntax, for a full render. */
export function skeletonChains(s: FamilySyntax, nodeIPs: readonly string[], mark: number): Array<{ name: string; spec?: string; rules: string[] }> {
  const m = hexMark(mark);
  return [
    ...BASE_CHAINS.map((c) => ({ name: c.name, spec: c.spec, rules: c.rules(s) })),
    { name: SERVICES_CHAIN, rules: servicesChainRules(s, nodeIPs) },
    { name: ENDPOINTS_CHECK_CHAIN, rules: endpointsCheckRules(s, nodeIPs) },
    { name: MARK_MASQ_CHAIN, rules: [`meta mark set meta mark | ${m}`] },
    // Clear the mark before masquerading so a packet that re-enters (a
    // hairpin, a tunnel) is judged afresh, as kube-proxy does.
    { name: MASQUERADING_CHAIN, rules: [`meta mark & ${m} == 0 return`, `meta mark set meta mark ^ ${m}`, 'masquerade fully-random'] },
    // TCP gets a reset, everything else ICMP port unreachable: both end a
    // client's connect() at once instead of letting it time out.
    { name: REJECT_CHAIN, rules: ['meta l4proto tcp reject with tcp reset', 'reject'] },
  ];
}
