import { objectKey } from './object-key.js';
import type { KubeObject } from './types.js';

export interface SnapshotDiff<T> {
  added: T[];
  updated: Array<{ previous: T; current: T }>;
  deleted: T[];
}

/**
 * What changed between a cache and a fresh list, as watch events would have
 * told it. An object whose uid changed was deleted and created again while we
 * were not looking, so it shows up as a delete plus an add, never as an update.
 * Objects whose resourceVersion did not move are left out.
 */
export function diffSnapshot<T extends KubeObject>(cache: ReadonlyMap<string, T>, fresh: readonly T[]): SnapshotDiff<T> {
  const diff: SnapshotDiff<T> = { added: [], updated: [], deleted: [] };
  const seen = new Set<string>();
  for (const current of fresh) {
    const key = objectKey(current);
    seen.add(key);
    const previous = cache.get(key);
    if (previous === undefined) {
      diff.added.push(current);
    } else if (previous.metadata.uid !== undefined && previous.metadata.uid !== current.metadata.uid) {
      diff.deleted.push(previous);
      diff.added.push(current);
    } else if (previous.metadata.resourceVersion !== current.metadata.resourceVersion) {
      diff.updated.push({ previous, current });
    }
  }
  for (const [key, previous] of cache) {
    if (!seen.has(key)) diff.deleted.push(previous);
  }
  return diff;
}
