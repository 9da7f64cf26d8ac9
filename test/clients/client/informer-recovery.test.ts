import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../../clients/client/client.js';
import { Informer } from '../../../clients/client/informer.js';
import { pods } from '../../../clients/client/resources.js';
import type { Pod } from '../../../clients/client/types.js';
import { sendJson, startFixture, type FixtureServer } from '../../support/fixture-http.js';

// Recovery paths of the informer that a real server only produces by
// accident: instant closes, a 410 on demand, a list that changed meanwhile.
// The same paths against a real server are in informer.test.ts.

type WatchScript = (res: http.ServerResponse, resourceVersion: string | null) => void;

function pod(name: string, resourceVersion: string, uid = `uid-${name}`): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, resourceVersion, uid }, spec: { containers: [] } };
}

function line(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}

async function until(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Informer recovery (scripted server)', () => {
  let fixture: FixtureServer;
  let listed: { items: Pod[]; resourceVersion: string };
  let watchScript: WatchScript;

  before(async () => {
    fixture = await startFixture((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.searchParams.get('watch') === 'true') {
        watchScript(res, url.searchParams.get('resourceVersion'));
        return;
      }
      sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: listed.resourceVersion }, items: listed.items });
    });
  });
  after(() => fixture.close());

  function requestsSince(mark: number): string[] {
    return fixture.requests.slice(mark);
  }

  it('backs off instead of spinning when the server ends every watch at once', async () => {
    listed = { items: [pod('a', '1')], resourceVersion: '1' };
    watchScript = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
    };
    const client = new KubeClient({ server: fixture.url });
    const informer = new Informer(client, pods, { namespace: 'default' }).start();
    const mark = fixture.requests.length;
    try {
      await informer.waitForSync();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const watches = requestsSince(mark).filter((r) => r.includes('watch=true')).length;
      // 100, 200, 400, 800 ms… → about 4 in 1.5 s; a hot loop would make thousands.
      assert.ok(watches >= 2 && watches <= 10, `expected a handful of re-watches, saw ${watches}`);
    } finally {
      await informer.stop();
      await client.close();
    }
  });

  it('resumes from the last event or bookmark resourceVersion after the stream ends, without relisting', async () => {
    listed = { items: [pod('a', '10')], resourceVersion: '10' };
    const watchedFrom: Array<string | null> = [];
    watchScript = (res, rv) => {
      watchedFrom.push(rv);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (watchedFrom.length === 1) {
        res.write(line('MODIFIED', pod('a', '11')));
        res.end(line('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '15' } }));
      } else {
        res.flushHeaders(); // stay open
      }
    };
    const client = new KubeClient({ server: fixture.url });
    const informer = new Informer(client, pods, { namespace: 'default' });
    const updates: string[] = [];
    informer.on('update', (_old, current) => updates.push(current.metadata.resourceVersion ?? ''));
    const mark = fixture.requests.length;
    informer.start();
    try {
      await until(() => watchedFrom.length >= 2, 'the second watch');
      assert.deepEqual(watchedFrom, ['10', '15']);
      assert.deepEqual(updates, ['11']);
      assert.equal(requestsSince(mark).filter((r) => !r.includes('watch=true')).length, 1, 'listed exactly once');
    } finally {
      await informer.stop();
      await client.close();
    }
  });

  it('relists after a 410 ERROR event and emits the difference as add, update and delete', async () => {
    listed = { items: [pod('keep', '1'), pod('change', '2'), pod('vanish', '3')], resourceVersion: '3' };
    let watches = 0;
    watchScript = (res) => {
      watches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (watches === 1) {
        // The world moves on while we are told our revision is gone.
        listed = { items: [pod('keep', '1'), pod('change', '20'), pod('born', '21')], resourceVersion: '21' };
        res.end(line('ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 3 (19)' }));
      } else {
        res.flushHeaders();
      }
    };
    const client = new KubeClient({ server: fixture.url });
    const informer = new Informer(client, pods, { namespace: 'default' });
    const log: string[] = [];
    informer
      .on('add', (p) => log.push(`add ${p.metadata.name}`))
      .on('update', (_o, p) => log.push(`update ${p.metadata.name}@${p.metadata.resourceVersion}`))
      .on('delete', (p) => log.push(`delete ${p.metadata.name}`));
    informer.start();
    try {
      await informer.waitForSync();
      await until(() => watches >= 2, 'the watch after the relist');
      assert.deepEqual(log.slice(0, 3).sort(), ['add change', 'add keep', 'add vanish']);
      assert.deepEqual(log.slice(3).sort(), ['add born', 'delete vanish', 'update change@20']);
      assert.deepEqual(informer.list().map((p) => p.metadata.name).sort(), ['born', 'change', 'keep']);
      assert.equal(informer.resourceVersion, '21');
    } finally {
      await informer.stop();
      await client.close();
    }
  });

  it('relists after a 410 response to the watch request', async () => {
    listed = { items: [pod('a', '1')], resourceVersion: '1' };
    let watches = 0;
    watchScript = (res) => {
      watches++;
      if (watches === 1) {
        listed = { items: [pod('b', '9')], resourceVersion: '9' };
        sendJson(res, 410, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    };
    const client = new KubeClient({ server: fixture.url });
    const informer = new Informer(client, pods, { namespace: 'default' }).start();
    try {
      await until(() => watches >= 2, 'the watch after the relist');
      assert.deepEqual(informer.list().map((p) => p.metadata.name), ['b']);
    } finally {
      await informer.stop();
      await client.close();
    }
  });

  it('keeps running when a handler throws, and reports the error', async () => {
    listed = { items: [pod('a', '1'), pod('b', '1')], resourceVersion: '1' };
    watchScript = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    };
    const client = new KubeClient({ server: fixture.url });
    const informer = new Informer(client, pods, { namespace: 'default' });
    const errors: unknown[] = [];
    const added: string[] = [];
    informer
      .on('add', (p) => {
        if (p.metadata.name === 'a') throw new Error('handler bug');
        added.push(p.metadata.name ?? '');
      })
      .on('error', (error) => errors.push(error));
    informer.start();
    try {
      await informer.waitForSync();
      assert.deepEqual(added, ['b']);
      assert.equal((errors[0] as Error).message, 'handler bug');
      assert.equal(informer.get('default', 'a')?.metadata.name, 'a');
    } finally {
      await informer.stop();
      await client.close();
    }
  });

  it('rejects waitForSync when stopped before the first list succeeds', async () => {
    const client = new KubeClient({ server: 'http://127.0.0.1:9' }); // discard port: nothing listens
    const informer = new Informer(client, pods).start();
    const synced = informer.waitForSync();
    await informer.stop();
    await assert.rejects(synced, /stopped before it synced/);
    assert.equal(informer.hasSynced, false);
    await client.close();
  });
});
