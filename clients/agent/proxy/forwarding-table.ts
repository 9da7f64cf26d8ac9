// The backend-independent forwarding table: what every node must do with
// traffic, computed from Services and EndpointSlices alone. Each backend
// (nftables, iptables, userspace) only renders this structure, the way
// kube-proxy's proxiers render its ServicePortMap/EndpointsMap.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ForwardingEndpoint {
  ip: string;
  port: number;
  /** The node the endpoint's pod runs on, when known. */
  nodeName?: string;
  /** True when the endpoint's pod runs on this node. */
  local: boolean;
}

export interface ServicePortRule {
  /**
   * Stable identity, `<namespace>/<service>:<port name or number>/<protocol>`.
   * Backends derive chain, map and listener names from it.
   */
  id: string;
  namespace: string;
  service: string;
  /** The Service port's name ('' when unnamed). */
  portName: string;
  protocol: Protocol;
  /** Virtual IPs that capture traffic: spec.clusterIPs (none for headless) and spec.externalIPs. */
  clusterIPs: string[];
  externalIPs: string[];
  port: number;
  /** Set for NodePort and LoadBalancer Services: captured on every node address. */
  nodePort?: number;
  /** ClientIP session affinity, with its timeout; absent for None. */
  affinityTimeoutSeconds?: number;
  /** Ready endpoints (serving and not terminating), sorted by ip then port. Empty means: reject. */
  endpoints: ForwardingEndpoint[];
  /** Local: NodePort traffic goes only to endpoints on this node (and the client address is kept). */
  externalTrafficPolicy: 'Cluster' | 'Local';
  /** Local: ClusterIP traffic from this node goes only to local endpoints. */
  internalTrafficPolicy: 'Cluster' | 'Local';
  /**
   * Set when either traffic policy is Local: the endpoints Local-policy
   * traffic goes to (this node's ready ones, or, when it has none, its serving
   * but terminating ones, as kube-proxy falls back). Empty while `endpoints`
   * is not means: drop, the Service has endpoints elsewhere. Absent: use
   * `endpoints.filter((e) => e.local)`.
   */
  localEndpoints?: ForwardingEndpoint[];
  /** status.loadBalancer.ingress IPs of a LoadBalancer Service, captured like ClusterIPs. */
  loadBalancerIPs?: string[];
}

export interface ForwardingTable {
  /** This node's addresses: NodePorts are captured on them. */
  nodeIPs: string[];
  /** One rule per Service port, sorted by id. */
  rules: ServicePortRule[];
}
