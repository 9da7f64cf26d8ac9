// The storage contract. It knows objects only as (resource, namespace, name)
// keys with a JSON value, one global revision, an event log and a label index.
// Nothing here knows what a Pod or a Service is, so another backend (PostgreSQL,
// etcd) can sit behind the same interface.

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ObjectKey {
  resource: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export interface StoredObject extends ObjectKey {
  /** The revision of the write that produced this value (its resourceVersion). */
  revision: number;
  /** JSON text of the object. */
  value: string;
}

export interface StoreEvent extends ObjectKey {
  revision: number;
  type: StoreEventType;
  /** JSON text after the change; for DELETED the last state, carrying the deletion's revision. */
  value: string;
  /** JSON text before the change; null for ADDED. Needed to send selector transitions. */
  previous: string | null;
}

/** What a write produces: the encoded object, and the labels the index should hold for it. */
export interface EncodedObject {
  value: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * Writers hand the store an encoder rather than a finished value because the
 * object's resourceVersion is the revision the store assigns inside the write.
 */
export type Encoder = (revision: number) => EncodedObject;

/** A positive index term: key present, and when values is given, with one of them. */
export interface LabelIndexTerm {
  key: string;
  values?: readonly string[];
}

export interface ListQuery {
  resource: string;
  /** undefined: every namespace. */
  namespace?: string;
  /** Narrow candidates through the label index (AND of terms). Callers still filter exactly. */
  labelTerms?: readonly LabelIndexTerm[];
  /** Exclusive (namespace, name) start for paging, in list order. */
  after?: { namespace: string; name: string };
  /** Read the state as of this revision (paging). Must not be older than the compacted revision. */
  atRevision?: number;
  /** Exact filter on decoded objects, applied before `limit`. */
  filter?: (value: unknown) => boolean;
  limit?: number;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision the list reflects. */
  revision: number;
  /** True when more items exist after the last returned one. */
  more: boolean;
}

export interface Allocation {
  pool: string;
  value: number;
  owner: ObjectKey;
}

/** Operations inside one write transaction. All-or-nothing; throws abort it. */
export interface StoreTransaction {
  get(key: ObjectKey): StoredObject | undefined;
  list(query: ListQuery): ListResult;
  /** Throws KeyExistsError when the key is taken. */
  create(key: ObjectKey, encode: Encoder): StoredObject;
  /** Throws KeyNotFoundError, or RevisionMismatchError when expectedRevision differs. */
  update(key: ObjectKey, encode: Encoder, expectedRevision?: number): StoredObject;
  /** Throws KeyNotFoundError, or RevisionMismatchError. The deletion is logged with `encodeLast`. */
  delete(key: ObjectKey, encodeLast: Encoder, expectedRevision?: number): StoredObject;

  /** Claims `value` in `pool` for `owner`; false when someone else holds it. Idempotent for the same owner. */
  allocate(pool: string, value: number, owner: ObjectKey): boolean;
  release(pool: string, value: number): void;
  /** Every value `owner` holds in `pool`. */
  allocationsOf(pool: string, owner: ObjectKey): number[];
  /** Smallest free value in [from, to], scanning upward from `start` and wrapping; undefined when full. */
  firstFree(pool: string, from: number, to: number, start: number): number | undefined;
  allocationCount(pool: string): number;
}

/**
 * Turns an object's JSON text into what is written to disk and back, for the
 * resources it is configured for (encryption at rest). Applied to every copy
 * the store keeps: current values and the event log alike. `key` is the
 * object's key, so an implementation can bind a stored value to it.
 */
export interface ValueTransformer {
  toStorage(value: string, key: ObjectKey): string;
  fromStorage(stored: string, key: ObjectKey): string;
}

export interface CompactionPolicy {
  /** Keep at most this many events. */
  maxEvents: number;
  /** Drop events older than this, in milliseconds. */
  maxAgeMs: number;
}

export interface Store {
  /** Runs `fn` as one write transaction holding the database write lock. */
  transaction<T>(fn: (txn: StoreTransaction) => T): T;
  /**
   * Group commit: queues `fn`; all calls queued in the same tick run in one
   * transaction, each in its own savepoint (a throw undoes only that call's
   * writes and rejects only its promise), and every promise settles after the
   * shared commit.
   */
  transactionGrouped<T>(fn: (txn: StoreTransaction) => T): Promise<T>;
  get(key: ObjectKey): StoredObject | undefined;
  list(query: ListQuery): ListResult;
  currentRevision(): number;
  /** The oldest revision a watch or page may still start from (events after it are all retained). */
  compactedRevision(): number;
  /**
   * Events with revision > after (of one resource when given), in order, at most `limit`.
   * Throws CompactedError when `after` is older than the retained window.
   */
  eventsAfter(after: number, limit: number, resource?: string): StoreEvent[];
  compact(policy: CompactionPolicy): number;
  /** Every allocation in a pool, for repair passes. */
  allocations(pool: string): Allocation[];
  close(): void;
}

export class StoreError extends Error {}

export class KeyExistsError extends StoreError {
  constructor(readonly key: ObjectKey) {
    super(`key exists: ${key.resource}/${key.namespace}/${key.name}`);
  }
}

export class KeyNotFoundError extends StoreError {
  constructor(readonly key: ObjectKey) {
    super(`key not found: ${key.resource}/${key.namespace}/${key.name}`);
  }
}

export class RevisionMismatchError extends StoreError {
  constructor(readonly key: ObjectKey, readonly expected: number, readonly actual: number) {
    super(`revision mismatch on ${key.resource}/${key.namespace}/${key.name}: expected ${expected}, found ${actual}`);
  }
}

export class CompactedError extends StoreError {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`revision ${requested} is compacted (oldest available ${compacted})`);
  }
}
