import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, list, mergePatch, remove } from './api-requests.js';
import { ALL_RESOURCES, namespaces, objectPath } from './fixtures.js';
import { closeAll, revisionOf, WatchClient, type WatchEvent } from './watch-client.js';

describe('watch on every list path', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    for (const name of ['team-a', 'team-b']) await create(server.url, namespaces.collection(), namespaces.body(name));
  });
  after(async () => {
    await server?.close();
  });

  for (const fixture of ALL_RESOURCES) {
    it(`streams ADDED, MODIFIED and DELETED ${fixture.resource} on ${fixture.namespaced ? 'namespaced and cluster-wide paths' : 'its cluster path'}`, async () => {
      const watches: WatchClient[] = [];
      try {
        const start = (await list(server.url, fixture.clusterCollection)).revision;
        const scoped = fixture.namespaced ? await WatchClient.open(server.url, `${fixture.collection('team-a')}?watch=true&resourceVersion=${start}`) : undefined;
        const everywhere = await WatchClient.open(server.url, `${fixture.clusterCollection}?watch=1&resourceVersion=${start}`);
        watches.push(everywhere, ...(scoped ? [scoped] : []));
        for (const watch of watches) {
          assert.equal(watch.statusCode, 200);
          assert.match(String(watch.headers['content-type']), /^application\/json/);
          assert.equal(watch.headers['transfer-encoding'], 'chunked');
        }

        const name = `w-${fixture.resource}`;
        const added = await create(server.url, fixture.collection('team-a'), fixture.body(name, { step: 'one' }));
        const other = fixture.namespaced ? await create(server.url, fixture.collection('team-b'), fixture.body(name)) : undefined;
        const modified = await mergePatch(server.url, objectPath(fixture, name, 'team-a'), { metadata: { labels: { step: 'two' } } });
        // Grace period 0: a Pod bound to a node would otherwise only be marked for deletion (no agent runs it here).
        const deleted = await remove(server.url, `${objectPath(fixture, name, 'team-a')}?gracePeriodSeconds=0`);
        assert.ok(deleted.revision > modified.revision, 'a deletion takes a new resourceVersion');

        await everywhere.waitForRevision(deleted.revision);
        const ours = new Set([added.revision, other?.revision, modified.revision, deleted.revision]);
        const expected = [
          ['ADDED', added.revision],
          ...(other ? [['ADDED', other.revision]] : []),
          ['MODIFIED', modified.revision],
          ['DELETED', deleted.revision],
        ];
        const own = (events: readonly WatchEvent[]) => events.filter((e) => e.object.metadata?.name === name);
        const check = (watch: WatchClient, wanted: typeof expected): void => {
          const events = own(watch.events);
          // Controllers (the scheduler, for pods) may update the object too; those changes are MODIFIED events in between.
          assert.deepEqual(events.filter((e) => ours.has(revisionOf(e))).map((e) => [e.type, revisionOf(e)]), wanted);
          assert.ok(events.every((e) => ours.has(revisionOf(e)) || e.type === 'MODIFIED'), watch.describe());
          const revisions = events.map(revisionOf);
          assert.deepEqual(revisions, [...revisions].sort((x, y) => x - y), 'in revision order');
        };
        check(everywhere, expected);
        if (scoped) {
          await scoped.waitForRevision(deleted.revision);
          check(scoped, expected.filter(([, revision]) => revision !== other?.revision));
          assert.ok(scoped.events.every((e) => e.object.metadata?.namespace === 'team-a'));
        }

        const inTeamA = own(everywhere.events).filter((e) => (e.object.metadata?.namespace ?? '') === (fixture.namespaced ? 'team-a' : ''));
        const gone = inTeamA[inTeamA.length - 1]!;
        const lastState = inTeamA[inTeamA.length - 2]!.object;
        assert.equal(gone.type, 'DELETED');
        assert.equal(gone.object.kind, fixture.kind);
        assert.equal(gone.object.apiVersion, fixture.apiVersion);
        assert.equal(gone.object.metadata?.labels?.step, 'two', 'DELETED carries the last state');
        assert.equal(gone.object.metadata?.resourceVersion, String(deleted.revision), 'with the deletion’s resourceVersion');
        const { resourceVersion: _deletedRv, ...lastMeta } = gone.object.metadata!;
        const { resourceVersion: _lastRv, ...beforeMeta } = lastState.metadata!;
        assert.deepEqual({ ...gone.object, metadata: lastMeta }, { ...lastState, metadata: beforeMeta });
      } finally {
        closeAll(watches);
      }
    });
  }

  it('stops delivering to a watcher whose client went away', async () => {
    // In-process controllers listen to the hub too; count relative to them.
    const others = server.server.hub.listenerCount('services');
    const watch = await WatchClient.open(server.url, '/api/v1/namespaces/team-a/services?watch=true');
    assert.equal(server.server.hub.listenerCount('services'), others + 1);
    watch.close();
    await watch.done;
    const { revision } = await create(server.url, '/api/v1/namespaces/team-a/services', { metadata: { name: 'after-close' }, spec: { ports: [{ port: 80 }] } });
    assert.ok(revision > 0);
    for (let i = 0; i < 100 && server.server.hub.listenerCount('services') > others; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(server.server.hub.listenerCount('services'), others);
  });
});
