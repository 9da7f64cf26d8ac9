import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, list, mergePatch, remove } from './api-requests.js';
import { nodes, services } from './fixtures.js';
import { closeAll, revisionOf, WatchClient, type WatchEvent } from './watch-client.js';

const collection = services.collection('default');
const steps = (events: readonly WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata?.name}@${revisionOf(e)}`);

describe('watch selectors with transitions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  it('sends an object that starts matching a label selector as ADDED and one that stops as DELETED with its previous state', async () => {
    const start = (await list(server.url, collection)).revision;
    const selector = encodeURIComponent('app in (web),tier!=cache');
    const live = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}&labelSelector=${selector}`);
    const watches = [live];
    try {
      const a = await create(server.url, collection, services.body('a', { app: 'web' }));
      await create(server.url, collection, services.body('b', { app: 'db' }));
      const bIn = await mergePatch(server.url, `${collection}/b`, { metadata: { labels: { app: 'web' } } });
      const aOut = await mergePatch(server.url, `${collection}/a`, { metadata: { labels: { tier: 'cache' } } });
      await mergePatch(server.url, `${collection}/a`, { metadata: { annotations: { unseen: 'true' } } });
      const bChanged = await mergePatch(server.url, `${collection}/b`, { metadata: { annotations: { seen: 'true' } } });
      await remove(server.url, `${collection}/a`);
      const bGone = await remove(server.url, `${collection}/b`);

      const expected = [
        `ADDED a@${a.revision}`,
        `ADDED b@${bIn.revision}`,
        `DELETED a@${aOut.revision}`,
        `MODIFIED b@${bChanged.revision}`,
        `DELETED b@${bGone.revision}`,
      ];
      await live.waitForRevision(bGone.revision);
      assert.deepEqual(steps(live.events), expected);

      const left = live.events[2]!.object;
      assert.deepEqual(left.metadata?.labels, { app: 'web' }, 'a DELETED transition carries the state that matched');
      assert.equal(left.metadata?.resourceVersion, String(aOut.revision), 'at the revision of the change that ended the match');
      assert.equal(live.events[1]!.object.metadata?.labels?.app, 'web', 'an ADDED transition carries the new state');

      // The same transitions come out of a replay from the event log.
      const replay = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}&labelSelector=${selector}`);
      watches.push(replay);
      await replay.waitForRevision(bGone.revision);
      assert.deepEqual(replay.events, live.events);
    } finally {
      closeAll(watches);
    }
  });

  it('applies field selector transitions the same way', async () => {
    const start = (await list(server.url, nodes.clusterCollection)).revision;
    const watch = await WatchClient.open(server.url, `${nodes.clusterCollection}?watch=true&resourceVersion=${start}&fieldSelector=spec.unschedulable%3Dtrue`);
    try {
      await create(server.url, nodes.clusterCollection, nodes.body('n1'));
      const cordoned = await mergePatch(server.url, `${nodes.clusterCollection}/n1`, { spec: { unschedulable: true } });
      const labelled = await mergePatch(server.url, `${nodes.clusterCollection}/n1`, { metadata: { labels: { zone: 'a' } } });
      const uncordoned = await mergePatch(server.url, `${nodes.clusterCollection}/n1`, { spec: { unschedulable: false } });
      await remove(server.url, `${nodes.clusterCollection}/n1`);
      const other = await create(server.url, nodes.clusterCollection, { ...nodes.body('n2'), spec: { unschedulable: true } });
      await watch.waitForRevision(other.revision);
      assert.deepEqual(steps(watch.events), [
        `ADDED n1@${cordoned.revision}`,
        `MODIFIED n1@${labelled.revision}`,
        `DELETED n1@${uncordoned.revision}`,
        `ADDED n2@${other.revision}`,
      ]);
      assert.equal((watch.events[2]!.object.spec as { unschedulable?: boolean }).unschedulable, true);
    } finally {
      watch.close();
    }
  });

  it('filters the initial state with the selectors too', async () => {
    await create(server.url, collection, services.body('web-1', { app: 'web' }));
    await create(server.url, collection, services.body('db-1', { app: 'db' }));
    const watch = await WatchClient.open(server.url, `${collection}?watch=true&labelSelector=app%3Ddb&fieldSelector=metadata.name%21%3Dother`);
    try {
      const marker = await create(server.url, collection, services.body('db-2', { app: 'db' }));
      await watch.waitForRevision(marker.revision);
      assert.deepEqual(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED db-1', 'ADDED db-2']);
    } finally {
      watch.close();
    }
  });
});
