import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { AllocationError } from './allocation-error.js';
import { addressAt, offsetOf, parseCidr, type Cidr } from './cidr.js';
import { BlockHints } from './block-hints.js';
import { claimFound, contains, findFreePreferringUpper, lowerBandSize, type Random, type ValueRange } from './value-range.js';

/** upstream keeps an IPv6 service range to 2^16 addresses (its bitmap's size); skiff does the same. */
const MAX_IPV6_ADDRESSES = 65536;

/**
 * ClusterIPs from the service CIDR. Values are offsets from the network
 * address. The network address is never handed out, nor, for IPv4, the
 * broadcast address; nothing else is reserved (the `kubernetes` Service's
 * .1 is an ordinary explicit allocation upstream too).
 */
export class ClusterIpAllocator {
  readonly cidr: Cidr;
  readonly pool: string;
  readonly range: ValueRange;
  /** The lower band reserved for explicit requests (see findFreePreferringUpper). */
  readonly staticBand: number;
  private readonly hints: BlockHints;

  constructor(serviceCidr: string, private readonly random: Random = Math.random) {
    this.cidr = parseCidr(serviceCidr);
    this.pool = `clusterip:${this.cidr.text}`;
    const size = Number(this.cidr.size > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : this.cidr.size);
    const last = this.cidr.family === 4 ? size - 2 : Math.min(size, MAX_IPV6_ADDRESSES) - 1;
    this.range = { first: 1, last };
    // upstream: min(max(16, size/16), 256) over the whole CIDR size.
    this.staticBand = lowerBandSize(size, 16, 256, 16);
    this.hints = new BlockHints(this.pool, this.range);
  }

  /** The pool value of `ip`, when it is one this allocator may hand out. */
  valueOf(ip: string): number | undefined {
    const offset = offsetOf(this.cidr, ip);
    if (offset === undefined) return undefined;
    const value = Number(offset);
    return contains(this.range, value) ? value : undefined;
  }

  addressOf(value: number): string {
    return addressAt(this.cidr, BigInt(value));
  }

  /** Claims a requested address for `owner` (a no-op when it already holds it). */
  allocate(txn: StoreTransaction, ip: string, owner: ObjectKey): void {
    const value = this.valueOf(ip);
    if (value === undefined) {
      throw new AllocationError('not-in-range', `provided IP is not in the valid range. The range of valid IPs is ${this.cidr.text}`);
    }
    if (!txn.allocate(this.pool, value, owner)) throw new AllocationError('allocated', 'provided IP is already allocated');
  }

  allocateNext(txn: StoreTransaction, owner: ObjectKey): string {
    const search = (t: StoreTransaction, window: ValueRange, start: number): number | undefined => this.hints.findFree(t, window, start);
    const value = findFreePreferringUpper(txn, search, this.range, this.staticBand, this.random);
    if (value === undefined) throw new AllocationError('full', 'range is full');
    return this.addressOf(claimFound(txn, this.pool, value, owner));
  }

  /** The addresses `owner` holds. */
  heldBy(txn: StoreTransaction, owner: ObjectKey): string[] {
    return txn.allocationsOf(this.pool, owner).map((value) => this.addressOf(value));
  }

  release(txn: StoreTransaction, ip: string): void {
    const value = this.valueOf(ip);
    if (value !== undefined) this.releaseValue(txn, value);
  }

  releaseValue(txn: StoreTransaction, value: number): void {
    txn.release(this.pool, value);
    this.hints.released(txn, value);
  }
}
