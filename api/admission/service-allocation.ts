import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { InternalError, InvalidError } from '../errors.js';
import type { AdmissionHooks } from './admission-hooks.js';
import { needsClusterIP, needsHealthCheckNodePort, needsNodePorts, serviceType } from '../resources/service-fields.js';
import type { Service } from '../schemas/service.js';
import { FieldErrors } from '../validation/field-errors.js';
import { AllocationError } from '../allocators/allocation-error.js';
import type { ClusterIpAllocator } from '../allocators/clusterip-allocator.js';
import { NODE_PORT_PROTOCOLS, type NodePortAllocator } from '../allocators/nodeport-allocator.js';

// What upstream's service REST storage does around a write (alloc.go): fill
// in and claim the ClusterIP and NodePorts a Service needs, and let go of the
// ones it no longer has. Create and update run the same reconciliation —
// claim what the new object names, allocate what it leaves empty, release
// what it dropped — so every type change falls out of one rule.

export interface ServiceAllocators {
  clusterIps: ClusterIpAllocator;
  nodePorts: NodePortAllocator;
}

export function serviceOwner(svc: Service): ObjectKey {
  return { resource: 'services', namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '' };
}

function isHeadlessRequest(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None' || svc.spec?.clusterIPs?.[0] === 'None';
}

/** Ports that live on every node: NodePort and LoadBalancer Services honour requested ones. */
function hasNodePorts(svc: Service): boolean {
  const type = serviceType(svc);
  return type === 'NodePort' || type === 'LoadBalancer';
}

function rangeFull(what: string, range: string): InternalError {
  // Kubernetes answers a full range with a 500 (it is no fault of the request), worded this way.
  return new InternalError(`Internal error occurred: failed to allocate a ${what}: range is full (${range})`);
}

/** Claims or allocates the ClusterIP; releases any other address the Service held. */
function reconcileClusterIP(txn: StoreTransaction, svc: Service, old: Service | undefined, allocators: ServiceAllocators, errors: FieldErrors): void {
  const { clusterIps } = allocators;
  const owner = serviceOwner(svc);
  const spec = (svc.spec ??= {});
  let keep: string | undefined;
  // skiff serves one service CIDR, so one family; upstream refuses the other the same way.
  const configured = clusterIps.cidr.family === 6 ? 'IPv6' : 'IPv4';
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (needsClusterIP(svc) && family !== configured) errors.invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster');
  });
  if (!needsClusterIP(svc)) {
    // ExternalName: a DNS alias, no virtual IP.
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (!isHeadlessRequest(svc)) {
    const requested = spec.clusterIPs?.[0] || spec.clusterIP || '';
    if (requested) {
      keep = requested;
      spec.clusterIP = requested;
      if ((spec.clusterIPs ?? []).length === 0) spec.clusterIPs = [requested];
      try {
        clusterIps.allocate(txn, requested, owner);
      } catch (error) {
        if (!(error instanceof AllocationError)) throw error;
        // An address the Service already had is not re-judged (the range may have moved since).
        if (old?.spec?.clusterIP !== requested) errors.invalid('spec.clusterIPs[0]', requested, error.message);
      }
    } else {
      try {
        keep = clusterIps.allocateNext(txn, owner);
      } catch (error) {
        if (error instanceof AllocationError) throw rangeFull('serviceIP', clusterIps.cidr.text);
        throw error;
      }
      spec.clusterIP = keep;
      spec.clusterIPs = [keep];
    }
  }
  for (const held of clusterIps.heldBy(txn, owner)) if (held !== keep) clusterIps.release(txn, held);
}

/**
 * Claims requested NodePorts, allocates missing ones, releases dropped ones.
 * Like upstream, ports that differ only in protocol (53/TCP and 53/UDP) are
 * given the same automatic NodePort when it is free in both pools.
 */
function reconcileNodePorts(txn: StoreTransaction, svc: Service, old: Service | undefined, allocators: ServiceAllocators, errors: FieldErrors): void {
  const { nodePorts } = allocators;
  const owner = serviceOwner(svc);
  const spec = (svc.spec ??= {});
  const ports = spec.ports ?? [];
  const kept = new Set<string>();
  const key = (protocol: string | undefined, port: number): string => `${protocol || 'TCP'}/${port}`;
  const previous = new Set((old?.spec?.ports ?? []).filter((p) => p.nodePort).map((p) => key(p.protocol, p.nodePort ?? 0)));

  if (!hasNodePorts(svc)) {
    for (const port of ports) delete port.nodePort;
  } else {
    const byServicePort = new Map<number, number>();
    ports.forEach((port, i) => {
      if (!port.nodePort) return;
      const id = key(port.protocol, port.nodePort);
      if (kept.has(id)) {
        errors.duplicate(`spec.ports[${i}].nodePort`, port.nodePort);
        return;
      }
      kept.add(id);
      if (!byServicePort.has(port.port ?? 0)) byServicePort.set(port.port ?? 0, port.nodePort);
      try {
        nodePorts.allocate(txn, port.protocol, port.nodePort, owner);
      } catch (error) {
        if (!(error instanceof AllocationError)) throw error;
        if (!previous.has(id)) errors.invalid(`spec.ports[${i}].nodePort`, port.nodePort, error.message);
      }
    });
    if (needsNodePorts(svc)) {
      for (const port of ports) {
        if (port.nodePort) continue;
        const sibling = byServicePort.get(port.port ?? 0);
        let assigned: number;
        if (sibling !== undefined && !kept.has(key(port.protocol, sibling)) && nodePorts.tryAllocate(txn, port.protocol, sibling, owner)) {
          assigned = sibling;
        } else {
          try {
            assigned = nodePorts.allocateNext(txn, port.protocol, owner);
          } catch (error) {
            if (error instanceof AllocationError) throw rangeFull('nodePort', nodePorts.rangeText);
            throw error;
          }
        }
        port.nodePort = assigned;
        kept.add(key(port.protocol, assigned));
        if (sibling === undefined) byServicePort.set(port.port ?? 0, assigned);
      }
    }
  }

  // The health-check port serves HTTP, so it lives in the TCP pool.
  if (needsHealthCheckNodePort(svc)) {
    const requested = spec.healthCheckNodePort;
    if (requested) {
      const id = key('TCP', requested);
      if (kept.has(id)) {
        errors.invalid('spec.healthCheckNodePort', requested, 'provided port is already allocated');
      } else {
        kept.add(id);
        try {
          nodePorts.allocate(txn, 'TCP', requested, owner);
        } catch (error) {
          if (!(error instanceof AllocationError)) throw error;
          if (old?.spec?.healthCheckNodePort !== requested) errors.invalid('spec.healthCheckNodePort', requested, error.message);
        }
      }
    } else {
      try {
        spec.healthCheckNodePort = nodePorts.allocateNext(txn, 'TCP', owner);
      } catch (error) {
        if (error instanceof AllocationError) throw rangeFull('health check nodePort', nodePorts.rangeText);
        throw error;
      }
      kept.add(key('TCP', spec.healthCheckNodePort));
    }
  }

  for (const protocol of NODE_PORT_PROTOCOLS) {
    for (const held of nodePorts.heldBy(txn, protocol, owner)) {
      if (!kept.has(key(protocol, held))) nodePorts.release(txn, protocol, held);
    }
  }
}

/** Brings the Service's allocations in line with its spec, filling in what it asks the system for. */
export function reconcileServiceAllocations(txn: StoreTransaction, svc: Service, old: Service | undefined, allocators: ServiceAllocators): void {
  const errors = new FieldErrors();
  reconcileClusterIP(txn, svc, old, allocators, errors);
  reconcileNodePorts(txn, svc, old, allocators, errors);
  if (!errors.empty) throw new InvalidError('Service', svc.metadata.name ?? '', errors.causes);
}

export function releaseServiceAllocations(txn: StoreTransaction, svc: Service, allocators: ServiceAllocators): void {
  const owner = serviceOwner(svc);
  for (const ip of allocators.clusterIps.heldBy(txn, owner)) allocators.clusterIps.release(txn, ip);
  for (const protocol of NODE_PORT_PROTOCOLS) {
    for (const port of allocators.nodePorts.heldBy(txn, protocol, owner)) allocators.nodePorts.release(txn, protocol, port);
  }
}

export function serviceAllocationHooks(allocators: ServiceAllocators): AdmissionHooks<Service> {
  return {
    onCreate: (txn, svc) => reconcileServiceAllocations(txn, svc, undefined, allocators),
    onUpdate: (txn, svc, old) => reconcileServiceAllocations(txn, svc, old, allocators),
    onDelete: (txn, old) => releaseServiceAllocations(txn, old, allocators),
  };
}
