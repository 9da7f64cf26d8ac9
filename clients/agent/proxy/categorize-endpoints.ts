// Which endpoints each kind of traffic goes to, for one address family — the
// part of kube-proxy's CategorizeEndpoints (pkg/proxy/topology.go) that both
// kernel backends share. Internal traffic (ClusterIP) follows
// internalTrafficPolicy; external traffic (NodePort, externalIPs,
// load-balancer IPs) follows externalTrafficPolicy.

import type { ForwardingEndpoint, ServicePortRule } from './forwarding-table.js';

export type AddressFamily = 'ipv4' | 'ipv6';

/** The table's addresses are valid IPs, so a colon is enough to tell the family (and cheap at 50,000 endpoints). */
export function familyOf(ip: string): AddressFamily {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

/** What to do with traffic that has no endpoint to go to. */
export type NoEndpointVerdict = 'reject' | 'drop';

export interface CategorizedServicePort {
  rule: ServicePortRule;
  family: AddressFamily;
  clusterIPs: string[];
  /** externalIPs and load-balancer ingress IPs: both are "external" destinations. */
  externalIPs: string[];
  /** Endpoints for Cluster policy: every ready endpoint of this family. */
  clusterEndpoints: ForwardingEndpoint[];
  /** Endpoints for Local policy: this node's. */
  localEndpoints: ForwardingEndpoint[];
  /** Every endpoint some chain can reach: one endpoint chain each. */
  reachableEndpoints: ForwardingEndpoint[];
  usesClusterChain: boolean;
  usesLocalChain: boolean;
  /** NodePort, externalIPs or load-balancer IPs exist, and some endpoint exists to send them to. */
  usesExternalChain: boolean;
  /** Set when ClusterIP traffic cannot be served: reject (no endpoint anywhere) or drop (none local under Local policy). */
  internalNoEndpoints?: NoEndpointVerdict;
  externalNoEndpoints?: NoEndpointVerdict;
}

/**
 * The rule seen from one address family, or undefined when it has no virtual
 * address in that family (a single-stack Service in the other one).
 */
export function categorizeServicePort(rule: ServicePortRule, family: AddressFamily): CategorizedServicePort | undefined {
  const v6 = family === 'ipv6';
  const inFamily = (ip: string): boolean => ip.includes(':') === v6;
  const clusterIPs = rule.clusterIPs.filter(inFamily);
  const externalIPs = [...rule.externalIPs, ...(rule.loadBalancerIPs ?? [])].filter(inFamily);
  // A NodePort listens on this family's node addresses only if the Service has
  // a ClusterIP of the family, as a dual-stack kube-proxy runs one proxier per family.
  if (clusterIPs.length === 0) return undefined;

  const clusterEndpoints = rule.endpoints.every((e) => inFamily(e.ip)) ? rule.endpoints : rule.endpoints.filter((e) => inFamily(e.ip));
  const localEndpoints = (rule.localEndpoints ?? rule.endpoints.filter((e) => e.local)).filter((e) => inFamily(e.ip));
  const hasEndpoints = clusterEndpoints.length > 0 || localEndpoints.length > 0;
  const internalLocal = rule.internalTrafficPolicy === 'Local';
  const externalLocal = rule.externalTrafficPolicy === 'Local';
  const externallyAccessible = rule.nodePort !== undefined || externalIPs.length > 0;

  // Even under a Local external policy, traffic from the node itself
  // short-circuits to all endpoints, so externally reachable ports keep the
  // cluster chain (kube-proxy's UsesClusterEndpoints).
  const usesClusterChain = clusterEndpoints.length > 0 && (!internalLocal || externallyAccessible);
  const usesLocalChain = localEndpoints.length > 0 && (internalLocal || (externallyAccessible && externalLocal));

  let reachableEndpoints: ForwardingEndpoint[] = [];
  if (usesClusterChain && !usesLocalChain) reachableEndpoints = clusterEndpoints;
  else if (usesLocalChain && !usesClusterChain) reachableEndpoints = localEndpoints;
  else if (usesClusterChain && usesLocalChain) {
    const reachable = new Map<string, ForwardingEndpoint>();
    for (const e of clusterEndpoints) reachable.set(endpointKey(e), e);
    for (const e of localEndpoints) reachable.set(endpointKey(e), e);
    reachableEndpoints = [...reachable.values()];
  }

  const result: CategorizedServicePort = {
    rule,
    family,
    clusterIPs,
    externalIPs,
    clusterEndpoints,
    localEndpoints,
    reachableEndpoints,
    usesClusterChain,
    usesLocalChain,
    usesExternalChain: hasEndpoints && externallyAccessible,
  };
  // No endpoint anywhere: reject. Endpoints elsewhere but none here under a
  // Local policy: drop, as kube-proxy does, since the Service itself is healthy.
  const verdict = (targets: readonly ForwardingEndpoint[], local: boolean): NoEndpointVerdict | undefined => {
    if (targets.length > 0) return undefined;
    return local && hasEndpoints ? 'drop' : 'reject';
  };
  const internal = verdict(internalLocal ? localEndpoints : clusterEndpoints, internalLocal);
  const external = verdict(externalLocal ? localEndpoints : clusterEndpoints, externalLocal);
  if (internal !== undefined) result.internalNoEndpoints = internal;
  if (external !== undefined) result.externalNoEndpoints = external;
  return result;
}

export function endpointKey(endpoint: ForwardingEndpoint): string {
  return familyOf(endpoint.ip) === 'ipv6' ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}

/** The address families a table needs rules in, IPv4 first. */
export function familiesOf(rules: readonly ServicePortRule[]): AddressFamily[] {
  let v6 = false;
  for (const rule of rules) {
    if (rule.clusterIPs.some((ip) => familyOf(ip) === 'ipv6')) {
      v6 = true;
      break;
    }
  }
  return v6 ? ['ipv4', 'ipv6'] : ['ipv4'];
}
