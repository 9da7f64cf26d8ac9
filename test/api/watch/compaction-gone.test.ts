import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../support/test-server.js';
import { create, list } from './api-requests.js';
import { services } from './fixtures.js';
import { revisionOf, WatchClient } from './watch-client.js';

const collection = services.collection('default');

describe('watch after compaction', () => {
  it('sends a 410 Expired ERROR event for a compacted resourceVersion and ends the stream; a relist recovers', async () => {
    const server = await startTestServer({ eventLog: { maxEvents: 5, maxAgeMs: 3_600_000 } });
    const watches: WatchClient[] = [];
    try {
      const first = (await create(server.url, collection, services.body('s-0'))).revision;
      const created = [first];
      for (let i = 1; i < 20; i++) created.push((await create(server.url, collection, services.body(`s-${i}`))).revision);
      const compacted = server.server.compact();
      assert.ok(compacted > first);

      const stale = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${first}`);
      watches.push(stale);
      assert.equal(stale.statusCode, 200);
      const end = await stale.done;
      assert.equal(end.clean, true, 'the server ends the stream after the ERROR');
      assert.deepEqual(stale.events, [{
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${first} (${compacted})`,
          reason: 'Expired',
          code: 410,
        },
      }]);

      // The oldest revision the message names is still a valid start.
      const oldest = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${compacted}`);
      watches.push(oldest);
      const retained = created.filter((revision) => revision > compacted);
      await oldest.waitForRevision(created[created.length - 1]!);
      assert.deepEqual(oldest.events.map((e) => [e.type, revisionOf(e)]), retained.map((revision) => ['ADDED', revision]));
      const current = await list(server.url, collection);

      // What a client does next: relist, then watch from the list's resourceVersion.
      const resumed = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${current.revision}`);
      watches.push(resumed);
      const next = await create(server.url, collection, services.body('after-relist'));
      await resumed.waitForRevision(next.revision);
      assert.deepEqual(resumed.events.map((e) => [e.type, revisionOf(e)]), [['ADDED', next.revision]]);
    } finally {
      for (const watch of watches) watch.close();
      await server.close();
    }
  });

  it('compacts by age as well as by count', async () => {
    const server = await startTestServer({ eventLog: { maxEvents: 100_000, maxAgeMs: 1 } });
    try {
      const first = (await create(server.url, collection, services.body('old'))).revision;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const compacted = server.server.compact();
      assert.ok(compacted >= first);
      const stale = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${first - 1}`);
      await stale.done;
      assert.equal(stale.events[0]?.type, 'ERROR');
      assert.equal(stale.events[0]?.object.code, 410);
      assert.equal(stale.events[0]?.object.message, `too old resource version: ${first - 1} (${compacted})`);
    } finally {
      await server.close();
    }
  });
});
