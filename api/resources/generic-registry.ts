import { BadRequestError, ConflictError, GoneError, InvalidError, NotFoundError, AlreadyExistsError, ApiError } from '../errors.js';
import type { FieldSelector } from '../labels/field-selector.js';
import type { LabelSelector } from '../labels/label-selector.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type ObjectKey,
  type Store,
  type StoreTransaction,
  type StoredObject,
} from '../../storage/store.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { decideGracefulDeletion } from './graceful-deletion.js';
import { generateName, newUid, timestamp } from './object-meta-defaults.js';
import { omitEmptyPruner, type OmitEmptyPruner } from './omitempty.js';
import { apiVersionOf, type ResourceKind } from './resource-kind.js';
import type { KubeObject } from './strategy.js';
import type { AdmissionHooks } from '../admission/admission-hooks.js';

export interface ListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continueToken?: string;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  /** From the query or the DeleteOptions body; only kinds deleted gracefully heed it. */
  gracePeriodSeconds?: number;
}

/** Thrown inside a transaction to roll a dry run back while keeping its result. */
class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * `binding` is the write of the pods/binding subresource: like upstream's
 * BindingREST (a storage-level GuaranteedUpdate) it stores the caller's
 * mutation without the update strategy, which forbids changing spec.nodeName.
 */
export type WriteMode = 'main' | 'status' | 'binding';

/** A write, prepared outside the transaction (decoding, defaults, validation), to run inside one. */
type WritePlan<R> = (txn: StoreTransaction) => R;

/**
 * The Kubernetes generic registry ("store") for one kind: metadata handling,
 * strategies, optimistic concurrency and admission hooks, each write in one
 * storage transaction.
 */
export class GenericRegistry<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  private readonly pruneEmpty: OmitEmptyPruner | undefined;

  constructor(
    readonly kind: ResourceKind<T>,
    private readonly store: Store,
    private readonly hooks: AdmissionHooks<T> = {},
  ) {
    this.apiVersion = apiVersionOf(kind);
    this.pruneEmpty = omitEmptyPruner(kind.kind);
  }

  /** `pods`, or `endpointslices.discovery.k8s.io`: how Kubernetes names a resource in messages. */
  get qualifiedResource(): string {
    return this.kind.group ? `${this.kind.resource}.${this.kind.group}` : this.kind.resource;
  }

  key(namespace: string, name: string): ObjectKey {
    return { resource: this.kind.resource, namespace: this.kind.namespaced ? namespace : '', name };
  }

  decode(stored: StoredObject): T {
    return JSON.parse(stored.value) as T;
  }

  get(namespace: string, name: string): T {
    const stored = this.store.get(this.key(namespace, name));
    if (!stored) throw this.notFound(name);
    return this.decode(stored);
  }

  exists(namespace: string, name: string): boolean {
    return this.store.get(this.key(namespace, name)) !== undefined;
  }

  list(namespace: string | undefined, options: ListOptions = {}): ObjectList<T> {
    let after: { namespace: string; name: string } | undefined;
    let atRevision: number | undefined;
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken);
      after = { namespace: token.namespace, name: token.name };
      atRevision = token.revision;
    }
    const label = options.labelSelector && !options.labelSelector.isEmpty() ? options.labelSelector : undefined;
    const field = options.fieldSelector && !options.fieldSelector.isEmpty() ? options.fieldSelector : undefined;
    const exactName = field?.exactValue('metadata.name');
    const exactNamespace = field?.exactValue('metadata.namespace');
    const ns = this.kind.namespaced ? namespace ?? exactNamespace : undefined;
    const filter = label || field
      ? (value: unknown): boolean => this.matches(value as T, label, field)
      : undefined;
    try {
      if (exactName !== undefined && !after && ns !== undefined) {
        // metadata.name=x is how kubectl waits for one object: a direct lookup, not a scan.
        const revision = this.store.currentRevision();
        const stored = this.store.get(this.key(ns, exactName));
        const item = stored ? this.decode(stored) : undefined;
        return { items: item && (!filter || filter(item)) ? [item] : [], resourceVersion: String(revision) };
      }
      const result = this.store.list({
        resource: this.kind.resource,
        namespace: ns,
        labelTerms: label?.indexTerms(),
        after,
        atRevision,
        filter,
        limit: options.limit,
      });
      const items = result.items.map((stored) => this.decode(stored));
      const last = result.items[result.items.length - 1];
      return {
        items,
        resourceVersion: String(result.revision),
        continueToken: result.more && last ? encodeContinue({ revision: result.revision, namespace: last.namespace, name: last.name }) : undefined,
      };
    } catch (error) {
      if (error instanceof CompactedError) {
        throw new GoneError(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          'Expired',
        );
      }
      throw error;
    }
  }

  matches(object: T, label: LabelSelector | undefined, field: FieldSelector | undefined): boolean {
    if (label && !label.matches(object.metadata?.labels)) return false;
    if (field && !field.matches((path) => this.fieldValue(object, path))) return false;
    return true;
  }

  fieldValue(object: T, path: string): string | undefined {
    if (path === 'metadata.name') return object.metadata?.name;
    if (path === 'metadata.namespace') return object.metadata?.namespace ?? '';
    return this.kind.fieldSelectors[path]?.(object);
  }

  /** The field paths a field selector may name for this kind. */
  get supportedFields(): string[] {
    return ['metadata.name', 'metadata.namespace', ...Object.keys(this.kind.fieldSelectors)];
  }

  create(namespace: string, body: unknown, options: WriteOptions = {}): T {
    return this.write(options, this.planCreate(namespace, body));
  }

  private planCreate(namespace: string, body: unknown): WritePlan<T> {
    const object = this.admitNew(namespace, body);
    return (txn) => this.createIn(txn, object);
  }

  /** Creates inside an existing transaction (controllers use this). */
  createIn(txn: StoreTransaction, object: T): T {
    const meta = object.metadata;
    if (this.kind.namespaced) {
      const ns = meta.namespace ?? '';
      if (!txn.get({ resource: 'namespaces', namespace: '', name: ns })) {
        throw new NotFoundError(`namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
      }
    }
    this.hooks.onCreate?.(txn, object);
    const key = this.key(meta.namespace ?? '', meta.name ?? '');
    try {
      const stored = txn.create(key, (revision) => this.encode(object, revision));
      return this.decode(stored);
    } catch (error) {
      if (error instanceof KeyExistsError) throw AlreadyExistsError.forObject(this.kind.resource, key.name, this.kind.group);
      throw error;
    }
  }

  /** PUT: the whole object (main resource or status subresource). */
  update(namespace: string, name: string, body: unknown, mode: WriteMode = 'main', options: WriteOptions = {}): { object: T; created: boolean } {
    return this.write(options, this.planUpdate(namespace, name, body, mode));
  }

  private planUpdate(namespace: string, name: string, body: unknown, mode: WriteMode): WritePlan<{ object: T; created: boolean }> {
    const incoming = this.checkBody(body, namespace, name);
    return (txn) => {
      const key = this.key(namespace, name);
      const current = txn.get(key);
      if (!current) {
        if (this.kind.allowCreateOnUpdate && mode === 'main') {
          const object = this.admitNew(namespace, incoming);
          return { object: this.createIn(txn, object), created: true };
        }
        throw this.notFound(name);
      }
      const requested = incoming.metadata.resourceVersion;
      if (requested && requested !== String(current.revision)) {
        throw ConflictError.staleResourceVersion(this.kind.resource, name, this.kind.group);
      }
      return { object: this.updateIn(txn, current, incoming, mode), created: false };
    };
  }

  /**
   * Replaces `current` with `incoming` inside a transaction, applying the
   * strategy. Takes ownership of `incoming` (every caller passes the fresh copy
   * checkBody made), so it is not cloned again on this hot path.
   */
  updateIn(txn: StoreTransaction, current: StoredObject, incoming: T, mode: WriteMode): T {
    const old = this.decode(current);
    const next = incoming;
    next.apiVersion = this.apiVersion;
    next.kind = this.kind.kind;
    const meta = next.metadata;
    // Identity and system metadata are the server's, whatever the body says.
    meta.name = old.metadata.name;
    if (this.kind.namespaced) meta.namespace = old.metadata.namespace;
    else delete meta.namespace;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) meta.deletionTimestamp = old.metadata.deletionTimestamp;
    const strategy = this.kind.strategy;
    if (mode === 'status') {
      if (!strategy.prepareForStatusUpdate) throw new NotFoundError('the server could not find the requested resource');
      strategy.prepareForStatusUpdate(next, old);
    } else if (mode === 'main') {
      strategy.prepareForUpdate(next, old);
    }
    strategy.applyDefaults(next);
    meta.generation = (old.metadata.generation ?? 1) + (mode === 'main' && strategy.specChanged(next, old) ? 1 : 0);
    const errors = validateObjectMetaUpdate(next.metadata, old.metadata);
    errors.addAll(validateObjectMeta(next.metadata, { namespaced: this.kind.namespaced, nameRule: this.kind.nameRule }));
    if (mode === 'status') {
      if (strategy.validateStatusUpdate) errors.addAll(strategy.validateStatusUpdate(next, old));
    } else if (mode === 'main') {
      errors.addAll(strategy.validateUpdate(next, old));
    }
    if (!errors.empty) throw new InvalidError(this.kind.kind, meta.name ?? '', errors.causes, this.kind.group);
    if (JSON.stringify(this.withoutVersion(next)) === JSON.stringify(this.withoutVersion(old))) {
      // A no-op write keeps its resourceVersion and makes no event, as in Kubernetes.
      return old;
    }
    this.hooks.onUpdate?.(txn, next, old);
    try {
      const stored = txn.update(this.key(old.metadata.namespace ?? '', old.metadata.name ?? ''), (revision) => this.encode(next, revision), current.revision);
      return this.decode(stored);
    } catch (error) {
      if (error instanceof RevisionMismatchError) throw ConflictError.staleResourceVersion(this.kind.resource, meta.name ?? '', this.kind.group);
      throw error;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency: `mutate` builds the new
   * object from the current one. Used by PATCH and by controllers.
   */
  modify(namespace: string, name: string, mutate: (current: T) => T, mode: WriteMode = 'main', options: WriteOptions = {}): T {
    return this.write(options, this.planModify(namespace, name, mutate, mode));
  }

  private planModify(namespace: string, name: string, mutate: (current: T) => T, mode: WriteMode): WritePlan<T> {
    return (txn) => {
      const current = txn.get(this.key(namespace, name));
      if (!current) throw this.notFound(name);
      const next = mutate(this.decode(current));
      const requested = next.metadata?.resourceVersion;
      if (requested && requested !== String(current.revision)) {
        throw ConflictError.staleResourceVersion(this.kind.resource, name, this.kind.group);
      }
      return this.updateIn(txn, current, this.checkBody(next, namespace, name), mode);
    };
  }

  delete(namespace: string, name: string, options: DeleteOptions = {}): T {
    return this.write(options, this.planDelete(namespace, name, options));
  }

  private planDelete(namespace: string, name: string, options: DeleteOptions): WritePlan<T> {
    return (txn) => {
      const current = txn.get(this.key(namespace, name));
      if (!current) throw this.notFound(name);
      const old = this.decode(current);
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== old.metadata.uid) {
        throw new ConflictError(
          `Operation cannot be fulfilled on ${this.qualifiedResource} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
          { name, kind: this.kind.resource });
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(current.revision)) {
        throw new ConflictError(
          `Operation cannot be fulfilled on ${this.qualifiedResource} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${current.revision}`,
          { name, kind: this.kind.resource });
      }
      const strategy = this.kind.strategy;
      const decision = decideGracefulDeletion(old.metadata, options.gracePeriodSeconds, (requested) => strategy.gracefulDeleteSeconds?.(old, requested));
      if (decision.action === 'keep') return old;
      if (decision.action === 'mark') return this.markForDeletion(txn, current, old, decision.graceSeconds);
      return this.deleteIn(txn, current);
    };
  }

  /** The first step of a graceful delete: the object stays, marked with when it is to be gone. */
  private markForDeletion(txn: StoreTransaction, current: StoredObject, old: T, graceSeconds: number): T {
    const next = structuredClone(old);
    next.metadata.deletionTimestamp = timestamp(new Date(Date.now() + graceSeconds * 1000));
    next.metadata.deletionGracePeriodSeconds = graceSeconds;
    next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    this.hooks.onUpdate?.(txn, next, old);
    try {
      const stored = txn.update(this.key(old.metadata.namespace ?? '', old.metadata.name ?? ''), (revision) => this.encode(next, revision), current.revision);
      return this.decode(stored);
    } catch (error) {
      if (error instanceof RevisionMismatchError) throw ConflictError.staleResourceVersion(this.kind.resource, old.metadata.name ?? '', this.kind.group);
      throw error;
    }
  }

  deleteIn(txn: StoreTransaction, current: StoredObject): T {
    const old = this.decode(current);
    this.hooks.onDelete?.(txn, old);
    try {
      const stored = txn.delete(current, (revision) => this.encode(old, revision));
      return this.decode(stored);
    } catch (error) {
      if (error instanceof KeyNotFoundError) throw this.notFound(current.name);
      throw error;
    }
  }

  deleteCollection(namespace: string | undefined, options: ListOptions & WriteOptions = {}): ObjectList<T> {
    return this.write(options, this.planDeleteCollection(namespace, options));
  }

  private planDeleteCollection(namespace: string | undefined, options: ListOptions): WritePlan<ObjectList<T>> {
    return (txn) => {
      const label = options.labelSelector && !options.labelSelector.isEmpty() ? options.labelSelector : undefined;
      const field = options.fieldSelector && !options.fieldSelector.isEmpty() ? options.fieldSelector : undefined;
      const result = txn.list({
        resource: this.kind.resource,
        namespace: this.kind.namespaced ? namespace : undefined,
        labelTerms: label?.indexTerms(),
        filter: label || field ? (value) => this.matches(value as T, label, field) : undefined,
      });
      const items = result.items.map((stored) => this.deleteIn(txn, stored));
      return { items, resourceVersion: String(txn.list({ resource: this.kind.resource, limit: 1 }).revision) };
    };
  }

  /** Checks a create body and fills in server-owned metadata. */
  private admitNew(namespace: string, body: unknown): T {
    const object = this.checkBody(body, namespace, undefined);
    const meta = object.metadata;
    if (meta.resourceVersion) throw new BadRequestError('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    if (this.kind.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    meta.uid = newUid();
    meta.creationTimestamp = timestamp();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    const strategy = this.kind.strategy;
    strategy.prepareForCreate(object);
    strategy.applyDefaults(object);
    const errors = validateObjectMeta(meta, { namespaced: this.kind.namespaced, nameRule: this.kind.nameRule });
    errors.addAll(strategy.validate(object));
    if (!errors.empty) throw new InvalidError(this.kind.kind, meta.name ?? meta.generateName ?? '', errors.causes, this.kind.group);
    return object;
  }

  /** The checks every body gets: an object of this kind, naming the URL's namespace and name. */
  private checkBody(body: unknown, namespace: string, name: string | undefined): T {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestError(`the body of the request was in an unknown format - expected a ${this.kind.kind} object`);
    }
    const object = structuredClone(body) as T;
    const apiVersion = object.apiVersion;
    if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== this.apiVersion) {
      throw new BadRequestError(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${this.apiVersion})`);
    }
    if (object.kind !== undefined && object.kind !== '' && object.kind !== this.kind.kind) {
      throw new BadRequestError(`${String(object.kind)} in version "${this.kind.version}" cannot be handled as a ${this.kind.kind}: the kind in the body does not match ${this.kind.kind}`);
    }
    object.apiVersion = this.apiVersion;
    object.kind = this.kind.kind;
    if (object.metadata === undefined || object.metadata === null) object.metadata = {};
    if (typeof object.metadata !== 'object' || Array.isArray(object.metadata)) {
      throw new BadRequestError(`${this.kind.kind} in version "${this.kind.version}" cannot be handled as a ${this.kind.kind}: metadata must be an object`);
    }
    const meta = object.metadata;
    if (this.kind.namespaced && meta.namespace && meta.namespace !== namespace) {
      throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (name !== undefined && meta.name && meta.name !== name) {
      throw new BadRequestError(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    // Where upstream decodes into Go structs: an empty omitempty field is no field,
    // for defaulting and validation as much as for what is stored and served.
    this.pruneEmpty?.(object as Record<string, unknown>);
    if (name !== undefined && !meta.name) meta.name = name;
    // kubectl expose sends creationTimestamp: null; the server owns the field.
    if (meta.creationTimestamp === null) delete meta.creationTimestamp;
    return object;
  }

  private encode(object: T, revision: number): { value: string; labels: Record<string, string> } {
    const { apiVersion, kind, metadata, ...rest } = object;
    const ordered = { apiVersion, kind, metadata: { ...metadata, resourceVersion: String(revision) }, ...rest };
    return { value: JSON.stringify(ordered), labels: metadata.labels ?? {} };
  }

  private withoutVersion(object: T): unknown {
    return { ...object, metadata: { ...object.metadata, resourceVersion: undefined } };
  }

  /**
   * The same writes with group commit: each runs in its own savepoint inside a
   * transaction shared with the other writes queued in the same tick, and
   * resolves once that transaction has committed. This is what the HTTP layer
   * uses; one commit per batch instead of per request is most of the cost of a
   * write (see bench/api-bench.ts).
   */
  readonly grouped = {
    create: (namespace: string, body: unknown, options: WriteOptions = {}): Promise<T> =>
      this.writeGrouped(options, () => this.planCreate(namespace, body)),
    update: (namespace: string, name: string, body: unknown, mode: WriteMode = 'main', options: WriteOptions = {}): Promise<{ object: T; created: boolean }> =>
      this.writeGrouped(options, () => this.planUpdate(namespace, name, body, mode)),
    modify: (namespace: string, name: string, mutate: (current: T) => T, mode: WriteMode = 'main', options: WriteOptions = {}): Promise<T> =>
      this.writeGrouped(options, () => this.planModify(namespace, name, mutate, mode)),
    delete: (namespace: string, name: string, options: DeleteOptions = {}): Promise<T> =>
      this.writeGrouped(options, () => this.planDelete(namespace, name, options)),
    deleteCollection: (namespace: string | undefined, options: ListOptions & WriteOptions = {}): Promise<ObjectList<T>> =>
      this.writeGrouped(options, () => this.planDeleteCollection(namespace, options)),
  };

  private async writeGrouped<R>(options: WriteOptions, plan: () => WritePlan<R>): Promise<R> {
    const fn = plan();
    if (!options.dryRun) return this.store.transactionGrouped(fn);
    try {
      await this.store.transactionGrouped((txn) => {
        throw new DryRunRollback(fn(txn));
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result as R;
      throw error;
    }
    throw new Error('unreachable: dry run transaction returned');
  }

  private write<R>(options: WriteOptions, fn: (txn: StoreTransaction) => R): R {
    if (!options.dryRun) return this.store.transaction(fn);
    try {
      this.store.transaction((txn) => {
        throw new DryRunRollback(fn(txn));
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result as R;
      throw error;
    }
    throw new Error('unreachable: dry run transaction returned');
  }

  notFound(name: string): NotFoundError {
    return NotFoundError.forObject(this.kind.resource, name, this.kind.group);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
