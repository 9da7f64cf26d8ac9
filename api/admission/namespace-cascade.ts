import type { StoreTransaction } from '../../storage/store.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { AdmissionHooks } from './admission-hooks.js';

/**
 * Deleting a namespace deletes what it holds, in the same transaction, through
 * each kind's registry so that kind-specific release hooks (addresses, ports)
 * run too. Kubernetes does this asynchronously behind a Terminating phase;
 * one transaction gives the same end state with nothing left half-deleted.
 */
export function namespaceCascadeHooks(registries: ReadonlyMap<string, GenericRegistry<KubeObject>>): AdmissionHooks {
  return {
    onDelete(txn: StoreTransaction, namespace: KubeObject): void {
      const name = namespace.metadata.name ?? '';
      for (const registry of registries.values()) {
        if (!registry.kind.namespaced) continue;
        const contents = txn.list({ resource: registry.kind.resource, namespace: name });
        for (const stored of contents.items) registry.deleteIn(txn, stored);
      }
    },
  };
}
