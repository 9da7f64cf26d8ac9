import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../../storage/sqlite-store.js';
import { WatchHub } from '../../../api/watch/watch-hub.js';
import type { HubEvent } from '../../../api/watch/hub-event.js';

const put = (store: SqliteStore, resource: string, namespace: string, name: string): number =>
  store.transaction((txn) => txn.create({ resource, namespace, name }, (revision) => ({ value: JSON.stringify({ metadata: { name, resourceVersion: String(revision) } }), labels: {} }))).revision;

describe('WatchHub', () => {
  let store: SqliteStore;
  let hub: WatchHub;
  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:' });
    hub = new WatchHub(store, { pollIntervalMs: 1000, batchSize: 3 });
  });
  afterEach(() => {
    hub.stop();
    store.close();
  });

  it('delivers each event once to the listeners of its resource and namespace, in revision order, across batches', () => {
    const everywhere: number[] = [];
    const inA: number[] = [];
    const nodes: number[] = [];
    hub.subscribe('pods', (e) => everywhere.push(e.revision));
    hub.subscribe('pods', (e) => inA.push(e.revision), 'a');
    hub.subscribe('nodes', (e) => nodes.push(e.revision));
    const a1 = put(store, 'pods', 'a', 'p1');
    const b1 = put(store, 'pods', 'b', 'p1');
    const n1 = put(store, 'nodes', '', 'n1');
    const a2 = put(store, 'pods', 'a', 'p2');
    const a3 = put(store, 'pods', 'a', 'p3');
    hub.poll();
    hub.poll();
    assert.deepEqual(everywhere, [a1, b1, a2, a3]);
    assert.deepEqual(inA, [a1, a2, a3]);
    assert.deepEqual(nodes, [n1]);
    assert.equal(hub.deliveredRevision, a3);
  });

  it('leaves no gap and no duplicate between replay() and subscribe() in the same tick', () => {
    const early = put(store, 'pods', 'a', 'p1');
    hub.poll();
    const pending = put(store, 'pods', 'a', 'p2');
    const seen: number[] = hub.replay('pods', 0).map((e) => e.revision);
    hub.subscribe('pods', (e) => seen.push(e.revision));
    hub.poll();
    assert.deepEqual(seen, [early, pending]);
  });

  it('keeps delivering to the other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    hub.onListenerError((error) => errors.push(error));
    const seen: HubEvent[] = [];
    hub.subscribe('pods', () => {
      throw new Error('broken listener');
    });
    hub.subscribe('pods', (e) => seen.push(e));
    put(store, 'pods', 'a', 'p1');
    hub.poll();
    assert.equal(seen.length, 1);
    assert.equal((errors[0] as Error).message, 'broken listener');
  });

  it('tells listeners to resync when compaction overtook it', () => {
    put(store, 'pods', 'a', 'p1');
    put(store, 'pods', 'a', 'p2');
    put(store, 'pods', 'a', 'p3');
    store.compact({ maxEvents: 1, maxAgeMs: 3_600_000 });
    let resyncs = 0;
    hub.onResyncNeeded(() => resyncs++);
    hub.poll();
    assert.equal(resyncs, 1);
    assert.equal(hub.deliveredRevision, store.currentRevision());
  });

  it('forgets a listener that unsubscribed', () => {
    const seen: number[] = [];
    const off = hub.subscribe('pods', (e) => seen.push(e.revision), 'a');
    assert.equal(hub.listenerCount('pods'), 1);
    off();
    assert.equal(hub.listenerCount('pods'), 0);
    put(store, 'pods', 'a', 'p1');
    hub.poll();
    assert.deepEqual(seen, []);
  });
});
