import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { InvalidError } from '../errors.js';
import type { AdmissionHooks } from './admission-hooks.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import { FieldErrors } from '../validation/field-errors.js';
import { AllocationError } from '../allocators/allocation-error.js';
import type { AllocationLog } from '../allocators/allocation-log.js';
import type { PodIpAllocator } from '../allocators/podip-allocator.js';

// In Kubernetes the container runtime's IPAM plugin picks a Pod's address on
// the node. skiff's agents need no IPAM: the API server hands the address out
// from the Node's podCIDR in the same write that binds the Pod, and records
// one an agent reports instead.

export function podOwner(pod: Pod): ObjectKey {
  return { resource: 'pods', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' };
}

function readNode(txn: StoreTransaction, name: string): Node | undefined {
  const stored = txn.get({ resource: 'nodes', namespace: '', name });
  return stored ? (JSON.parse(stored.value) as Node) : undefined;
}

function internalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((address) => address.type === 'InternalIP')?.address;
}

export function reconcilePodAllocation(txn: StoreTransaction, pod: Pod, old: Pod | undefined, allocator: PodIpAllocator, log: AllocationLog): void {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return;
  const status = (pod.status ??= {});
  const oldIP = old?.status?.podIP;
  // The address is the Pod's for life: a status write that leaves it out keeps it.
  if (!status.podIP && oldIP) {
    status.podIP = oldIP;
    status.podIPs = structuredClone(old?.status?.podIPs ?? [{ ip: oldIP }]);
  }
  if (status.podIP && status.podIP === oldIP) return;

  const owner = podOwner(pod);
  const node = readNode(txn, nodeName);
  const nodeCidr = node?.spec?.podCIDR;
  if (status.podIP) {
    // Reported by the node agent.
    if ((status.podIPs ?? []).length === 0) status.podIPs = [{ ip: status.podIP }];
    if (oldIP) allocator.release(txn, oldIP, owner, nodeCidr);
    try {
      allocator.allocate(txn, nodeCidr, status.podIP, owner);
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      throw new InvalidError('Pod', owner.name, new FieldErrors().invalid('status.podIP', status.podIP, error.message).causes);
    }
    return;
  }
  if (!node || !nodeCidr) return;
  const ip = allocator.allocateNext(txn, nodeCidr, owner);
  if (!ip) {
    log.warn({ pod: `${owner.namespace}/${owner.name}`, node: nodeName, podCIDR: nodeCidr }, 'no free pod IP left in the node podCIDR');
    return;
  }
  status.podIP = ip;
  status.podIPs = [{ ip }];
  const hostIP = internalIP(node);
  if (hostIP && !status.hostIP) {
    status.hostIP = hostIP;
    status.hostIPs = [{ ip: hostIP }];
  }
}

export function releasePodAllocation(txn: StoreTransaction, pod: Pod, allocator: PodIpAllocator): void {
  const nodeName = pod.spec?.nodeName;
  const nodeCidr = nodeName ? readNode(txn, nodeName)?.spec?.podCIDR : undefined;
  allocator.releaseAll(txn, podOwner(pod), nodeCidr);
}

export function podAllocationHooks(allocator: PodIpAllocator, log: AllocationLog): AdmissionHooks<Pod> {
  return {
    onCreate: (txn, pod) => reconcilePodAllocation(txn, pod, undefined, allocator, log),
    onUpdate: (txn, pod, old) => reconcilePodAllocation(txn, pod, old, allocator, log),
    onDelete: (txn, old) => releasePodAllocation(txn, old, allocator),
  };
}
