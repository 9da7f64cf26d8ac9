import type { StoreEventType } from '../../storage/store.js';

/**
 * The event a filtered watcher is sent for a change, by Kubernetes' cacher
 * rules: an object that starts matching arrives as ADDED, one that stops
 * matching as DELETED (its previous state, see HubEvent.objectAs), one that
 * matches before and after as MODIFIED; a change that never matched is not
 * sent. `matchedBefore` is judged on the previous state (on the last state
 * for a deletion), `matchesNow` on the new one; a deletion never matches now.
 */
export function transitionFor(type: StoreEventType, matchedBefore: boolean, matchesNow: boolean): StoreEventType | undefined {
  const now = type !== 'DELETED' && matchesNow;
  const before = type !== 'ADDED' && matchedBefore;
  if (now) return before ? 'MODIFIED' : 'ADDED';
  return before ? 'DELETED' : undefined;
}
