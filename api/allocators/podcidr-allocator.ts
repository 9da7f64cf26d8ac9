import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { AllocationError } from './allocation-error.js';
import { offsetOf, parseCidr, subnetAt, subnetCount, type Cidr } from './cidr.js';
import { claimFound, contains, type ValueRange } from './value-range.js';

/** Subnets beyond this many are never handed out (values must stay plain numbers). */
const MAX_SUBNETS = 1 << 24;

/**
 * Node podCIDRs: the i-th /maskSize subnet of the cluster pod CIDR, with i as
 * the pool value. Like the node IPAM controller's cidrset, the first subnet is
 * an ordinary one and the search takes the lowest free index, so the first
 * Node of a cluster gets 10.244.0.0/24, the second 10.244.1.0/24.
 */
export class PodCidrAllocator {
  readonly cidr: Cidr;
  readonly pool: string;
  readonly range: ValueRange;

  constructor(clusterCidr: string, readonly maskSize: number) {
    this.cidr = parseCidr(clusterCidr);
    this.pool = `podcidr:${this.cidr.text}`;
    const count = subnetCount(this.cidr, maskSize);
    this.range = { first: 0, last: Number(count > BigInt(MAX_SUBNETS) ? BigInt(MAX_SUBNETS) : count) - 1 };
  }

  /** The pool value of `subnet`: defined only for an exact, aligned /maskSize subnet of the cluster CIDR. */
  valueOf(subnet: string): number | undefined {
    let parsed: Cidr;
    try {
      parsed = parseCidr(subnet);
    } catch {
      return undefined;
    }
    if (parsed.prefixLength !== this.maskSize || parsed.text !== subnet) return undefined;
    const offset = offsetOf(this.cidr, subnet.split('/')[0] ?? '');
    if (offset === undefined) return undefined;
    const value = Number(offset / parsed.size);
    return contains(this.range, value) ? value : undefined;
  }

  subnetOf(value: number): string {
    return subnetAt(this.cidr, this.maskSize, BigInt(value));
  }

  /** Claims a subnet a Node came with. Subnets outside the cluster CIDR are the Node's own business. */
  allocate(txn: StoreTransaction, subnet: string, owner: ObjectKey): 'claimed' | 'outside' {
    const value = this.valueOf(subnet);
    if (value === undefined) return 'outside';
    if (!txn.allocate(this.pool, value, owner)) throw new AllocationError('allocated', 'provided CIDR is already allocated');
    return 'claimed';
  }

  /** The lowest free subnet, or undefined when the cluster CIDR is exhausted. */
  allocateNext(txn: StoreTransaction, owner: ObjectKey): string | undefined {
    if (this.range.last < this.range.first) return undefined;
    const value = txn.firstFree(this.pool, this.range.first, this.range.last, this.range.first);
    return value === undefined ? undefined : this.subnetOf(claimFound(txn, this.pool, value, owner));
  }

  heldBy(txn: StoreTransaction, owner: ObjectKey): string[] {
    return txn.allocationsOf(this.pool, owner).map((value) => this.subnetOf(value));
  }

  release(txn: StoreTransaction, subnet: string): void {
    const value = this.valueOf(subnet);
    if (value !== undefined) txn.release(this.pool, value);
  }
}
