// ForwardingTable → `iptables-restore --noflush` input in kube-proxy's
// layout (pkg/proxy/iptables/proxier.go), with skiff's chain names:
//
//   nat PREROUTING, OUTPUT → PREFIX-SERVICES → PREFIX-SVC-x (ClusterIP)
//                                             → PREFIX-EXT-x (external IPs)
//                                             → PREFIX-NODEPORTS (last) → PREFIX-EXT-x
//   PREFIX-EXT-x → PREFIX-MARK-MASQ, then PREFIX-SVC-x (or PREFIX-SVL-x for Local)
//   PREFIX-SVC-x → PREFIX-SEP-y with -m statistic probabilities 1/n, 1/(n-1), …, 1
//   PREFIX-SEP-y → DNAT (masquerade mark first when the source is the endpoint: hairpin)
//   nat POSTROUTING → PREFIX-POSTROUTING: MASQUERADE what carries the mark
//   filter FORWARD, OUTPUT → PREFIX-SERVICES; INPUT, FORWARD → PREFIX-EXTERNAL-SERVICES:
//     REJECT for Services without endpoints
//
// Under --noflush, declaring `:CHAIN - [0:0]` creates or flushes that chain
// only, so nothing outside skiff's chains is touched; the jumps from the
// built-in chains are set up separately (iptables-jumps.ts).

import type { ForwardingEndpoint, ForwardingTable } from '../forwarding-table.js';
import {
  type AddressFamily,
  type CategorizedServicePort,
  type NoEndpointVerdict,
  categorizeServicePort,
  familyOf,
} from '../categorize-endpoints.js';
import {
  DEFAULT_CHAIN_PREFIX,
  type IptablesChainNames,
  checkChainPrefix,
  endpointChain,
  externalChain,
  localChain,
  serviceChain,
  topLevelChains,
} from './iptables-names.js';

export const DEFAULT_IPTABLES_MASQUERADE_MARK = 0x4000;

export interface IptablesRenderOptions {
  /** Chain name prefix, 1-7 upper-case characters. Default "SKIFF". */
  chainPrefix?: string;
  /** Which family to render (iptables-restore or ip6tables-restore input). Default ipv4. */
  family?: AddressFamily;
  masqueradeMark?: number;
  /** Chains of ours that exist now but are no longer wanted: flushed and deleted in the same restore. */
  staleChains?: { nat?: Iterable<string>; filter?: Iterable<string> };
  /**
   * Partial sync, as kube-proxy's: per-Service chains are written only for
   * these rule ids (the others are unchanged in the kernel and left alone).
   * The top-level chains are always rewritten. Default: every Service.
   */
  onlyServiceChainsOf?: ReadonlySet<string>;
}

export interface IptablesRender {
  text: string;
  /** Every chain of ours that exists after this restore, per table. */
  chains: { nat: Set<string>; filter: Set<string> };
  /** `-A` rules in our chains after this restore (written or kept). */
  ruleCount: number;
}

interface Chain {
  name: string;
  rules: string[];
}

interface ServiceRules {
  id: string;
  natServices: string[];
  natNodePorts: string[];
  filterServices: string[];
  filterExternal: string[];
  chains: Chain[];
}

interface Context {
  names: IptablesChainNames;
  family: AddressFamily;
  /** Host prefix length: /32 or /128. */
  host: string;
  nodeIPs: string[];
}

/** The restore input for `table` (all of its Services), ready for `iptables-restore --noflush`. */
export function renderIptablesRestore(table: ForwardingTable, options: IptablesRenderOptions = {}): string {
  return renderIptables(table, options).text;
}

export function renderIptables(table: ForwardingTable, options: IptablesRenderOptions = {}): IptablesRender {
  const prefix = checkChainPrefix(options.chainPrefix ?? DEFAULT_CHAIN_PREFIX);
  const family = options.family ?? 'ipv4';
  const names = topLevelChains(prefix);
  const mark = `0x${(options.masqueradeMark ?? DEFAULT_IPTABLES_MASQUERADE_MARK).toString(16)}`;
  const ctx: Context = {
    names,
    family,
    host: family === 'ipv6' ? '/128' : '/32',
    nodeIPs: table.nodeIPs.filter((ip) => familyOf(ip) === family),
  };

  const natServices: string[] = [];
  const natNodePorts: string[] = [];
  const filterServices: string[] = [];
  const filterExternal: string[] = [];
  const serviceChains: Chain[] = [];
  const natChainNames = new Set([names.services, names.nodePorts, names.postrouting, names.markMasq]);
  const filterChainNames = new Set([names.services, names.externalServices]);
  let ruleCount = 0;

  for (const rule of table.rules) {
    const port = categorizeServicePort(rule, family);
    if (port === undefined) continue;
    const rules = serviceRules(port, ctx);
    natServices.push(...rules.natServices);
    natNodePorts.push(...rules.natNodePorts);
    filterServices.push(...rules.filterServices);
    filterExternal.push(...rules.filterExternal);
    const write = options.onlyServiceChainsOf === undefined || options.onlyServiceChainsOf.has(rule.id);
    for (const chain of rules.chains) {
      natChainNames.add(chain.name);
      ruleCount += chain.rules.length;
      if (write) serviceChains.push(chain);
    }
  }

  // NodePorts last: a ClusterIP or external IP that is also a local address
  // must match its own rule first (kube-proxy's "must be the last rule").
  if (ctx.nodeIPs.length > 0) {
    for (const ip of ctx.nodeIPs) {
      natServices.push(`-A ${names.services} -m comment --comment "skiff service nodeports; NOTE: this must be the last rule in this chain" -d ${ip}${ctx.host} -j ${names.nodePorts}`);
    }
  } else {
    natServices.push(`-A ${names.services} -m comment --comment "skiff service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j ${names.nodePorts}`);
  }

  const postrouting = [
    `-A ${names.postrouting} -m mark ! --mark ${mark}/${mark} -j RETURN`,
    // Clear the mark so a packet that is re-processed (a hairpin) is judged afresh.
    `-A ${names.postrouting} -j MARK --xor-mark ${mark}`,
    `-A ${names.postrouting} -m comment --comment "skiff service traffic requiring SNAT" -j MASQUERADE --random-fully`,
  ];
  const markMasq = [`-A ${names.markMasq} -j MARK --or-mark ${mark}`];
  ruleCount += natServices.length + natNodePorts.length + filterServices.length + filterExternal.length + postrouting.length + markMasq.length;

  const stale = {
    nat: [...(options.staleChains?.nat ?? [])].filter((c) => !natChainNames.has(c)),
    filter: [...(options.staleChains?.filter ?? [])].filter((c) => !filterChainNames.has(c)),
  };

  const out: string[] = [];
  out.push('*filter');
  for (const chain of [names.services, names.externalServices, ...stale.filter]) out.push(`:${chain} - [0:0]`);
  out.push(...filterServices, ...filterExternal);
  for (const chain of stale.filter) out.push(`-X ${chain}`);
  out.push('COMMIT');

  out.push('*nat');
  const declared = [names.services, names.nodePorts, names.postrouting, names.markMasq, ...serviceChains.map((c) => c.name), ...stale.nat];
  for (const chain of declared) out.push(`:${chain} - [0:0]`);
  out.push(...natServices, ...natNodePorts, ...postrouting, ...markMasq);
  for (const chain of serviceChains) out.push(...chain.rules);
  // Deleted last: every rule that jumped to them was rewritten above.
  for (const chain of stale.nat) out.push(`-X ${chain}`);
  out.push('COMMIT');

  return { text: `${out.join('\n')}\n`, chains: { nat: natChainNames, filter: filterChainNames }, ruleCount };
}

function serviceRules(port: CategorizedServicePort, ctx: Context): ServiceRules {
  const { rule } = port;
  const { names, host } = ctx;
  const prefix = names.prefix;
  const p = rule.protocol.toLowerCase();
  const name = `${rule.namespace}/${rule.service}${rule.portName !== '' ? `:${rule.portName}` : ''}`;
  const svc = serviceChain(prefix, rule);
  const svl = localChain(prefix, rule);
  const ext = externalChain(prefix, rule);
  const result: ServiceRules = { id: rule.id, natServices: [], natNodePorts: [], filterServices: [], filterExternal: [], chains: [] };
  const dport = `-p ${p} -m ${p} --dport ${rule.port}`;

  const internalChain = rule.internalTrafficPolicy === 'Local' ? svl : svc;
  for (const ip of port.clusterIPs) {
    if (port.internalNoEndpoints === undefined) {
      result.natServices.push(`-A ${names.services} -m comment --comment "${name} cluster IP" -d ${ip}${host} ${dport} -j ${internalChain}`);
    } else {
      result.filterServices.push(`-A ${names.services} -m comment --comment "${name} ${noEndpointsComment(port.internalNoEndpoints)}" -d ${ip}${host} ${dport} -j ${noEndpointsTarget(port.internalNoEndpoints)}`);
    }
  }
  for (const ip of port.externalIPs) {
    if (port.usesExternalChain) {
      result.natServices.push(`-A ${names.services} -m comment --comment "${name} external IP" -d ${ip}${host} ${dport} -j ${ext}`);
    }
    if (port.externalNoEndpoints !== undefined) {
      result.filterExternal.push(`-A ${names.externalServices} -m comment --comment "${name} ${noEndpointsComment(port.externalNoEndpoints)}" -d ${ip}${host} ${dport} -j ${noEndpointsTarget(port.externalNoEndpoints)}`);
    }
  }
  if (rule.nodePort !== undefined) {
    const nodePortMatch = `-p ${p} -m ${p} --dport ${rule.nodePort}`;
    if (port.usesExternalChain) {
      result.natNodePorts.push(`-A ${names.nodePorts} -m comment --comment ${name} ${nodePortMatch} -j ${ext}`);
    }
    if (port.externalNoEndpoints !== undefined) {
      const destinations = ctx.nodeIPs.length > 0 ? ctx.nodeIPs.map((ip) => `-d ${ip}${host}`) : ['-m addrtype --dst-type LOCAL'];
      for (const destination of destinations) {
        result.filterExternal.push(`-A ${names.externalServices} -m comment --comment "${name} ${noEndpointsComment(port.externalNoEndpoints)}" ${destination} ${nodePortMatch} -j ${noEndpointsTarget(port.externalNoEndpoints)}`);
      }
    }
  }

  if (port.usesExternalChain) {
    const rules: string[] = [];
    if (rule.externalTrafficPolicy === 'Cluster') {
      // The endpoint may be on another node: masquerade so the reply comes back here.
      rules.push(`-A ${ext} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${names.markMasq}`);
      if (port.usesClusterChain) rules.push(`-A ${ext} -j ${svc}`);
    } else {
      // Local keeps the client address; traffic from the node itself is
      // masqueraded and may use any endpoint.
      rules.push(`-A ${ext} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${names.markMasq}`);
      if (port.usesClusterChain) rules.push(`-A ${ext} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${svc}`);
      if (port.usesLocalChain) rules.push(`-A ${ext} -j ${svl}`);
    }
    result.chains.push({ name: ext, rules });
  }

  const endpointChains = new Map<ForwardingEndpoint, string>();
  const sep = (e: ForwardingEndpoint): string => {
    let chain = endpointChains.get(e);
    if (chain === undefined) {
      chain = endpointChain(prefix, rule, e);
      endpointChains.set(e, chain);
    }
    return chain;
  };
  const affinity = rule.affinityTimeoutSeconds;
  const pickRules = (chain: string, endpoints: readonly ForwardingEndpoint[]): string[] => {
    const rules: string[] = [];
    if (affinity !== undefined) {
      for (const e of endpoints) {
        rules.push(`-A ${chain} -m comment --comment "${name} -> ${target(e, ctx.family)}" -m recent --name ${sep(e)} --rcheck --seconds ${affinity} --reap -j ${sep(e)}`);
      }
    }
    const n = endpoints.length;
    endpoints.forEach((e, i) => {
      // Each rule takes 1/(remaining) of what reaches it, so all n are equally likely.
      const statistic = i < n - 1 ? ` -m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)}` : '';
      rules.push(`-A ${chain} -m comment --comment "${name} -> ${target(e, ctx.family)}"${statistic} -j ${sep(e)}`);
    });
    return rules;
  };
  if (port.usesClusterChain) result.chains.push({ name: svc, rules: pickRules(svc, port.clusterEndpoints) });
  if (port.usesLocalChain) result.chains.push({ name: svl, rules: pickRules(svl, port.localEndpoints) });

  for (const e of port.reachableEndpoints) {
    const chain = sep(e);
    const recent = affinity !== undefined ? ` -m recent --name ${chain} --set` : '';
    result.chains.push({
      name: chain,
      rules: [
        // Hairpin: a pod reaching itself through its Service must see the
        // node as the source, or it would answer itself directly.
        `-A ${chain} -m comment --comment ${name} -s ${e.ip}${host} -j ${names.markMasq}`,
        `-A ${chain} -m comment --comment ${name}${recent} -p ${p} -m ${p} -j DNAT --to-destination ${target(e, ctx.family)}`,
      ],
    });
  }
  return result;
}

function target(e: ForwardingEndpoint, family: AddressFamily): string {
  return family === 'ipv6' ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function noEndpointsComment(verdict: NoEndpointVerdict): string {
  return verdict === 'reject' ? 'has no endpoints' : 'has no local endpoints';
}

function noEndpointsTarget(verdict: NoEndpointVerdict): string {
  return verdict === 'reject' ? 'REJECT' : 'DROP';
}
