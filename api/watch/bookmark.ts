import { frameEvent } from './watch-frame.js';

/** The annotation that ends the initial events of a sendInitialEvents=true watch. */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/**
 * A framed BOOKMARK event: an object of the watched kind holding only kind,
 * apiVersion and metadata.resourceVersion (plus the initial-events-end
 * annotation when it closes the initial state). A client resumes from its
 * resourceVersion.
 */
export function bookmarkFrame(kind: string, apiVersion: string, revision: number, initialEventsEnd = false): Buffer {
  const metadata: { resourceVersion: string; annotations?: Record<string, string> } = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END_ANNOTATION]: 'true' };
  return frameEvent('BOOKMARK', JSON.stringify({ kind, apiVersion, metadata }));
}
