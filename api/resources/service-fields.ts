import type { Service } from '../schemas/service.js';
import { semanticEqual } from './semantic-equal.js';

// Which Service fields apply to which type, and how an update that omits or
// abandons allocated values is reconciled with the stored object
// (pkg/registry/core/service: NormalizeClusterIPs, patchAllocatedValues,
// dropTypeDependentFields). Allocators use the same predicates to decide what
// to hand out and what to release.

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

/** The type, with the default an undefaulted body would get. */
export function serviceType(svc: Service): string {
  return svc.spec?.type || 'ClusterIP';
}

/** clusterIP: None — no virtual IP, DNS returns the endpoints. */
export function isHeadless(svc: Service): boolean {
  const ips = svc.spec?.clusterIPs ?? [];
  return ips.length === 1 && ips[0] === 'None';
}

export function needsClusterIP(svc: Service): boolean {
  return serviceType(svc) !== 'ExternalName';
}

export function needsNodePorts(svc: Service): boolean {
  const type = serviceType(svc);
  return type === 'NodePort' || (type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
}

export function needsHealthCheckNodePort(svc: Service): boolean {
  return serviceType(svc) === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
}

/** Reachable from outside the cluster: on node ports, a load balancer or external IPs. */
export function externallyAccessible(svc: Service): boolean {
  const type = serviceType(svc);
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (svc.spec?.externalIPs ?? []).length > 0);
}

function sameClusterIPs(a: Service, b: Service): boolean {
  return semanticEqual(a.spec?.clusterIPs, b.spec?.clusterIPs);
}

function nodePortSet(svc: Service): Set<number> {
  return new Set((svc.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p !== 0));
}

/**
 * Keeps clusterIP and clusterIPs in step. Old clients send only the singular
 * field; newer ones send both. On update, a body that dropped clusterIPs but
 * kept clusterIP meant no change.
 */
export function normalizeClusterIPs(svc: Service, old: Service | undefined): void {
  const spec = (svc.spec ??= {});
  const clusterIP = spec.clusterIP ?? '';
  if (!old) {
    if (clusterIP && (spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [clusterIP];
    return;
  }
  const oldClusterIP = old.spec?.clusterIP ?? '';
  if ((old.spec?.clusterIPs ?? []).length > 0 && (spec.clusterIPs ?? []).length === 0 && oldClusterIP === clusterIP) {
    spec.clusterIPs = structuredClone(old.spec?.clusterIPs);
  }
  if (oldClusterIP !== clusterIP) {
    if (oldClusterIP && !clusterIP && sameClusterIPs(old, svc)) delete spec.clusterIPs;
    if (clusterIP && sameClusterIPs(old, svc)) spec.clusterIPs = [clusterIP];
  }
}

/**
 * An update that leaves out values the server allocated (clusterIP, node
 * ports, the health-check node port) keeps them, so `kubectl replace` with
 * the original manifest does not read as a request to change them.
 */
export function patchAllocatedValues(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (old.spec?.clusterIPs ?? []).length > 0) spec.clusterIPs = structuredClone(old.spec?.clusterIPs);
    // Families are bound to the allocated IPs, so they follow them (upstream's allocator does this).
    if ((spec.ipFamilies ?? []).length === 0 && (old.spec?.ipFamilies ?? []).length > 0) spec.ipFamilies = structuredClone(old.spec?.ipFamilies);
    if (spec.ipFamilyPolicy === undefined && old.spec?.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && needsNodePorts(svc)) {
    const oldPorts = nodePortSet(old);
    const newPorts = nodePortSet(svc);
    const used = new Set([...oldPorts].filter((p) => newPorts.has(p)));
    // Matched by port name: the user may have changed anything else about the port.
    const byName = new Map((old.spec?.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const previous = byName.get(port.name ?? '') ?? 0;
      if (previous && !used.has(previous)) port.nodePort = previous;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc) && !spec.healthCheckNodePort && old.spec?.healthCheckNodePort) {
    spec.healthCheckNodePort = old.spec.healthCheckNodePort;
  }
}

/**
 * When a type change makes a field meaningless, wipe it — but only if the
 * user left it as it was: an explicit new value is theirs to have rejected.
 */
export function dropTypeDependentFields(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  if (needsClusterIP(old) && !needsClusterIP(svc) && sameClusterIPs(old, svc)) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    if (semanticEqual(old.spec?.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (old.spec?.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(svc)) {
    const oldPorts = nodePortSet(old);
    if ([...nodePortSet(svc)].every((p) => oldPorts.has(p))) {
      for (const port of spec.ports ?? []) delete port.nodePort;
    }
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(svc) && spec.healthCheckNodePort === old.spec?.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  const wasLoadBalancer = serviceType(old) === 'LoadBalancer';
  const isLoadBalancer = serviceType(svc) === 'LoadBalancer';
  if (wasLoadBalancer && !isLoadBalancer) {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === old.spec?.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass === old.spec?.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && spec.externalTrafficPolicy === old.spec?.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  // Load-balancer status no longer applies; de-provisioning is not the user's concern.
  if (!isLoadBalancer && svc.status) svc.status.loadBalancer = {};
}
