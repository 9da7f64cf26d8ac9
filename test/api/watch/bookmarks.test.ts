import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SERVER_CONFIG } from '../../../api/server-config.js';
import { startTestServer } from '../../support/test-server.js';
import { create, list } from './api-requests.js';
import { endpointSlices, pods, services } from './fixtures.js';
import { closeAll, revisionOf, WatchClient } from './watch-client.js';

const watchStream = { ...DEFAULT_SERVER_CONFIG.watchStream, bookmarkIntervalMs: 50 };
const isBookmark = (type: string) => type === 'BOOKMARK';

describe('watch bookmarks', () => {
  it('sends periodic BOOKMARKs holding only kind, apiVersion and metadata.resourceVersion when allowed', async () => {
    const server = await startTestServer({ watchStream });
    const watches: WatchClient[] = [];
    try {
      const slices = endpointSlices.collection('default');
      const start = (await list(server.url, slices)).revision;
      const allowed = await WatchClient.open(server.url, `${slices}?watch=true&resourceVersion=${start}&allowWatchBookmarks=true`);
      const plain = await WatchClient.open(server.url, `${slices}?watch=true&resourceVersion=${start}`);
      watches.push(allowed, plain);
      const written = await create(server.url, slices, endpointSlices.body('slice-1'));
      await allowed.waitFor((events) => events.filter((e) => isBookmark(e.type) && revisionOf(e) >= written.revision).length >= 2, 'two bookmarks');
      await plain.waitForRevision(written.revision);

      for (const bookmark of allowed.events.filter((e) => isBookmark(e.type))) {
        assert.deepEqual(Object.keys(bookmark.object), ['kind', 'apiVersion', 'metadata']);
        assert.equal(bookmark.object.kind, 'EndpointSlice');
        assert.equal(bookmark.object.apiVersion, 'discovery.k8s.io/v1');
        assert.deepEqual(Object.keys(bookmark.object.metadata!), ['resourceVersion']);
      }
      // A bookmark never claims a revision whose change it has not yet sent.
      const seen = allowed.events.map((e) => ({ type: e.type, revision: revisionOf(e) }));
      const added = seen.findIndex((e) => e.type === 'ADDED');
      assert.ok(seen.slice(0, added).every((e) => e.revision < written.revision));
      assert.ok(seen.slice(added + 1).every((e) => e.revision >= written.revision));
      assert.ok(seen.every((e, i) => i === 0 || e.revision >= seen[i - 1]!.revision), 'revisions never go backwards');

      await allowed.waitFor((events) => events.filter((e) => isBookmark(e.type)).length >= 4, 'more bookmarks');
      assert.deepEqual(plain.events.map((e) => e.type), ['ADDED'], 'no bookmarks unless allowWatchBookmarks=true');
    } finally {
      closeAll(watches);
      await server.close();
    }
  });

  it('lets an idle watcher resume from its last bookmark after the log moved past its start', async () => {
    const server = await startTestServer({ watchStream, eventLog: { maxEvents: 5, maxAgeMs: 3_600_000 } });
    const watches: WatchClient[] = [];
    try {
      const podsPath = pods.collection('default');
      const start = (await list(server.url, podsPath)).revision;
      const idle = await WatchClient.open(server.url, `${podsPath}?watch=true&resourceVersion=${start}&allowWatchBookmarks=true`);
      watches.push(idle);
      let last = 0;
      for (let i = 0; i < 20; i++) last = (await create(server.url, services.collection('default'), services.body(`busy-${i}`))).revision;
      await idle.waitFor((events) => events.some((e) => isBookmark(e.type) && revisionOf(e) >= last), 'a bookmark past the service writes');
      idle.close();
      assert.ok(server.server.compact() > start);
      const resumeFrom = Math.max(...idle.events.map(revisionOf));

      const stale = await WatchClient.open(server.url, `${podsPath}?watch=true&resourceVersion=${start}`);
      watches.push(stale);
      await stale.done;
      assert.equal(stale.events[0]?.type, 'ERROR', 'the original resourceVersion is gone');

      const resumed = await WatchClient.open(server.url, `${podsPath}?watch=true&resourceVersion=${resumeFrom}&allowWatchBookmarks=true`);
      watches.push(resumed);
      const pod = await create(server.url, podsPath, pods.body('after-resume'));
      await resumed.waitForRevision(pod.revision);
      assert.deepEqual(resumed.changes().map((e) => [e.type, revisionOf(e)]), [['ADDED', pod.revision]]);
    } finally {
      closeAll(watches);
      await server.close();
    }
  });
});
