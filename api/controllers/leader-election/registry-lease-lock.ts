import { NotFoundError } from '../../errors.js';
import type { GenericRegistry } from '../../resources/generic-registry.js';
import type { Lease } from '../../schemas/lease.js';
import type { LeaseLock } from './leader-elector.js';

/** The leader Lease through the server's own registry: the same validation and optimistic concurrency as any client write. */
export function registryLeaseLock(registry: GenericRegistry<Lease>, namespace: string, name: string): LeaseLock {
  return {
    async get() {
      try {
        return registry.get(namespace, name);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async create(lease) {
      return registry.create(namespace, { ...lease, metadata: { ...lease.metadata, name, namespace } });
    },
    async update(lease) {
      // The body carries the resourceVersion read, so a concurrent write makes this a 409.
      return registry.update(namespace, name, lease).object;
    },
    describe: () => `${namespace}/${name}`,
  };
}
