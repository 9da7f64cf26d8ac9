import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { InvalidError } from '../errors.js';
import type { AdmissionHooks } from './admission-hooks.js';
import type { Node } from '../schemas/node.js';
import { FieldErrors } from '../validation/field-errors.js';
import { AllocationError } from '../allocators/allocation-error.js';
import type { AllocationLog } from '../allocators/allocation-log.js';
import type { PodCidrAllocator } from '../allocators/podcidr-allocator.js';

// The node IPAM controller's range allocator, done at admission: a Node that
// registers without a podCIDR gets the next free subnet of the cluster pod
// CIDR in the same write; one that brings its own has it recorded.

export function nodeOwner(node: Node): ObjectKey {
  return { resource: 'nodes', namespace: '', name: node.metadata.name ?? '' };
}

export function reconcileNodeAllocation(txn: StoreTransaction, node: Node, old: Node | undefined, allocator: PodCidrAllocator, log: AllocationLog): void {
  const owner = nodeOwner(node);
  const spec = (node.spec ??= {});
  if (!spec.podCIDR && spec.podCIDRs?.[0]) spec.podCIDR = spec.podCIDRs[0];
  // A write that leaves podCIDR out does not give the subnet back; it is the Node's for life.
  if (!spec.podCIDR && old?.spec?.podCIDR) {
    spec.podCIDR = old.spec.podCIDR;
    spec.podCIDRs = structuredClone(old.spec.podCIDRs ?? [old.spec.podCIDR]);
  }
  let keep: string | undefined = spec.podCIDR;
  if (keep) {
    if ((spec.podCIDRs ?? []).length === 0) spec.podCIDRs = [keep];
    try {
      allocator.allocate(txn, keep, owner);
    } catch (error) {
      if (!(error instanceof AllocationError)) throw error;
      if (old?.spec?.podCIDR !== keep) {
        throw new InvalidError('Node', owner.name, new FieldErrors().invalid('spec.podCIDRs[0]', keep, error.message).causes);
      }
    }
  } else {
    keep = allocator.allocateNext(txn, owner);
    if (keep) {
      spec.podCIDR = keep;
      spec.podCIDRs = [keep];
    } else {
      // As the node IPAM controller does: the Node is admitted without a podCIDR, and the failure is reported.
      log.warn({ node: owner.name, clusterCIDR: allocator.cidr.text, reason: 'CIDRNotAvailable' },
        'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range');
    }
  }
  for (const held of allocator.heldBy(txn, owner)) if (held !== keep) allocator.release(txn, held);
}

export function releaseNodeAllocation(txn: StoreTransaction, node: Node, allocator: PodCidrAllocator): void {
  for (const held of allocator.heldBy(txn, nodeOwner(node))) allocator.release(txn, held);
}

export function nodeAllocationHooks(allocator: PodCidrAllocator, log: AllocationLog): AdmissionHooks<Node> {
  return {
    onCreate: (txn, node) => reconcileNodeAllocation(txn, node, undefined, allocator, log),
    onUpdate: (txn, node, old) => reconcileNodeAllocation(txn, node, old, allocator, log),
    onDelete: (txn, old) => releaseNodeAllocation(txn, old, allocator),
  };
}
