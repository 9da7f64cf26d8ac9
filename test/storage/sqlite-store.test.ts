import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../storage/sqlite-store.js';
import { CompactedError, KeyExistsError, KeyNotFoundError, RevisionMismatchError, type ObjectKey } from '../../storage/store.js';

const key = (name: string, namespace = 'default', resource = 'pods'): ObjectKey => ({ resource, namespace, name });
const encode = (labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) => (revision: number) => ({
  value: JSON.stringify({ rv: revision, labels, ...extra }),
  labels,
});

describe('SqliteStore', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-store-'));
    store = new SqliteStore({ path: join(dir, 'nested', 'store.db') });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('advances one global revision with every write and hands it to the encoder', () => {
    const a = store.transaction((t) => t.create(key('a'), encode()));
    const b = store.transaction((t) => t.create(key('b', 'other', 'services'), encode()));
    const a2 = store.transaction((t) => t.update(key('a'), encode({ x: '1' })));
    assert.deepEqual([a.revision, b.revision, a2.revision], [1, 2, 3]);
    assert.equal(JSON.parse(a2.value).rv, 3);
    assert.equal(store.currentRevision(), 3);
  });

  it('rejects a duplicate create, a missing update and a stale expected revision', () => {
    store.transaction((t) => t.create(key('a'), encode()));
    assert.throws(() => store.transaction((t) => t.create(key('a'), encode())), KeyExistsError);
    assert.throws(() => store.transaction((t) => t.update(key('missing'), encode())), KeyNotFoundError);
    assert.throws(() => store.transaction((t) => t.update(key('a'), encode(), 99)), RevisionMismatchError);
    assert.throws(() => store.transaction((t) => t.delete(key('missing'), encode())), KeyNotFoundError);
  });

  it('rolls back every write of a failed transaction, revision included', () => {
    assert.throws(() => store.transaction((t) => {
      t.create(key('a'), encode());
      t.create(key('a'), encode());
    }), KeyExistsError);
    assert.equal(store.get(key('a')), undefined);
    assert.equal(store.currentRevision(), 0);
    assert.deepEqual(store.eventsAfter(0, 10), []);
  });

  it('logs ADDED, MODIFIED and DELETED with the previous value', () => {
    store.transaction((t) => t.create(key('a'), encode({ app: 'x' })));
    store.transaction((t) => t.update(key('a'), encode({ app: 'y' })));
    store.transaction((t) => t.delete(key('a'), encode({ app: 'y' }, { last: true })));
    const events = store.eventsAfter(0, 10);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(events[0]!.previous, null);
    assert.equal(JSON.parse(events[1]!.previous!).labels.app, 'x');
    assert.equal(JSON.parse(events[2]!.value).rv, 3);
    assert.deepEqual(store.eventsAfter(1, 10).map((e) => e.revision), [2, 3]);
    assert.deepEqual(store.eventsAfter(0, 10, 'services'), []);
  });

  it('narrows lists through the label index and keeps (namespace, name) order', () => {
    store.transaction((t) => {
      t.create(key('c', 'ns1'), encode({ app: 'web', tier: 'fe' }));
      t.create(key('a', 'ns2'), encode({ app: 'web' }));
      t.create(key('b', 'ns1'), encode({ app: 'db' }));
      t.create(key('d', 'ns1'), encode({ tier: 'fe' }));
    });
    const names = (q: Parameters<SqliteStore['list']>[0]) => store.list(q).items.map((i) => `${i.namespace}/${i.name}`);
    assert.deepEqual(names({ resource: 'pods', labelTerms: [{ key: 'app', values: ['web'] }] }), ['ns1/c', 'ns2/a']);
    assert.deepEqual(names({ resource: 'pods', labelTerms: [{ key: 'app', values: ['web', 'db'] }], namespace: 'ns1' }), ['ns1/b', 'ns1/c']);
    assert.deepEqual(names({ resource: 'pods', labelTerms: [{ key: 'tier' }, { key: 'app', values: ['web'] }] }), ['ns1/c']);
    assert.deepEqual(names({ resource: 'pods' }), ['ns1/b', 'ns1/c', 'ns1/d', 'ns2/a']);
  });

  it('pages at one revision even while objects change between pages', () => {
    store.transaction((t) => {
      for (const name of ['a', 'b', 'c', 'd']) t.create(key(name), encode());
    });
    const first = store.list({ resource: 'pods', limit: 2 });
    assert.deepEqual(first.items.map((i) => i.name), ['a', 'b']);
    assert.equal(first.more, true);
    store.transaction((t) => {
      t.delete(key('c'), encode());
      t.create(key('bb'), encode());
      t.update(key('d'), encode({ changed: 'yes' }));
    });
    const second = store.list({ resource: 'pods', limit: 2, after: { namespace: 'default', name: 'b' }, atRevision: first.revision });
    assert.deepEqual(second.items.map((i) => i.name), ['c', 'd']);
    assert.equal(JSON.parse(second.items[1]!.value).labels.changed, undefined);
    assert.equal(second.more, false);
  });

  it('compacts by count and refuses reads older than the window', () => {
    store.transaction((t) => {
      for (let i = 0; i < 10; i++) t.create(key(`p${i}`), encode());
    });
    store.compact({ maxEvents: 3, maxAgeMs: 3_600_000 });
    assert.equal(store.compactedRevision(), 7);
    assert.deepEqual(store.eventsAfter(7, 10).map((e) => e.revision), [8, 9, 10]);
    assert.throws(() => store.eventsAfter(6, 10), CompactedError);
    assert.throws(() => store.list({ resource: 'pods', atRevision: 5 }), CompactedError);
  });

  it('hands out each allocation once and finds free values without scanning owners', () => {
    const owner = key('svc', 'default', 'services');
    const other = key('other', 'default', 'services');
    store.transaction((t) => {
      assert.equal(t.allocate('ports', 30000, owner), true);
      assert.equal(t.allocate('ports', 30000, owner), true, 'idempotent for the same owner');
      assert.equal(t.allocate('ports', 30000, other), false);
      for (let p = 30001; p <= 30005; p++) t.allocate('ports', p, other);
      assert.equal(t.firstFree('ports', 30000, 30010, 30000), 30006);
      assert.equal(t.firstFree('ports', 30000, 30010, 30008), 30008);
      assert.equal(t.firstFree('ports', 30000, 30005, 30003), undefined);
      assert.deepEqual(t.allocationsOf('ports', other), [30001, 30002, 30003, 30004, 30005]);
      t.release('ports', 30002);
      assert.equal(t.firstFree('ports', 30000, 30005, 30004), 30002, 'wraps around to the start');
    });
  });

  it('group-commits writes queued in one tick, undoing only the one that fails', async () => {
    const results = await Promise.allSettled([
      store.transactionGrouped((t) => t.create(key('g1'), encode())),
      store.transactionGrouped((t) => {
        t.create(key('g2'), encode());
        t.create(key('g1'), encode());
      }),
      store.transactionGrouped((t) => t.create(key('g3'), encode())),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.ok((results[1] as PromiseRejectedResult).reason instanceof KeyExistsError);
    assert.equal(store.get(key('g2')), undefined, 'the failed call left nothing behind');
    assert.deepEqual(store.eventsAfter(0, 10).map((e) => `${e.revision}:${e.name}`), ['1:g1', '2:g3']);
  });

  it('keeps committed writes when reopened', () => {
    const path = join(dir, 'nested', 'store.db');
    store.transaction((t) => t.create(key('kept'), encode({ a: 'b' })));
    store.close();
    store = new SqliteStore({ path });
    assert.equal(store.get(key('kept'))?.revision, 1);
    assert.equal(store.currentRevision(), 1);
  });
});
