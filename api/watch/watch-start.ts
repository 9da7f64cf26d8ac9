/** Where a watch begins, decided from its resourceVersion and sendInitialEvents. */
export type WatchStart =
  /** Synthetic ADDED events for the current state, then every change after it. */
  | { kind: 'initial-state'; initialEventsEndBookmark: boolean }
  /** No initial state: the changes after the current revision. */
  | { kind: 'now' }
  /** Exactly the changes after `revision`, replayed from the event log. */
  | { kind: 'after'; revision: number };

/**
 * Kubernetes watch semantics: sendInitialEvents defaults to true when
 * resourceVersion is unset or "0" and to false otherwise. With
 * sendInitialEvents=true the state sent is the current one, which is never
 * older than a given resourceVersion, and a BOOKMARK annotated
 * `k8s.io/initial-events-end: "true"` marks its end. `resourceVersion` is a
 * decimal string already checked by the query-parameter parser.
 */
export function watchStart(resourceVersion: string | undefined, sendInitialEvents: boolean | undefined): WatchStart {
  const unversioned = resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0';
  if (sendInitialEvents === true) return { kind: 'initial-state', initialEventsEndBookmark: true };
  if (unversioned) return sendInitialEvents === false ? { kind: 'now' } : { kind: 'initial-state', initialEventsEndBookmark: false };
  return { kind: 'after', revision: Number(resourceVersion) };
}
