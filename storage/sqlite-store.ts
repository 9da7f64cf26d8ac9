import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCHEMA_SQL } from './sqlite-schema.js';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type Allocation,
  type CompactionPolicy,
  type Encoder,
  type ListQuery,
  type ListResult,
  type ObjectKey,
  type Store,
  type StoreEvent,
  type StoreEventType,
  type StoreTransaction,
  type StoredObject,
  type ValueTransformer,
} from './store.js';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** How long a writer waits for another process's write lock, in ms. */
  busyTimeoutMs?: number;
  /** By resource name: how its values are written to disk and read back (e.g. encrypted). */
  transformers?: ReadonlyMap<string, ValueTransformer>;
}

interface ObjectRow {
  namespace: string;
  name: string;
  revision: number;
  value: string;
}

interface EventRow {
  revision: number;
  type: StoreEventType;
  resource: string;
  namespace: string;
  name: string;
  value: string;
  previous: string | null;
}

interface HistoryRow {
  namespace: string;
  name: string;
  previous: string | null;
  prev_revision: number | null;
}

function compareKeys(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/**
 * SQLite's `synchronous` setting for every store. In WAL mode FULL syncs the
 * WAL at each commit, so a commit is on disk before the write is answered and
 * survives power loss, not only the death of the process (NORMAL syncs only at
 * checkpoints). Group commit keeps that to one sync per group of writes.
 */
export const SQLITE_SYNCHRONOUS = 'FULL';

/**
 * The embedded backend: one SQLite file in WAL mode. Writes take the database
 * write lock (BEGIN IMMEDIATE), so several server processes may share a file and
 * still see one global revision order. Every commit is synced before it returns
 * (see SQLITE_SYNCHRONOUS).
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly listCache = new Map<string, Database.Statement>();
  private readonly txn: StoreTransaction;
  private readonly transformers: ReadonlyMap<string, ValueTransformer>;
  private pending: Array<{ fn: (txn: StoreTransaction) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];

  constructor(options: SqliteStoreOptions) {
    this.transformers = options.transformers ?? new Map();
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${SQLITE_SYNCHRONOUS}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    // The default 2 MiB page cache makes a store of a few tens of thousands of
    // objects read pages back from the file on every write; 64 MiB keeps the
    // indexes and recent rows in memory.
    this.db.pragma('cache_size = -65536');
    this.db.exec(SCHEMA_SQL);
    const db = this.db;
    this.statements = {
      nextRevision: db.prepare<[], { value: number }>("UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value"),
      revision: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'revision'"),
      compacted: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'compacted'"),
      setCompacted: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'compacted'"),
      get: db.prepare<[string, string, string], ObjectRow>('SELECT namespace, name, revision, value FROM objects WHERE resource = ? AND namespace = ? AND name = ?'),
      insert: db.prepare<[string, string, string, number, string]>('INSERT INTO objects (resource, namespace, name, revision, value) VALUES (?, ?, ?, ?, ?)'),
      update: db.prepare<[number, string, string, string, string]>('UPDATE objects SET revision = ?, value = ? WHERE resource = ? AND namespace = ? AND name = ?'),
      remove: db.prepare<[string, string, string]>('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?'),
      removeLabels: db.prepare<[string, string, string]>('DELETE FROM labels WHERE resource = ? AND namespace = ? AND name = ?'),
      insertLabel: db.prepare<[string, string, string, string, string]>('INSERT INTO labels (resource, namespace, name, key, value) VALUES (?, ?, ?, ?, ?)'),
      appendEvent: db.prepare<[number, string, string, string, string, string, string | null, number | null, number]>(
        'INSERT INTO events (revision, type, resource, namespace, name, value, previous, prev_revision, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      eventsAfter: db.prepare<[number, number], EventRow>('SELECT revision, type, resource, namespace, name, value, previous FROM events WHERE revision > ? ORDER BY revision LIMIT ?'),
      resourceEventsAfter: db.prepare<[string, number, number], EventRow>(
        'SELECT revision, type, resource, namespace, name, value, previous FROM events WHERE resource = ? AND revision > ? ORDER BY revision LIMIT ?'),
      historyAll: db.prepare<[string, number], HistoryRow & { revision: number }>(
        'SELECT namespace, name, previous, prev_revision, revision FROM events WHERE resource = ? AND revision > ? ORDER BY revision'),
      eventCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events'),
      nthNewest: db.prepare<[number], { revision: number }>('SELECT revision FROM events ORDER BY revision DESC LIMIT 1 OFFSET ?'),
      newestOlderThan: db.prepare<[number], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE created_at < ?'),
      deleteEventsThrough: db.prepare<[number]>('DELETE FROM events WHERE revision <= ?'),
      allocate: db.prepare<[string, number, string, string, string]>(
        'INSERT OR IGNORE INTO allocations (pool, value, owner_resource, owner_namespace, owner_name) VALUES (?, ?, ?, ?, ?)'),
      allocationOwner: db.prepare<[string, number], { owner_resource: string; owner_namespace: string; owner_name: string }>(
        'SELECT owner_resource, owner_namespace, owner_name FROM allocations WHERE pool = ? AND value = ?'),
      release: db.prepare<[string, number]>('DELETE FROM allocations WHERE pool = ? AND value = ?'),
      allocationsOf: db.prepare<[string, string, string, string], { value: number }>(
        'SELECT value FROM allocations WHERE owner_resource = ? AND owner_namespace = ? AND owner_name = ? AND pool = ? ORDER BY value'),
      // The first value v >= start that is free: either start itself, or one past an allocated value whose successor is free.
      isAllocated: db.prepare<[string, number], { value: number }>('SELECT value FROM allocations WHERE pool = ? AND value = ?'),
      gapAfter: db.prepare<[string, number, number], { value: number }>(
        `SELECT a.value + 1 AS value FROM allocations a
          WHERE a.pool = ? AND a.value >= ? AND a.value < ?
            AND NOT EXISTS (SELECT 1 FROM allocations b WHERE b.pool = a.pool AND b.value = a.value + 1)
          ORDER BY a.value LIMIT 1`),
      allocationCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM allocations WHERE pool = ?'),
      allocations: db.prepare<[string], { value: number; owner_resource: string; owner_namespace: string; owner_name: string }>(
        'SELECT value, owner_resource, owner_namespace, owner_name FROM allocations WHERE pool = ? ORDER BY value'),
    };
    this.txn = this.createTransactionView();
  }

  transaction<T>(fn: (txn: StoreTransaction) => T): T {
    if (this.db.inTransaction) return fn(this.txn);
    return this.db.transaction(() => fn(this.txn)).immediate();
  }

  transactionGrouped<T>(fn: (txn: StoreTransaction) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flushPending());
    });
  }

  private flushPending(): void {
    const batch = this.pending;
    this.pending = [];
    if (!this.db.open) {
      for (const item of batch) item.reject(new Error('the store is closed'));
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a SAVEPOINT: a throw rolls back this item only.
            outcomes.push({ ok: true, value: this.db.transaction(() => item.fn(this.txn))() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  get(key: ObjectKey): StoredObject | undefined {
    const row = this.statements.get.get(key.resource, key.namespace, key.name);
    return row ? { resource: key.resource, ...row, value: this.fromStorage(key.resource, row.namespace, row.name, row.value) } : undefined;
  }

  /** The object's text as written to disk. */
  private toStorage(resource: string, namespace: string, name: string, value: string): string {
    const transformer = this.transformers.get(resource);
    return transformer ? transformer.toStorage(value, { resource, namespace, name }) : value;
  }

  /** The object's text from what is on disk. */
  private fromStorage(resource: string, namespace: string, name: string, stored: string): string {
    const transformer = this.transformers.get(resource);
    return transformer ? transformer.fromStorage(stored, { resource, namespace, name }) : stored;
  }

  private readEvent(row: EventRow): StoreEvent {
    if (!this.transformers.has(row.resource)) return row;
    return {
      ...row,
      value: this.fromStorage(row.resource, row.namespace, row.name, row.value),
      previous: row.previous === null ? null : this.fromStorage(row.resource, row.namespace, row.name, row.previous),
    };
  }

  list(query: ListQuery): ListResult {
    if (this.db.inTransaction) return this.listInSnapshot(query);
    // A deferred read transaction pins one WAL snapshot for all the statements below.
    return this.db.transaction(() => this.listInSnapshot(query))();
  }

  currentRevision(): number {
    return this.statements.revision.get()?.value ?? 0;
  }

  compactedRevision(): number {
    return this.statements.compacted.get()?.value ?? 0;
  }

  eventsAfter(after: number, limit: number, resource?: string): StoreEvent[] {
    return this.db.transaction(() => {
      const compacted = this.compactedRevision();
      if (after < compacted) throw new CompactedError(after, compacted);
      const rows = resource === undefined
        ? this.statements.eventsAfter.all(after, limit)
        : this.statements.resourceEventsAfter.all(resource, after, limit);
      return this.transformers.size === 0 ? rows : rows.map((row) => this.readEvent(row));
    })();
  }

  compact(policy: CompactionPolicy): number {
    return this.transaction(() => {
      let through = this.compactedRevision();
      const byCount = this.statements.nthNewest.get(policy.maxEvents);
      if (byCount) through = Math.max(through, byCount.revision);
      const byAge = this.statements.newestOlderThan.get(Date.now() - policy.maxAgeMs);
      if (byAge?.revision) through = Math.max(through, byAge.revision);
      if (through > this.compactedRevision()) {
        this.statements.deleteEventsThrough.run(through);
        this.statements.setCompacted.run(through);
      }
      return through;
    });
  }

  allocations(pool: string): Allocation[] {
    return this.statements.allocations.all(pool).map((row) => ({
      pool,
      value: row.value,
      owner: { resource: row.owner_resource, namespace: row.owner_namespace, name: row.owner_name },
    }));
  }

  close(): void {
    // Writes already queued for group commit are committed, not dropped.
    if (this.pending.length > 0 && this.db.open) this.flushPending();
    if (this.db.open) this.db.close();
  }

  private listInSnapshot(query: ListQuery): ListResult {
    const revision = this.currentRevision();
    const atRevision = query.atRevision ?? revision;
    if (atRevision < this.compactedRevision()) throw new CompactedError(atRevision, this.compactedRevision());
    const limit = query.limit && query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
    const items: StoredObject[] = [];
    let more = false;

    const transformer = this.transformers.get(query.resource);
    const accept = (stored: StoredObject): boolean => {
      const object = transformer ? { ...stored, value: transformer.fromStorage(stored.value, stored) } : stored;
      if (query.filter && !query.filter(JSON.parse(object.value))) return true;
      if (items.length >= limit) {
        more = true;
        return false;
      }
      items.push(object);
      return true;
    };

    const current = this.currentRows(query, atRevision);
    if (atRevision >= revision) {
      for (const row of current) if (!accept({ resource: query.resource, ...row })) break;
      return { items, revision: atRevision, more };
    }

    // An older snapshot: objects unchanged since atRevision come from the table;
    // objects changed after it are restored from the first later event's `previous`.
    const restored = new Map<string, ObjectRow | null>();
    for (const event of this.statements.historyAll.iterate(query.resource, atRevision)) {
      const id = `${event.namespace}\u0000${event.name}`;
      if (restored.has(id)) continue;
      if (query.namespace !== undefined && event.namespace !== query.namespace) continue;
      if (query.after && compareKeys(event, query.after) <= 0) continue;
      restored.set(id, event.previous === null ? null : {
        namespace: event.namespace, name: event.name, revision: event.prev_revision ?? 0, value: event.previous,
      });
    }
    const historical = [...restored.values()].filter((row): row is ObjectRow => row !== null).sort(compareKeys);
    let h = 0;
    for (const row of current) {
      while (h < historical.length && compareKeys(historical[h]!, row) < 0) {
        if (!accept({ resource: query.resource, ...historical[h]! })) return { items, revision: atRevision, more };
        h++;
      }
      if (!accept({ resource: query.resource, ...row })) return { items, revision: atRevision, more };
    }
    for (; h < historical.length; h++) {
      if (!accept({ resource: query.resource, ...historical[h]! })) break;
    }
    return { items, revision: atRevision, more };
  }

  /** Rows of the objects table unchanged since `atRevision`, in (namespace, name) order, lazily. */
  private currentRows(query: ListQuery, atRevision: number): IterableIterator<ObjectRow> {
    const terms = query.labelTerms ?? [];
    const where: string[] = ['o.resource = ?'];
    let from = 'objects o';
    terms.forEach((_term, i) => {
      const alias = `l${i}`;
      from += ` JOIN labels ${alias} ON ${alias}.resource = o.resource AND ${alias}.namespace = o.namespace AND ${alias}.name = o.name AND ${alias}.key = ?`;
    });
    // Parameters are collected in SQL text order: join keys first, then WHERE values.
    const joinParams: unknown[] = [];
    const whereParams: unknown[] = [query.resource];
    terms.forEach((term, i) => {
      joinParams.push(term.key);
      if (term.values) {
        where.push(`l${i}.value IN (${term.values.map(() => '?').join(', ')})`);
        whereParams.push(...term.values);
      }
    });
    if (query.namespace !== undefined) {
      where.push('o.namespace = ?');
      whereParams.push(query.namespace);
    }
    if (query.after) {
      where.push('(o.namespace, o.name) > (?, ?)');
      whereParams.push(query.after.namespace, query.after.name);
    }
    where.push('o.revision <= ?');
    whereParams.push(atRevision);
    const sql = `SELECT o.namespace, o.name, o.revision, o.value FROM ${from} WHERE ${where.join(' AND ')} ORDER BY o.namespace, o.name`;
    let statement = this.listCache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.listCache.set(sql, statement);
    }
    return statement.iterate(...joinParams, ...whereParams) as IterableIterator<ObjectRow>;
  }

  private createTransactionView(): StoreTransaction {
    const s = this.statements;
    const writeLabels = (key: ObjectKey, labels: Readonly<Record<string, string>>, replacing: boolean): void => {
      if (replacing) s.removeLabels.run(key.resource, key.namespace, key.name);
      for (const [k, v] of Object.entries(labels)) s.insertLabel.run(key.resource, key.namespace, key.name, k, v);
    };
    const nextRevision = (): number => s.nextRevision.get()!.value;
    const now = (): number => Date.now();
    return {
      get: (key) => this.get(key),
      list: (query) => this.listInSnapshot(query),
      create: (key, encode: Encoder) => {
        if (s.get.get(key.resource, key.namespace, key.name)) throw new KeyExistsError(key);
        const revision = nextRevision();
        const { value, labels } = encode(revision);
        const stored = this.toStorage(key.resource, key.namespace, key.name, value);
        s.insert.run(key.resource, key.namespace, key.name, revision, stored);
        writeLabels(key, labels, false);
        s.appendEvent.run(revision, 'ADDED', key.resource, key.namespace, key.name, stored, null, null, now());
        return { ...key, revision, value };
      },
      update: (key, encode: Encoder, expectedRevision?: number) => {
        const existing = s.get.get(key.resource, key.namespace, key.name);
        if (!existing) throw new KeyNotFoundError(key);
        if (expectedRevision !== undefined && existing.revision !== expectedRevision) {
          throw new RevisionMismatchError(key, expectedRevision, existing.revision);
        }
        const revision = nextRevision();
        const { value, labels } = encode(revision);
        const stored = this.toStorage(key.resource, key.namespace, key.name, value);
        s.update.run(revision, stored, key.resource, key.namespace, key.name);
        writeLabels(key, labels, true);
        // existing.value is the stored (already transformed) text.
        s.appendEvent.run(revision, 'MODIFIED', key.resource, key.namespace, key.name, stored, existing.value, existing.revision, now());
        return { ...key, revision, value };
      },
      delete: (key, encodeLast: Encoder, expectedRevision?: number) => {
        const existing = s.get.get(key.resource, key.namespace, key.name);
        if (!existing) throw new KeyNotFoundError(key);
        if (expectedRevision !== undefined && existing.revision !== expectedRevision) {
          throw new RevisionMismatchError(key, expectedRevision, existing.revision);
        }
        const revision = nextRevision();
        const { value } = encodeLast(revision);
        s.remove.run(key.resource, key.namespace, key.name);
        s.removeLabels.run(key.resource, key.namespace, key.name);
        s.appendEvent.run(revision, 'DELETED', key.resource, key.namespace, key.name, this.toStorage(key.resource, key.namespace, key.name, value), existing.value, existing.revision, now());
        return { ...key, revision, value };
      },
      allocate: (pool, value, owner) => {
        const inserted = s.allocate.run(pool, value, owner.resource, owner.namespace, owner.name).changes === 1;
        if (inserted) return true;
        const holder = s.allocationOwner.get(pool, value);
        return !!holder && holder.owner_resource === owner.resource && holder.owner_namespace === owner.namespace && holder.owner_name === owner.name;
      },
      release: (pool, value) => {
        s.release.run(pool, value);
      },
      allocationsOf: (pool, owner) => s.allocationsOf.all(owner.resource, owner.namespace, owner.name, pool).map((r) => r.value),
      firstFree: (pool, from, to, start) => {
        const scan = (lo: number, hi: number): number | undefined => {
          if (lo > hi) return undefined;
          if (!s.isAllocated.get(pool, lo)) return lo;
          const gap = s.gapAfter.get(pool, lo, hi);
          return gap && gap.value <= hi ? gap.value : undefined;
        };
        const begin = Math.min(Math.max(start, from), to);
        return scan(begin, to) ?? scan(from, begin - 1);
      },
      allocationCount: (pool) => s.allocationCount.get(pool)?.n ?? 0,
    };
  }
}
