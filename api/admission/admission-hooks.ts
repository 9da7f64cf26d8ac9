import type { StoreTransaction } from '../../storage/store.js';
import type { KubeObject } from '../resources/strategy.js';

/**
 * What admission does inside a write's transaction, after the strategy has
 * defaulted and validated the object: allocations, reference checks,
 * cascades. A hook that throws aborts the write. What should happen after a
 * commit belongs to a controller instead.
 */
export interface AdmissionHooks<T extends KubeObject = KubeObject> {
  onCreate?(txn: StoreTransaction, object: T): void;
  onUpdate?(txn: StoreTransaction, object: T, old: T): void;
  onDelete?(txn: StoreTransaction, old: T): void;
}

/** Admission hooks by resource name (`pods`, `services`, …). */
export type AdmissionChain = Map<string, AdmissionHooks>;

/** Runs `first`, then `second`, for each phase. */
export function chainHooks(first: AdmissionHooks, second: AdmissionHooks): AdmissionHooks {
  return {
    onCreate(txn, object) {
      first.onCreate?.(txn, object);
      second.onCreate?.(txn, object);
    },
    onUpdate(txn, object, old) {
      first.onUpdate?.(txn, object, old);
      second.onUpdate?.(txn, object, old);
    },
    onDelete(txn, old) {
      first.onDelete?.(txn, old);
      second.onDelete?.(txn, old);
    },
  };
}

/** Adds `hooks` for `resource` after whatever the chain already runs for it. */
export function appendHooks(chain: AdmissionChain, resource: string, hooks: AdmissionHooks): void {
  const existing = chain.get(resource);
  chain.set(resource, existing ? chainHooks(existing, hooks) : hooks);
}

/**
 * Hooks that look their resource up in a chain at call time: registries are
 * created before the chain (cascades need the registries), so each registry
 * gets this indirection and the chain is filled in afterwards.
 */
export function deferredHooks(resource: string, chain: AdmissionChain): AdmissionHooks {
  return {
    onCreate: (txn, object) => chain.get(resource)?.onCreate?.(txn, object),
    onUpdate: (txn, object, old) => chain.get(resource)?.onUpdate?.(txn, object, old),
    onDelete: (txn, old) => chain.get(resource)?.onDelete?.(txn, old),
  };
}
