import type { ObjectList } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';

/**
 * meta.k8s.io/v1 Table output, what kubectl asks for when it prints objects
 * for people. Implemented in api/tables/.
 */
export interface TableRenderer {
  supports(resource: string): boolean;
  /** A full Table (JSON text) for a list or a single object. */
  renderList(resource: string, list: Pick<ObjectList<KubeObject>, 'items' | 'resourceVersion' | 'continueToken'>, includeObject: string | undefined): string;
  /** A one-row Table (JSON text) for a watch event. */
  renderEvent(resource: string, object: unknown, includeObject: string | undefined): string;
}
