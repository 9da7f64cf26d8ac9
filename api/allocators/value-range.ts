import type { ObjectKey, StoreTransaction } from '../../storage/store.js';

// The search every allocator shares: the allocation table is the source of
// truth, and a free value is found by asking the store for the first gap after
// a random start (an index range scan), never by reading every owner. Large
// ranges add block hints (block-hints.ts) to bound that scan.

/** An inclusive range of integer values inside one pool. */
export interface ValueRange {
  first: number;
  last: number;
}

export type Random = () => number;

export function contains(range: ValueRange, value: number): boolean {
  return Number.isInteger(value) && value >= range.first && value <= range.last;
}

function randomStart(range: ValueRange, random: Random): number {
  const span = range.last - range.first + 1;
  return range.first + Math.min(span - 1, Math.floor(random() * span));
}

/** Finds a free value of `window`, scanning from `start` and wrapping; undefined when all are taken. */
export type GapSearch = (txn: StoreTransaction, window: ValueRange, start: number) => number | undefined;

/** The store's own gap search over one pool. */
export function storeGapSearch(pool: string): GapSearch {
  return (txn, window, start) => txn.firstFree(pool, window.first, window.last, start);
}

/** A free value of `range`, searching upward from a random start and wrapping; undefined when all are taken. */
export function findFree(txn: StoreTransaction, search: GapSearch, range: ValueRange, random: Random): number | undefined {
  if (range.last < range.first) return undefined;
  return search(txn, range, randomStart(range, random));
}

/**
 * Kubernetes splits a range into a small lower band meant for values users
 * ask for and the rest for automatic allocation (KEP-3070 for ClusterIPs,
 * KEP-3668 for NodePorts): automatic allocation takes from the lower band only
 * when the upper one is full, so explicit requests rarely collide with it.
 */
export function findFreePreferringUpper(
  txn: StoreTransaction,
  search: GapSearch,
  range: ValueRange,
  lowerBandSize: number,
  random: Random,
): number | undefined {
  const split = range.first + lowerBandSize;
  return findFree(txn, search, { first: split, last: range.last }, random)
    ?? findFree(txn, search, { first: range.first, last: Math.min(range.last, split - 1) }, random);
}

/**
 * Claims a value the search just found. Inside the write transaction nobody
 * else can take it in between, so a refusal means the store is inconsistent.
 */
export function claimFound(txn: StoreTransaction, pool: string, value: number, owner: ObjectKey): number {
  if (!txn.allocate(pool, value, owner)) throw new Error(`allocation ${pool}/${value} was free and then taken within one transaction`);
  return value;
}

/**
 * upstream's calculateRangeOffset: min(max(minimum, size/step), maximum),
 * and no lower band at all for ranges of `minimum` values or fewer.
 */
export function lowerBandSize(size: number, minimum: number, maximum: number, step: number): number {
  if (size <= minimum) return 0;
  return Math.min(maximum, Math.max(minimum, Math.floor(size / step)));
}
