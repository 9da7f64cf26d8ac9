import type { ObjectKey, Store, StoreTransaction, StoredObject } from '../../storage/store.js';
import type { KubeObject } from '../resources/strategy.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import type { Service } from '../schemas/service.js';
import type { ServerConfig } from '../server-config.js';
import { AllocationError } from './allocation-error.js';
import { compareClaimants, nodeClaims, podClaims, sameOwner, serviceClaims, type Claim, type ClaimSet } from './allocation-claims.js';
import type { AllocationLog } from './allocation-log.js';
import { networkAllocators, type NetworkAllocators } from './network-allocators.js';
import { NODE_PORT_PROTOCOLS } from './nodeport-allocator.js';

// The allocation tables are written in the same transaction as the objects
// that own them, so a crash cannot leave them apart. The repair pass is the
// check that this holds — and the cure when it does not (a database edited
// by hand, restored from a backup, or written by an older skiff). Like
// upstream's ClusterIP and NodePort repair controllers it re-claims what
// objects hold and releases what nobody holds; unlike them it also settles a
// value two objects share, instead of asking a human to recreate one.

export interface RepairSummary {
  /** Allocations an object held that were missing from the table. */
  reclaimed: number;
  /** Allocations no object holds any more. */
  released: number;
  /** Objects that lost a contested value and were given a fresh one. */
  reassigned: number;
  /** Values outside this server's configured ranges, left as they are. */
  outOfRange: number;
}

interface Loaded<T extends KubeObject> {
  stored: StoredObject;
  object: T;
}

function load<T extends KubeObject>(txn: StoreTransaction, resource: string): Array<Loaded<T>> {
  return txn.list({ resource }).items.map((stored) => ({ stored, object: JSON.parse(stored.value) as T }));
}

function ownerId(owner: ObjectKey): string {
  return `${owner.resource}/${owner.namespace}/${owner.name}`;
}

function describe(owner: ObjectKey): string {
  return owner.namespace ? `${owner.namespace}/${owner.name}` : owner.name;
}

/** The stored form the registry writes: apiVersion, kind, metadata first; resourceVersion is the write's revision. */
function rewrite(txn: StoreTransaction, loaded: Loaded<KubeObject>, specChanged: boolean): void {
  const object = loaded.object;
  if (specChanged) object.metadata.generation = (object.metadata.generation ?? 1) + 1;
  txn.update(loaded.stored, (revision) => {
    const { apiVersion, kind, metadata, ...rest } = object;
    return {
      value: JSON.stringify({ apiVersion, kind, metadata: { ...metadata, resourceVersion: String(revision) }, ...rest }),
      labels: metadata.labels ?? {},
    };
  }, loaded.stored.revision);
}

/** Gives the loser of a contested value a fresh one in its object; false when none is left. */
function reassign(txn: StoreTransaction, claim: Claim, loaded: Loaded<KubeObject>, allocators: NetworkAllocators, nodeCidrs: Map<string, string>): boolean {
  const owner = claim.owner;
  const field = claim.field;
  try {
    switch (field.kind) {
      case 'clusterIP': {
        const spec = ((loaded.object as Service).spec ??= {});
        const ip = allocators.clusterIps.allocateNext(txn, owner);
        spec.clusterIP = ip;
        spec.clusterIPs = [ip, ...(spec.clusterIPs ?? []).slice(1)];
        return true;
      }
      case 'nodePort': {
        const port = (loaded.object as Service).spec?.ports?.[field.index];
        if (!port) return false;
        port.nodePort = allocators.nodePorts.allocateNext(txn, field.protocol, owner);
        return true;
      }
      case 'healthCheckNodePort': {
        const spec = ((loaded.object as Service).spec ??= {});
        spec.healthCheckNodePort = allocators.nodePorts.allocateNext(txn, 'TCP', owner);
        return true;
      }
      case 'podCIDR': {
        const spec = ((loaded.object as Node).spec ??= {});
        const cidr = allocators.podCidrs.allocateNext(txn, owner);
        if (cidr) {
          spec.podCIDR = cidr;
          spec.podCIDRs = [cidr];
          nodeCidrs.set(owner.name, cidr);
        } else {
          delete spec.podCIDR;
          delete spec.podCIDRs;
          nodeCidrs.delete(owner.name);
        }
        return true;
      }
      case 'podIP': {
        const pod = loaded.object as Pod;
        const status = (pod.status ??= {});
        const nodeCidr = nodeCidrs.get(pod.spec?.nodeName ?? '');
        const ip = nodeCidr ? allocators.podIps.allocateNext(txn, nodeCidr, owner) : undefined;
        if (ip) {
          status.podIP = ip;
          status.podIPs = [{ ip }];
        } else {
          delete status.podIP;
          delete status.podIPs;
        }
        return true;
      }
    }
  } catch (error) {
    if (error instanceof AllocationError) return false;
    throw error;
  }
}

/**
 * Reconciles the allocation tables with the stored Services, Nodes and Pods,
 * in one write transaction (so a second server process writing at the same
 * time sees either none of it or all of it). Idempotent: a second run finds
 * nothing to do.
 */
export function repairAllocations(store: Store, config: Pick<ServerConfig, 'serviceCidr' | 'nodePortRange' | 'podCidr' | 'nodeCidrMaskSize'>, log: AllocationLog): RepairSummary {
  const allocators = networkAllocators(config);
  return store.transaction((txn) => {
    const summary: RepairSummary = { reclaimed: 0, released: 0, reassigned: 0, outOfRange: 0 };
    const services = load<Service>(txn, 'services');
    const nodes = load<Node>(txn, 'nodes');
    const pods = load<Pod>(txn, 'pods');
    const byOwner = new Map<string, Loaded<KubeObject>>();
    for (const loaded of [...services, ...nodes, ...pods]) byOwner.set(ownerId(loaded.stored), loaded as Loaded<KubeObject>);
    const nodeCidrs = new Map<string, string>();
    for (const { object } of nodes) if (object.spec?.podCIDR) nodeCidrs.set(object.metadata.name ?? '', object.spec.podCIDR);

    const found: ClaimSet = { claims: [], strays: [] };
    for (const { object } of services) serviceClaims(object, allocators, found);
    for (const { object } of nodes) nodeClaims(object, allocators, found);
    for (const { object } of pods) podClaims(object, nodeCidrs.get(object.spec?.nodeName ?? ''), allocators, found);
    for (const stray of found.strays) {
      summary.outOfRange++;
      log.warn({ owner: describe(stray.owner), kind: stray.owner.resource, field: stray.field, value: stray.text },
        'allocated value is outside the configured range; it is not tracked (recreate the object to move it into the range)');
    }

    // One holder per value: the oldest claimant keeps it, the others queue for a fresh one.
    const contested = new Map<string, Claim[]>();
    for (const claim of found.claims) {
      const key = `${claim.pool}\u0000${claim.value}`;
      const claimants = contested.get(key) ?? [];
      if (!claimants.some((other) => sameOwner(other.owner, claim.owner))) claimants.push(claim);
      contested.set(key, claimants);
    }
    const holders = new Map<string, Claim>();
    const losers: Claim[] = [];
    for (const [key, claimants] of contested) {
      claimants.sort(compareClaimants);
      holders.set(key, claimants[0]!);
      losers.push(...claimants.slice(1));
    }

    const pools = new Set<string>([
      allocators.clusterIps.pool,
      ...NODE_PORT_PROTOCOLS.map((protocol) => allocators.nodePorts.poolOf(protocol)),
      allocators.podCidrs.pool,
      allocators.podIps.clusterPool,
      ...found.claims.map((claim) => claim.pool),
    ]);
    for (const cidr of nodeCidrs.values()) {
      const window = allocators.podIps.windowOf(cidr);
      if (window) pools.add(window.pool);
    }
    const present = new Set<string>();
    for (const pool of pools) {
      for (const row of store.allocations(pool)) {
        const key = `${pool}\u0000${row.value}`;
        const holder = holders.get(key);
        if (holder && sameOwner(holder.owner, row.owner)) {
          present.add(key);
          continue;
        }
        if (pool === allocators.clusterIps.pool) allocators.clusterIps.releaseValue(txn, row.value);
        else txn.release(pool, row.value);
        summary.released++;
        log.warn({ pool, value: row.value, owner: describe(row.owner), kind: row.owner.resource }, 'allocation has leaked: releasing it');
      }
    }
    for (const [key, holder] of holders) {
      if (present.has(key)) continue;
      txn.allocate(holder.pool, holder.value, holder.owner);
      summary.reclaimed++;
      log.warn({ pool: holder.pool, value: holder.text, owner: describe(holder.owner), kind: holder.owner.resource }, 'allocation was missing: re-claiming it');
    }

    const changed = new Set<Loaded<KubeObject>>();
    for (const loser of losers) {
      const loaded = byOwner.get(ownerId(loser.owner));
      if (!loaded) continue;
      const holder = holders.get(`${loser.pool}\u0000${loser.value}`);
      if (!reassign(txn, loser, loaded, allocators, nodeCidrs)) {
        log.warn({ value: loser.text, owner: describe(loser.owner), kind: loser.owner.resource }, 'value is shared and its range is full: recreate the object');
        continue;
      }
      changed.add(loaded);
      summary.reassigned++;
      log.warn({ value: loser.text, owner: describe(loser.owner), kind: loser.owner.resource, keptBy: holder ? describe(holder.owner) : undefined },
        'value was assigned to several objects: the older keeps it, this one gets a fresh one');
    }
    for (const loaded of changed) rewrite(txn, loaded, loaded.stored.resource !== 'pods');
    if (summary.reclaimed + summary.released + summary.reassigned > 0) log.info({ ...summary }, 'allocation repair pass made changes');
    return summary;
  });
}
