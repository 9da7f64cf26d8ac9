import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { DEFAULT_SERVER_CONFIG } from '../../../api/server-config.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { create, list } from './api-requests.js';
import { services } from './fixtures.js';
import { revisionOf, WatchClient } from './watch-client.js';

const collection = services.collection('default');

/** Runs curl bounded by coreutils `timeout`; resolves with its exit code and output. */
function curl(url: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('timeout', ['20', 'curl', '-sN', url], (error, stdout) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

describe('watch timeouts', () => {
  let server: TestServer;
  before(async () => {
    // A half-second default maximum, so the randomized end is observable in a test.
    server = await startTestServer({ watchStream: { ...DEFAULT_SERVER_CONFIG.watchStream, minTimeoutSeconds: 0.5 } });
    await create(server.url, collection, services.body('existing'));
  });
  after(async () => {
    await server?.close();
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const watch = await WatchClient.open(server.url, `${collection}?watch=true&timeoutSeconds=1`);
    try {
      const end = await watch.done;
      assert.deepEqual(end, { clean: true, byClient: false });
      assert.deepEqual(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED existing']);
    } finally {
      watch.close();
    }
  });

  it('serves the long-poll form to curl, which exits 0 with every event on its own line', async () => {
    const start = (await list(server.url, collection)).revision;
    const polling = curl(`${server.url}${collection}?watch=true&resourceVersion=${start}&timeoutSeconds=1`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const written = await create(server.url, collection, services.body('seen-by-curl'));
    const { code, stdout } = await polling;
    assert.equal(code, 0, 'curl saw a complete chunked response');
    assert.ok(stdout.endsWith('\n'));
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string; resourceVersion: string } } });
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name, Number(e.object.metadata.resourceVersion)]), [['ADDED', 'seen-by-curl', written.revision]]);
  });

  it('sends a last BOOKMARK before the timeout when bookmarks are allowed', async () => {
    const start = (await list(server.url, collection)).revision;
    const watch = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}&timeoutSeconds=1&allowWatchBookmarks=true`);
    try {
      assert.equal((await watch.done).clean, true);
      const last = watch.events[watch.events.length - 1];
      assert.equal(last?.type, 'BOOKMARK');
      assert.ok(revisionOf(last!) >= start);
    } finally {
      watch.close();
    }
  });

  for (const [label, query] of [['without timeoutSeconds', ''], ['with timeoutSeconds=0 (unset, as in Kubernetes)', '&timeoutSeconds=0']] as const) {
    it(`ends the stream after the randomized server maximum ${label}`, async () => {
      const start = (await list(server.url, collection)).revision;
      const watch = await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}${query}`);
      try {
        // Still open after a write: the stream did not end at once.
        const written = await create(server.url, collection, services.body(`late-${query.length}`));
        await watch.waitForRevision(written.revision);
        assert.equal(watch.ended, undefined);
        assert.deepEqual(await watch.done, { clean: true, byClient: false });
      } finally {
        watch.close();
      }
    });
  }
});
