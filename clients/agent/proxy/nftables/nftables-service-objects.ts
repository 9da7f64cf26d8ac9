// Everything one Service port owns inside the table: its elements in the
// dispatch maps, and — only when it has session affinity or a Local traffic
// policy — its own chains and affinity sets, laid out as kube-proxy does.
// Full renders print these; incremental updates diff two versions of them,
// so a change to one Service touches only its own objects.

import type { ForwardingEndpoint } from '../forwarding-table.js';
import type { CategorizedServicePort, NoEndpointVerdict } from '../categorize-endpoints.js';
import {
  type DispatchChainRef,
  type DispatchMap,
  type FamilySyntax,
  MARK_MASQ_CHAIN,
  NO_ENDPOINT_NODEPORTS_MAP,
  NO_ENDPOINT_SERVICES_MAP,
  REJECT_CHAIN,
  SERVICE_IPS_MAP,
  SERVICE_NODEPORTS_MAP,
  type NftProtocol,
  dispatchChainName,
  nodePortEndpointsMap,
  serviceEndpointsMap,
} from './nftables-layout.js';
import { endpointBase, servicePortBase } from './nftables-names.js';

export interface NftChain {
  name: string;
  rules: string[];
}

export interface NftSet {
  name: string;
  /** The body between the braces, e.g. `type ipv4_addr; flags dynamic,timeout; timeout 10800s;`. */
  body: string;
}

export interface NftElement {
  map: DispatchMap;
  key: string;
  value: string;
  comment?: string;
}

export interface NftServiceObjects {
  /** Own chains (affinity / Local policy layout only). */
  chains: NftChain[];
  /** Own affinity sets. */
  sets: NftSet[];
  /** Own elements in the shared maps; keys contain the Service's address and port, so never shared. */
  elements: NftElement[];
  /** Shared dispatch chains it jumps to (created on first use). */
  dispatch: DispatchChainRef[];
  /** Its endpoint IPs, for the shared hairpin set (reference-counted). */
  hairpinIPs: string[];
}

/** Own rules plus own map elements: what the backend reports as its rule count. */
export function countRules(objects: NftServiceObjects): number {
  let count = objects.elements.length;
  for (const chain of objects.chains) count += chain.rules.length;
  return count;
}

export function serviceObjects(port: CategorizedServicePort, s: FamilySyntax): NftServiceObjects {
  const { rule } = port;
  const protocol = rule.protocol.toLowerCase() as NftProtocol;
  const objects: NftServiceObjects = { chains: [], sets: [], elements: [], dispatch: [], hairpinIPs: [] };
  const comment = `${rule.namespace}/${rule.service}${rule.portName !== '' ? `:${rule.portName}` : ''}`;
  const hairpin = new Set<string>();
  for (const e of port.reachableEndpoints) hairpin.add(e.ip);
  objects.hairpinIPs = [...hairpin];

  const plain =
    rule.affinityTimeoutSeconds === undefined && rule.internalTrafficPolicy === 'Cluster' && rule.externalTrafficPolicy === 'Cluster';
  if (plain) addMapDispatch(port, objects, protocol);
  else addChains(port, objects, s, protocol);

  for (const ip of port.clusterIPs) {
    if (port.internalNoEndpoints !== undefined) {
      objects.elements.push({ map: NO_ENDPOINT_SERVICES_MAP, key: `${ip} . ${protocol} . ${rule.port}`, value: noEndpointVerdict(port.internalNoEndpoints), comment });
    }
  }
  for (const ip of port.externalIPs) {
    if (port.externalNoEndpoints !== undefined) {
      objects.elements.push({ map: NO_ENDPOINT_SERVICES_MAP, key: `${ip} . ${protocol} . ${rule.port}`, value: noEndpointVerdict(port.externalNoEndpoints), comment });
    }
  }
  if (rule.nodePort !== undefined && port.externalNoEndpoints !== undefined) {
    objects.elements.push({ map: NO_ENDPOINT_NODEPORTS_MAP, key: `${protocol} . ${rule.nodePort}`, value: noEndpointVerdict(port.externalNoEndpoints), comment });
  }
  return objects;
}

/** Cluster policies, no affinity: map elements only. */
function addMapDispatch(port: CategorizedServicePort, objects: NftServiceObjects, protocol: NftProtocol): void {
  const { rule } = port;
  const endpoints = port.clusterEndpoints;
  const n = endpoints.length;
  if (n === 0) return;
  const vips = [...port.clusterIPs, ...(port.usesExternalChain ? port.externalIPs : [])];
  for (const ip of vips) {
    for (let i = 0; i < n; i++) {
      objects.elements.push({ map: serviceEndpointsMap(protocol), key: `${ip} . ${rule.port} . ${i}`, value: `${endpoints[i]!.ip} . ${endpoints[i]!.port}` });
    }
  }
  const service: DispatchChainRef = { kind: 'service', endpoints: n };
  objects.dispatch.push(service);
  for (const ip of port.clusterIPs) {
    objects.elements.push({ map: SERVICE_IPS_MAP, key: `${ip} . ${protocol} . ${rule.port}`, value: `goto ${dispatchChainName(service)}` });
  }
  if (port.usesExternalChain && port.externalIPs.length > 0) {
    const external: DispatchChainRef = { kind: 'external', endpoints: n };
    objects.dispatch.push(external);
    for (const ip of port.externalIPs) {
      objects.elements.push({ map: SERVICE_IPS_MAP, key: `${ip} . ${protocol} . ${rule.port}`, value: `goto ${dispatchChainName(external)}` });
    }
  }
  if (port.usesExternalChain && rule.nodePort !== undefined) {
    const nodePort: DispatchChainRef = { kind: 'nodeport', endpoints: n };
    objects.dispatch.push(nodePort);
    for (let i = 0; i < n; i++) {
      const e = endpoints[i]!;
      objects.elements.push({ map: nodePortEndpointsMap(protocol), key: `${rule.nodePort} . ${i}`, value: `${e.ip} . ${e.port}` });
    }
    objects.elements.push({ map: SERVICE_NODEPORTS_MAP, key: `${protocol} . ${rule.nodePort}`, value: `goto ${dispatchChainName(nodePort)}` });
  }
}

/** Session affinity or a Local policy: kube-proxy's per-Service and per-endpoint chains. */
function addChains(port: CategorizedServicePort, objects: NftServiceObjects, s: FamilySyntax, protocol: string): void {
  const { rule } = port;
  const base = servicePortBase(rule);
  const clusterChain = `service-${base}`;
  const localChain = `local-${base}`;
  const externalChain = `external-${base}`;
  const affinity = rule.affinityTimeoutSeconds !== undefined;

  const names = new Map<ForwardingEndpoint, string>();
  const baseOf = (e: ForwardingEndpoint): string => {
    let name = names.get(e);
    if (name === undefined) {
      name = endpointBase(rule, e);
      names.set(e, name);
    }
    return name;
  };

  const pickRules = (endpoints: readonly ForwardingEndpoint[]): string[] => {
    const rules: string[] = [];
    // Affinity first: a client seen within the timeout goes straight back to its endpoint.
    if (affinity) {
      for (const e of endpoints) rules.push(`${s.ipX} saddr @affinity-${baseOf(e)} goto endpoint-${baseOf(e)}`);
    }
    const branches = endpoints.map((e, i) => `${i} : goto endpoint-${baseOf(e)}`);
    rules.push(`numgen random mod ${endpoints.length} vmap { ${branches.join(', ')} }`);
    return rules;
  };

  if (port.usesClusterChain) objects.chains.push({ name: clusterChain, rules: pickRules(port.clusterEndpoints) });
  if (port.usesLocalChain) objects.chains.push({ name: localChain, rules: pickRules(port.localEndpoints) });

  if (port.usesExternalChain) {
    const rules: string[] = [];
    if (rule.externalTrafficPolicy === 'Cluster') {
      // Cluster policy may forward to another node: masquerade, so the reply
      // comes back through this node to be un-DNATed.
      rules.push(`jump ${MARK_MASQ_CHAIN}`);
      if (port.usesClusterChain) rules.push(`goto ${clusterChain}`);
    } else {
      // Local policy keeps the client address; only traffic from the node
      // itself (whose source would be a node address) is masqueraded, and it
      // may use any endpoint.
      rules.push(`fib saddr type local jump ${MARK_MASQ_CHAIN}`);
      if (port.usesClusterChain) rules.push(`fib saddr type local goto ${clusterChain}`);
      if (port.usesLocalChain) rules.push(`goto ${localChain}`);
    }
    objects.chains.push({ name: externalChain, rules });
  }

  for (const e of port.reachableEndpoints) {
    const name = baseOf(e);
    const rules: string[] = [];
    if (affinity) {
      rules.push(`update @affinity-${name} { ${s.ipX} saddr }`);
      objects.sets.push({ name: `affinity-${name}`, body: `type ${s.addrType}; flags dynamic,timeout; timeout ${rule.affinityTimeoutSeconds}s;` });
    }
    const target = s.ipX === 'ip6' ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
    rules.push(`meta l4proto ${protocol} dnat to ${target}`);
    objects.chains.push({ name: `endpoint-${name}`, rules });
  }

  const internalTarget = rule.internalTrafficPolicy === 'Local' ? localChain : clusterChain;
  if (port.internalNoEndpoints === undefined) {
    for (const ip of port.clusterIPs) {
      objects.elements.push({ map: SERVICE_IPS_MAP, key: `${ip} . ${protocol} . ${rule.port}`, value: `goto ${internalTarget}` });
    }
  }
  if (port.usesExternalChain) {
    for (const ip of port.externalIPs) {
      objects.elements.push({ map: SERVICE_IPS_MAP, key: `${ip} . ${protocol} . ${rule.port}`, value: `goto ${externalChain}` });
    }
    if (rule.nodePort !== undefined) {
      objects.elements.push({ map: SERVICE_NODEPORTS_MAP, key: `${protocol} . ${rule.nodePort}`, value: `goto ${externalChain}` });
    }
  }
}

function noEndpointVerdict(verdict: NoEndpointVerdict): string {
  return verdict === 'reject' ? `goto ${REJECT_CHAIN}` : 'drop';
}

/** `key comment "…" : value`, the element syntax inside `elements = { … }` and `add element`. */
export function elementText(element: NftElement): string {
  return element.comment === undefined
    ? `${element.key} : ${element.value}`
    : `${element.key} comment "${element.comment}" : ${element.value}`;
}
