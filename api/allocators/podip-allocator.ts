import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import { AllocationError } from './allocation-error.js';
import { addressAt, offsetOf, parseCidr, type Cidr } from './cidr.js';
import { claimFound, contains, findFree, storeGapSearch, type Random, type ValueRange } from './value-range.js';

/** At most this many addresses of one node's subnet are used (an IPv6 /64 has rather more). */
const MAX_ADDRESSES_PER_NODE = 65536;

interface NodeWindow {
  pool: string;
  /** The CIDR pool values are offsets into. */
  base: Cidr;
  /** The node subnet's usable addresses, as offsets into `base`. */
  range: ValueRange;
}

/**
 * Pod IPs from the podCIDR of the Pod's Node. Every subnet carved from the
 * cluster pod CIDR shares one pool, `podip:<cluster CIDR>`, with offsets into
 * the cluster CIDR as values, so releasing a Pod's address never needs its
 * Node (which may be gone) and the repair pass has one pool to check. A Node
 * that came with a subnet of its own gets a pool of that subnet.
 *
 * The network address, the first host address (the node's gateway into the
 * pod network, by the bridge plugins' convention) and, for IPv4, the
 * broadcast address are never handed out.
 */
export class PodIpAllocator {
  readonly cluster: Cidr;
  readonly clusterPool: string;

  constructor(clusterPodCidr: string, private readonly random: Random = Math.random) {
    this.cluster = parseCidr(clusterPodCidr);
    this.clusterPool = `podip:${this.cluster.text}`;
  }

  /** The pool and search window for a node subnet; undefined when the text is not a CIDR. */
  windowOf(nodeCidr: string): NodeWindow | undefined {
    let subnet: Cidr;
    try {
      subnet = parseCidr(nodeCidr);
    } catch {
      return undefined;
    }
    const usable = subnet.size < BigInt(MAX_ADDRESSES_PER_NODE) ? subnet.size : BigInt(MAX_ADDRESSES_PER_NODE);
    const lastHost = subnet.family === 4 && usable === subnet.size ? usable - 2n : usable - 1n;
    const start = offsetOf(this.cluster, addressAt(subnet, 0n));
    const insideCluster = start !== undefined && subnet.prefixLength >= this.cluster.prefixLength
      && start + lastHost <= BigInt(Number.MAX_SAFE_INTEGER);
    const base = insideCluster ? this.cluster : subnet;
    const shift = insideCluster ? start : 0n;
    return {
      pool: insideCluster ? this.clusterPool : `podip:${subnet.text}`,
      base,
      range: { first: Number(shift + 2n), last: Number(shift + lastHost) },
    };
  }

  /** The next free address of the node's subnet, or undefined when none is left. */
  allocateNext(txn: StoreTransaction, nodeCidr: string, owner: ObjectKey): string | undefined {
    const window = this.windowOf(nodeCidr);
    if (!window) return undefined;
    const value = findFree(txn, storeGapSearch(window.pool), window.range, this.random);
    return value === undefined ? undefined : addressAt(window.base, BigInt(claimFound(txn, window.pool, value, owner)));
  }

  /**
   * The pool and value that track `ip`: any address of the cluster CIDR (so
   * an address an agent picked can never be handed to another Pod), or an
   * address of a foreign node subnet's window.
   */
  locate(ip: string, nodeCidr?: string): { pool: string; value: number } | undefined {
    const offset = offsetOf(this.cluster, ip);
    if (offset !== undefined && offset <= BigInt(Number.MAX_SAFE_INTEGER)) return { pool: this.clusterPool, value: Number(offset) };
    const window = nodeCidr ? this.windowOf(nodeCidr) : undefined;
    const value = window ? this.valueIn(window, ip) : undefined;
    return window && value !== undefined ? { pool: window.pool, value } : undefined;
  }

  /** Records an address a node agent reported; addresses nobody else could be given are not tracked. */
  allocate(txn: StoreTransaction, nodeCidr: string | undefined, ip: string, owner: ObjectKey): 'claimed' | 'outside' {
    const place = this.locate(ip, nodeCidr);
    if (!place) return 'outside';
    if (!txn.allocate(place.pool, place.value, owner)) throw new AllocationError('allocated', 'provided IP is already allocated');
    return 'claimed';
  }

  /** Releases `ip` if `owner` holds it. */
  release(txn: StoreTransaction, ip: string, owner: ObjectKey, nodeCidr?: string): void {
    const place = this.locate(ip, nodeCidr);
    if (place && txn.allocationsOf(place.pool, owner).includes(place.value)) txn.release(place.pool, place.value);
  }

  /** Releases every address `owner` holds in the cluster pool and, when given, the node's own pool. */
  releaseAll(txn: StoreTransaction, owner: ObjectKey, nodeCidr?: string): void {
    for (const { pool } of this.poolsOf(nodeCidr)) {
      for (const value of txn.allocationsOf(pool, owner)) txn.release(pool, value);
    }
  }

  /** The addresses `owner` holds in the cluster pool and, when given, the node's own pool. */
  heldBy(txn: StoreTransaction, owner: ObjectKey, nodeCidr?: string): string[] {
    return this.poolsOf(nodeCidr).flatMap(({ pool, base }) => txn.allocationsOf(pool, owner).map((value) => addressAt(base, BigInt(value))));
  }

  private poolsOf(nodeCidr: string | undefined): Array<{ pool: string; base: Cidr }> {
    const pools = [{ pool: this.clusterPool, base: this.cluster }];
    const window = nodeCidr ? this.windowOf(nodeCidr) : undefined;
    if (window && window.pool !== this.clusterPool) pools.push({ pool: window.pool, base: window.base });
    return pools;
  }

  private valueIn(window: NodeWindow, ip: string): number | undefined {
    const offset = offsetOf(window.base, ip);
    if (offset === undefined || offset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return contains(window.range, Number(offset)) ? Number(offset) : undefined;
  }
}
