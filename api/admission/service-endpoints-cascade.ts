import type { StoreTransaction } from '../../storage/store.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { EndpointSlice } from '../schemas/endpointslice.js';
import { SERVICE_NAME_LABEL } from '../resources/endpointslice.js';
import type { AdmissionHooks } from './admission-hooks.js';

/**
 * A Service's Endpoints and the EndpointSlices it owns go in the Service's
 * own delete transaction. Upstream gets there asynchronously (the endpoints
 * controller deletes the Endpoints of a missing Service; the garbage
 * collector deletes slices whose owner is gone); one transaction leaves no
 * window in which an agent sees endpoints of a Service that no longer exists.
 * Like upstream, the Endpoints named after the Service go even when a user
 * wrote them for a selector-less Service.
 */
export function serviceEndpointsCascadeHooks(registries: ReadonlyMap<string, GenericRegistry<KubeObject>>): AdmissionHooks {
  const endpoints = registries.get('endpoints');
  const slices = registries.get('endpointslices');
  return {
    onDelete(txn: StoreTransaction, service: KubeObject): void {
      const namespace = service.metadata.namespace ?? '';
      const name = service.metadata.name ?? '';
      const storedEndpoints = endpoints && txn.get(endpoints.key(namespace, name));
      if (endpoints && storedEndpoints) endpoints.deleteIn(txn, storedEndpoints);
      if (!slices) return;
      const candidates = txn.list({ resource: slices.kind.resource, namespace, labelTerms: [{ key: SERVICE_NAME_LABEL, values: [name] }] });
      for (const stored of candidates.items) {
        const slice = slices.decode(stored) as EndpointSlice;
        const owned = (slice.metadata.ownerReferences ?? []).some((ref) => ref.kind === 'Service' && ref.uid === service.metadata.uid);
        if (owned) slices.deleteIn(txn, stored);
      }
    },
  };
}
