// Graceful deletion (apiserver pkg/registry/rest/delete.go BeforeDelete): a
// kind whose strategy asks for it is not removed at once but marked with
// deletionTimestamp (now + grace) and deletionGracePeriodSeconds, so whoever
// runs it (the kubelet, for a Pod) can stop it and then delete it with grace
// period 0. A second delete of a terminating object may only shorten the
// grace period; a grace period of 0 removes the object at once.

import type { ObjectMeta } from '../schemas/meta.js';

export type GracefulDecision =
  | { action: 'delete' }
  /** Already terminating and the request does not shorten it: answer with the object as it is. */
  | { action: 'keep' }
  | { action: 'mark'; graceSeconds: number };

/**
 * `strategyGrace` is what the kind's strategy chose for a first delete
 * (undefined: the kind is never deleted gracefully).
 */
export function decideGracefulDeletion(meta: ObjectMeta, requested: number | undefined, strategyGrace: (requested: number | undefined) => number | undefined): GracefulDecision {
  // Negative values count as 1 s on the delete path, as upstream treats them.
  const asked = requested !== undefined && requested < 0 ? 1 : requested;
  if (meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null) {
    const current = meta.deletionGracePeriodSeconds ?? 0;
    if (asked === undefined || asked >= current) return { action: 'keep' };
    return asked === 0 ? { action: 'delete' } : { action: 'mark', graceSeconds: asked };
  }
  const grace = strategyGrace(asked);
  if (grace === undefined || grace <= 0) return { action: 'delete' };
  return { action: 'mark', graceSeconds: grace };
}
