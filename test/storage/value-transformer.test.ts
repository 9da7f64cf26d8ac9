import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../storage/sqlite-store.js';
import type { ObjectKey, ValueTransformer } from '../../storage/store.js';

// A reversible stand-in for encryption, bound to the key as AES-GCM's
// authenticated data is: the store must hand every read the key it wrote with.
const reversing: ValueTransformer = {
  toStorage: (value, key) => `T:${key.namespace}/${key.name}:${[...value].reverse().join('')}`,
  fromStorage: (stored, key) => {
    const prefix = `T:${key.namespace}/${key.name}:`;
    if (!stored.startsWith('T:')) return stored;
    assert.ok(stored.startsWith(prefix), `read ${stored} as ${key.namespace}/${key.name}`);
    return [...stored.slice(prefix.length)].reverse().join('');
  },
};

const key = (name: string, resource = 'secrets'): ObjectKey => ({ resource, namespace: 'default', name });
const encode = (payload: string, labels: Record<string, string> = {}) => (revision: number) => ({ value: JSON.stringify({ rv: revision, payload }), labels });

describe('SqliteStore value transformers', () => {
  let dir: string;
  let path: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-transform-'));
    path = join(dir, 'store.db');
    store = new SqliteStore({ path, transformers: new Map([['secrets', reversing]]) });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every value and previous text the file holds for a resource, as written. */
  function rawRows(resource: string): string[] {
    const db = new Database(path, { readonly: true });
    try {
      const objects = db.prepare('SELECT value FROM objects WHERE resource = ?').all(resource) as Array<{ value: string }>;
      const events = db.prepare('SELECT value, previous FROM events WHERE resource = ?').all(resource) as Array<{ value: string; previous: string | null }>;
      return [...objects.map((r) => r.value), ...events.flatMap((r) => [r.value, ...(r.previous === null ? [] : [r.previous])])];
    } finally {
      db.close();
    }
  }

  it('writes transformed values to objects and the event log, and reads them back plain', () => {
    const created = store.transaction((t) => t.create(key('a'), encode('first')));
    assert.equal(JSON.parse(created.value).payload, 'first');
    store.transaction((t) => t.update(key('a'), encode('second')));
    store.transaction((t) => t.create(key('b'), encode('third', { app: 'x' })));
    store.transaction((t) => t.delete(key('b'), encode('third')));
    store.transaction((t) => t.create(key('p', 'pods'), encode('plain')));

    const raw = rawRows('secrets');
    // One current object; events a+, a~ (with previous), b+, b- (with previous).
    assert.equal(raw.length, 1 + 1 + 2 + 1 + 2);
    for (const text of raw) {
      assert.match(text, /^T:default\/[ab]:/);
      assert.doesNotMatch(text, /first|second|third/);
    }
    assert.deepEqual(rawRows('pods').map((text) => JSON.parse(text).payload), ['plain', 'plain']);

    assert.equal(JSON.parse(store.get(key('a'))!.value).payload, 'second');
    assert.equal(JSON.parse(store.transaction((t) => t.get(key('a')))!.value).payload, 'second');
    const list = store.list({ resource: 'secrets', filter: (o) => (o as { payload: string }).payload === 'second' });
    assert.deepEqual(list.items.map((i) => JSON.parse(i.value).payload), ['second']);
    const events = store.eventsAfter(0, 100);
    assert.deepEqual(events.map((e) => [e.type, e.resource, JSON.parse(e.value).payload, e.previous && JSON.parse(e.previous).payload]), [
      ['ADDED', 'secrets', 'first', null],
      ['MODIFIED', 'secrets', 'second', 'first'],
      ['ADDED', 'secrets', 'third', null],
      ['DELETED', 'secrets', 'third', 'third'],
      ['ADDED', 'pods', 'plain', null],
    ]);
    assert.deepEqual(store.eventsAfter(0, 100, 'secrets').map((e) => JSON.parse(e.value).payload), ['first', 'second', 'third', 'third']);
  });

  it('restores an older snapshot of transformed values from the event log', () => {
    const first = store.transaction((t) => t.create(key('a'), encode('first')));
    store.transaction((t) => t.update(key('a'), encode('second')));
    const old = store.list({ resource: 'secrets', atRevision: first.revision });
    assert.deepEqual(old.items.map((i) => JSON.parse(i.value).payload), ['first']);
  });

  it('reads values written before the transformer was configured', () => {
    store.close();
    const plain = new SqliteStore({ path });
    plain.transaction((t) => t.create(key('old'), encode('untransformed')));
    plain.close();
    store = new SqliteStore({ path, transformers: new Map([['secrets', reversing]]) });
    assert.equal(JSON.parse(store.get(key('old'))!.value).payload, 'untransformed');
  });
});
