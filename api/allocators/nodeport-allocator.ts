import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { AllocationError } from './allocation-error.js';
import { claimFound, contains, findFreePreferringUpper, lowerBandSize, storeGapSearch, type Random, type ValueRange } from './value-range.js';

export const NODE_PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/**
 * NodePorts from the node-port range, one pool per protocol: a node listens
 * on 30053/TCP and 30053/UDP independently, so the same number may serve a
 * TCP port of one Service and a UDP port of another.
 */
export class NodePortAllocator {
  readonly range: ValueRange;
  readonly staticBand: number;

  constructor(nodePortRange: { from: number; to: number }, private readonly random: Random = Math.random) {
    this.range = { first: nodePortRange.from, last: nodePortRange.to };
    // upstream portallocator: min(max(16, size/32), 128).
    this.staticBand = lowerBandSize(nodePortRange.to - nodePortRange.from + 1, 16, 128, 32);
  }

  poolOf(protocol: string | undefined): string {
    return `nodeport:${protocol || 'TCP'}`;
  }

  get rangeText(): string {
    return `${this.range.first}-${this.range.last}`;
  }

  inRange(port: number): boolean {
    return contains(this.range, port);
  }

  /** Claims a requested port for `owner` (a no-op when it already holds it). */
  allocate(txn: StoreTransaction, protocol: string | undefined, port: number, owner: ObjectKey): void {
    if (!this.inRange(port)) {
      throw new AllocationError('not-in-range', `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`);
    }
    if (!txn.allocate(this.poolOf(protocol), port, owner)) throw new AllocationError('allocated', 'provided port is already allocated');
  }

  /** Claims `port` when it is in range and free; false otherwise. */
  tryAllocate(txn: StoreTransaction, protocol: string | undefined, port: number, owner: ObjectKey): boolean {
    return this.inRange(port) && txn.allocate(this.poolOf(protocol), port, owner);
  }

  allocateNext(txn: StoreTransaction, protocol: string | undefined, owner: ObjectKey): number {
    const pool = this.poolOf(protocol);
    const port = findFreePreferringUpper(txn, storeGapSearch(pool), this.range, this.staticBand, this.random);
    if (port === undefined) throw new AllocationError('full', 'range is full');
    return claimFound(txn, pool, port, owner);
  }

  heldBy(txn: StoreTransaction, protocol: string | undefined, owner: ObjectKey): number[] {
    return txn.allocationsOf(this.poolOf(protocol), owner);
  }

  release(txn: StoreTransaction, protocol: string | undefined, port: number): void {
    txn.release(this.poolOf(protocol), port);
  }
}
