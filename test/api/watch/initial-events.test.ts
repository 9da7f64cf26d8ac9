import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, list, mergePatch, request } from './api-requests.js';
import { pods } from './fixtures.js';
import { revisionOf, WatchClient } from './watch-client.js';

const collection = pods.collection('default');
const WATCH_LIST = 'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';

describe('watch with sendInitialEvents', () => {
  let server: TestServer;
  let firstRevision = 0;
  before(async () => {
    server = await startTestServer();
    firstRevision = (await create(server.url, collection, pods.body('web-1', { app: 'web' }))).revision;
    await create(server.url, collection, pods.body('web-2', { app: 'web' }));
    await create(server.url, collection, pods.body('db-1', { app: 'db' }));
    await mergePatch(server.url, `${collection}/web-1`, { metadata: { annotations: { touched: 'yes' } } });
  });
  after(async () => {
    await server?.close();
  });

  for (const [label, extra] of [['unset', ''], ['an older N', '&resourceVersion=FIRST']] as const) {
    it(`sends the current state, then a BOOKMARK annotated k8s.io/initial-events-end, with resourceVersion ${label}`, async () => {
      const current = await list(server.url, `${collection}?labelSelector=app%3Dweb`);
      const watch = await WatchClient.open(server.url, `${collection}?${WATCH_LIST}&labelSelector=app%3Dweb${extra.replace('FIRST', String(firstRevision))}`);
      try {
        await watch.waitFor((events) => events.some((e) => e.type === 'BOOKMARK'), 'the initial-events-end bookmark');
        const end = watch.events.findIndex((e) => e.type === 'BOOKMARK');
        const initial = watch.events.slice(0, end);
        assert.ok(initial.every((e) => e.type === 'ADDED'));
        assert.deepEqual(initial.map((e) => e.object), current.items, 'the state not older than N: the current one, web pods only');
        const bookmark = watch.events[end]!;
        assert.deepEqual(bookmark.object, {
          kind: 'Pod',
          apiVersion: 'v1',
          metadata: { resourceVersion: String(current.revision), annotations: { 'k8s.io/initial-events-end': 'true' } },
        });

        const later = await create(server.url, collection, pods.body(`web-later-${label.length}`, { app: 'web' }));
        await watch.waitForRevision(later.revision);
        assert.deepEqual(watch.changes().slice(end).map((e) => [e.type, revisionOf(e)]), [['ADDED', later.revision]]);
      } finally {
        watch.close();
      }
    });
  }

  it('requires resourceVersionMatch=NotOlderThan, as Kubernetes does', async () => {
    const response = await request(server.url, 'GET', `${collection}?watch=true&sendInitialEvents=true`);
    assert.equal(response.status, 422);
    assert.equal(response.body.reason, 'Invalid');
    assert.match(String(response.body.message), /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);
  });
});
