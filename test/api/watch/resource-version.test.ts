import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, list, mergePatch, remove } from './api-requests.js';
import { services } from './fixtures.js';
import { closeAll, revisionOf, WatchClient, type WatchEvent } from './watch-client.js';

const collection = services.collection('default');
const path = (name: string) => `${collection}/${name}`;
const summary = (events: readonly WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata?.name}@${revisionOf(e)}`);

describe('watch resourceVersion', () => {
  let server: TestServer;
  /** Every write to services, in order, as `TYPE name@revision`. */
  const history: string[] = [];
  const revisions: number[] = [];
  let baseline = 0;

  const record = (type: string, name: string, revision: number): void => {
    history.push(`${type} ${name}@${revision}`);
    revisions.push(revision);
  };

  before(async () => {
    server = await startTestServer();
    baseline = (await list(server.url, collection)).revision;
    for (const name of ['a', 'b', 'c']) record('ADDED', name, (await create(server.url, collection, services.body(name))).revision);
    record('MODIFIED', 'a', (await mergePatch(server.url, path('a'), { metadata: { labels: { v: '2' } } })).revision);
    record('DELETED', 'b', (await remove(server.url, path('b'))).revision);
    record('MODIFIED', 'c', (await mergePatch(server.url, path('c'), { metadata: { labels: { v: '2' } } })).revision);
    record('ADDED', 'd', (await create(server.url, collection, services.body('d'))).revision);
    record('MODIFIED', 'a', (await mergePatch(server.url, path('a'), { metadata: { labels: { v: '3' } } })).revision);
  });
  after(async () => {
    await server?.close();
  });

  /** A write after the watch opened, so that each watch has something to wait for. */
  let sentinels = 0;
  const sentinel = async (): Promise<string> => {
    const name = `sentinel-${++sentinels}`;
    const { revision } = await create(server.url, collection, services.body(name));
    return `ADDED ${name}@${revision}`;
  };

  it('replays exactly the changes after N, in order, for every N in the history', async () => {
    const watches: WatchClient[] = [];
    try {
      const starts = [baseline, ...revisions];
      for (const start of starts) watches.push(await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}`));
      const live = await sentinel();
      for (const [i, watch] of watches.entries()) {
        await watch.waitFor((events) => summary(events).includes(live), live);
        const expected = [...history.slice(i), live];
        assert.deepEqual(summary(watch.events), expected, `watch from resourceVersion ${starts[i]}`);
      }
    } finally {
      closeAll(watches);
    }
  });

  for (const [label, query] of [['unset', ''], ['"0"', '&resourceVersion=0']] as const) {
    it(`sends the current state as ADDED, then changes, with resourceVersion ${label}`, async () => {
      const current = await list(server.url, collection);
      const watch = await WatchClient.open(server.url, `${collection}?watch=true${query}`);
      try {
        const live = await sentinel();
        await watch.waitFor((events) => summary(events).includes(live), live);
        const initial = watch.events.slice(0, current.items.length);
        assert.ok(initial.every((e) => e.type === 'ADDED'));
        assert.deepEqual(
          initial.map((e) => e.object).sort((x, y) => String(x.metadata?.name).localeCompare(String(y.metadata?.name))),
          current.items,
          'the initial events are the objects as a list shows them',
        );
        assert.deepEqual(summary(watch.events.slice(current.items.length)), [live], 'then only what changed, once');
      } finally {
        watch.close();
      }
    });
  }

  it('starts from now without initial events when sendInitialEvents=false and resourceVersion is unset', async () => {
    const watch = await WatchClient.open(server.url, `${collection}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`);
    try {
      const live = await sentinel();
      await watch.waitFor((events) => summary(events).includes(live), live);
      assert.deepEqual(summary(watch.events), [live]);
    } finally {
      watch.close();
    }
  });

  it('orders a burst of concurrent writes by revision, none missed and none repeated', async () => {
    const start = (await list(server.url, collection)).revision;
    const watch = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}`);
    try {
      const written = await Promise.all(Array.from({ length: 50 }, (_, i) => create(server.url, collection, services.body(`burst-${i}`))));
      const last = Math.max(...written.map((w) => w.revision));
      await watch.waitForRevision(last);
      const seen = watch.events.map(revisionOf);
      assert.deepEqual(seen, written.map((w) => w.revision).sort((x, y) => x - y));
    } finally {
      watch.close();
    }
  });

  it('refuses a resourceVersion that is not a number', async () => {
    const response = await fetch(new URL(`${collection}?watch=true&resourceVersion=abc`, server.url));
    assert.equal(response.status, 400);
    const status = (await response.json()) as { reason: string };
    assert.equal(status.reason, 'BadRequest');
  });
});
