import type { ObjectKey } from '../../storage/store.js';
import { needsClusterIP, needsHealthCheckNodePort, serviceType } from '../resources/service-fields.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import type { Service } from '../schemas/service.js';
import type { NetworkAllocators } from './network-allocators.js';
import { nodeOwner } from '../admission/node-allocation.js';
import { podOwner } from '../admission/pod-allocation.js';
import { serviceOwner } from '../admission/service-allocation.js';

// What each stored object says it holds, as (pool, value) pairs: the
// allocation table must contain exactly these. The repair pass compares the
// two; everything here is pure.

export type ClaimField =
  | { kind: 'clusterIP' }
  | { kind: 'nodePort'; index: number; protocol: string }
  | { kind: 'healthCheckNodePort' }
  | { kind: 'podCIDR' }
  | { kind: 'podIP' };

export interface Claim {
  pool: string;
  value: number;
  owner: ObjectKey;
  field: ClaimField;
  /** The value as the object spells it ("10.96.0.5", "30080"), for messages. */
  text: string;
  /** Older objects win a contested value: creationTimestamp, then name. */
  created: string;
}

/** A value an object carries that no pool of this server's configuration can hold. */
export interface StrayValue {
  owner: ObjectKey;
  field: ClaimField['kind'];
  text: string;
}

export interface ClaimSet {
  claims: Claim[];
  strays: StrayValue[];
}

export function serviceClaims(svc: Service, allocators: NetworkAllocators, into: ClaimSet): void {
  const owner = serviceOwner(svc);
  const created = svc.metadata.creationTimestamp ?? '';
  const spec = svc.spec ?? {};
  const clusterIP = spec.clusterIPs?.[0] || spec.clusterIP || '';
  if (needsClusterIP(svc) && clusterIP && clusterIP !== 'None') {
    const value = allocators.clusterIps.valueOf(clusterIP);
    if (value === undefined) into.strays.push({ owner, field: 'clusterIP', text: clusterIP });
    else into.claims.push({ pool: allocators.clusterIps.pool, value, owner, field: { kind: 'clusterIP' }, text: clusterIP, created });
  }
  const type = serviceType(svc);
  if (type === 'NodePort' || type === 'LoadBalancer') {
    (spec.ports ?? []).forEach((port, index) => {
      if (!port.nodePort) return;
      const protocol = port.protocol || 'TCP';
      if (!allocators.nodePorts.inRange(port.nodePort)) {
        into.strays.push({ owner, field: 'nodePort', text: String(port.nodePort) });
        return;
      }
      into.claims.push({
        pool: allocators.nodePorts.poolOf(protocol), value: port.nodePort, owner,
        field: { kind: 'nodePort', index, protocol }, text: String(port.nodePort), created,
      });
    });
  }
  if (needsHealthCheckNodePort(svc) && spec.healthCheckNodePort) {
    const port = spec.healthCheckNodePort;
    if (!allocators.nodePorts.inRange(port)) into.strays.push({ owner, field: 'healthCheckNodePort', text: String(port) });
    else into.claims.push({ pool: allocators.nodePorts.poolOf('TCP'), value: port, owner, field: { kind: 'healthCheckNodePort' }, text: String(port), created });
  }
}

/** A podCIDR outside the cluster pod CIDR is the Node's own and claims nothing. */
export function nodeClaims(node: Node, allocators: NetworkAllocators, into: ClaimSet): void {
  const cidr = node.spec?.podCIDR;
  if (!cidr) return;
  const value = allocators.podCidrs.valueOf(cidr);
  if (value === undefined) return;
  into.claims.push({
    pool: allocators.podCidrs.pool, value, owner: nodeOwner(node), field: { kind: 'podCIDR' }, text: cidr,
    created: node.metadata.creationTimestamp ?? '',
  });
}

export function podClaims(pod: Pod, nodeCidr: string | undefined, allocators: NetworkAllocators, into: ClaimSet): void {
  const ip = pod.status?.podIP;
  if (!ip || !pod.spec?.nodeName) return;
  const place = allocators.podIps.locate(ip, nodeCidr);
  if (!place) return;
  into.claims.push({ ...place, owner: podOwner(pod), field: { kind: 'podIP' }, text: ip, created: pod.metadata.creationTimestamp ?? '' });
}

export function sameOwner(a: ObjectKey, b: ObjectKey): boolean {
  return a.resource === b.resource && a.namespace === b.namespace && a.name === b.name;
}

/** Orders the claimants of one value: the oldest object first, then by name. */
export function compareClaimants(a: Claim, b: Claim): number {
  if (a.created !== b.created) return a.created < b.created ? -1 : 1;
  for (const field of ['name', 'namespace', 'resource'] as const) {
    if (a.owner[field] !== b.owner[field]) return a.owner[field] < b.owner[field] ? -1 : 1;
  }
  return 0;
}
