import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, list, mergePatch, remove, request } from './api-requests.js';
import { ALL_RESOURCES, namespaces, objectPath, pods, type ResourceFixture } from './fixtures.js';
import { closeAll, revisionOf, WatchClient } from './watch-client.js';

// The deprecated `watch/` path prefix kube-apiserver still serves: the same
// stream as `?watch=true` on the matching list path, and for a single-object
// path a watch filtered by `metadata.name`.

/** `/api/v1/namespaces/a/pods` → `/api/v1/watch/namespaces/a/pods`. */
function legacy(path: string): string {
  return path.replace(/^(\/api\/v1|\/apis\/[^/]+\/[^/]+)\//, '$1/watch/');
}

describe('the deprecated watch/ path prefix', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    for (const name of ['team-a', 'team-b']) await create(server.url, namespaces.collection(), namespaces.body(name));
  });
  after(async () => {
    await server?.close();
  });

  /** Watches of `fixture` on every legacy path it has, each from `start`. */
  async function openAll(fixture: ResourceFixture, name: string, start: number): Promise<Record<string, WatchClient>> {
    const from = `resourceVersion=${start}`;
    const paths: Record<string, string> = fixture.namespaced
      ? {
          collection: `${legacy(fixture.collection('team-a'))}?${from}`,
          everywhere: `${legacy(fixture.clusterCollection)}?${from}`,
          single: `${legacy(objectPath(fixture, name, 'team-a'))}?${from}`,
        }
      : {
          everywhere: `${legacy(fixture.clusterCollection)}?${from}`,
          single: `${legacy(objectPath(fixture, name))}?${from}`,
        };
    const watches: Record<string, WatchClient> = {};
    for (const [key, path] of Object.entries(paths)) watches[key] = await WatchClient.open(server.url, path);
    return watches;
  }

  for (const fixture of ALL_RESOURCES) {
    it(`streams ${fixture.resource} events on its watch/ paths, the single-object path only its object`, async () => {
      const name = `legacy-${fixture.resource}`;
      const start = (await list(server.url, fixture.clusterCollection)).revision;
      const watches = await openAll(fixture, name, start);
      try {
        for (const [key, watch] of Object.entries(watches)) {
          assert.equal(watch.statusCode, 200, key);
          assert.equal(watch.headers['transfer-encoding'], 'chunked', key);
        }
        const added = await create(server.url, fixture.collection('team-a'), fixture.body(name));
        // Another object of the same kind: in another namespace, and with another name.
        const other = await create(server.url, fixture.collection('team-b'), fixture.body(`${name}-other`));
        const modified = await mergePatch(server.url, objectPath(fixture, name, 'team-a'), { metadata: { labels: { step: 'two' } } });
        const deleted = await remove(server.url, `${objectPath(fixture, name, 'team-a')}?gracePeriodSeconds=0`);
        await remove(server.url, `${objectPath(fixture, `${name}-other`, 'team-b')}?gracePeriodSeconds=0`);

        const ours = [
          ['ADDED', added.revision],
          ['MODIFIED', modified.revision],
          ['DELETED', deleted.revision],
        ];
        for (const [key, watch] of Object.entries(watches)) {
          await watch.waitForRevision(deleted.revision);
          const seen = watch.changes().filter((e) => e.object.metadata?.name === name).map((e) => [e.type, revisionOf(e)]);
          assert.deepEqual(seen, ours, `${key}: ${watch.describe()}`);
          const sawOther = watch.changes().some((e) => revisionOf(e) === other.revision);
          assert.equal(sawOther, key === 'everywhere', `${key} and the object named ${name}-other`);
          assert.ok(watch.changes().every((e) => e.object.kind === fixture.kind), key);
        }
      } finally {
        closeAll(Object.values(watches));
      }
    });
  }

  it('combines a single-object path with a field selector that names the same object, and refuses another name', async () => {
    const path = legacy(objectPath(pods, 'named', 'team-a'));
    const same = await WatchClient.open(server.url, `${path}?fieldSelector=metadata.name%3Dnamed&timeoutSeconds=1`);
    try {
      assert.equal(same.statusCode, 200);
    } finally {
      same.close();
    }
    const other = await request(server.url, 'GET', `${path}?fieldSelector=metadata.name%3Dsomeone-else`);
    assert.equal(other.status, 400);
    assert.equal(other.body.reason, 'BadRequest');
    assert.equal(other.body.message, "fieldSelector metadata.name doesn't match requested name");
  });

  it('is a watch even with watch=false, and ends at timeoutSeconds', async () => {
    const watch = await WatchClient.open(server.url, `${legacy(pods.collection('team-a'))}?watch=false&timeoutSeconds=1`);
    try {
      assert.equal(watch.statusCode, 200);
      assert.equal(watch.headers['transfer-encoding'], 'chunked');
      const end = await watch.done;
      assert.equal(end.byClient, false);
    } finally {
      watch.close();
    }
  });

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    it(`answers ${method} with 405 MethodNotAllowed`, async () => {
      for (const path of [legacy(pods.collection('team-a')), legacy(objectPath(pods, 'x', 'team-a')), '/api/v1/watch/nodes/x', '/apis/discovery.k8s.io/v1/watch/endpointslices']) {
        const response = await request(server.url, method, path, method === 'DELETE' ? undefined : {});
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(response.body.kind, 'Status');
        assert.equal(response.body.reason, 'MethodNotAllowed');
      }
    });
  }

  it('has no watch/ path for one namespaced object outside its namespace', async () => {
    const response = await request(server.url, 'GET', '/api/v1/watch/pods/x');
    assert.equal(response.status, 404);
    assert.equal(response.body.reason, 'NotFound');
  });
});
