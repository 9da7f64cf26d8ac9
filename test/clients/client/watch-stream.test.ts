import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ApiStatusError } from '../../../clients/client/api-status-error.js';
import { KubeClient } from '../../../clients/client/client.js';
import { pods } from '../../../clients/client/resources.js';
import type { Pod, WatchEvent } from '../../../clients/client/types.js';
import { sendJson, startFixture } from '../../support/fixture-http.js';

// Wire-level behaviour of the watch iterator against a scripted server; the
// same iterator against a real skiff server is covered in watch.test.ts.
describe('watch iterator (scripted server)', async () => {
  const fixture = await startFixture((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scenario = url.searchParams.get('labelSelector');
    if (scenario === 'split') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      const events = [
        { type: 'ADDED', object: { metadata: { name: 'ünïcødé', resourceVersion: '5' } } },
        { type: 'MODIFIED', object: { metadata: { name: 'b', resourceVersion: '6' } } },
        { type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } },
      ];
      const bytes = Buffer.from(events.map((e) => JSON.stringify(e) + '\n').join(''));
      let offset = 0;
      const step = 7; // cuts lines and the multi-byte characters alike
      const tick = setInterval(() => {
        res.write(bytes.subarray(offset, offset + step));
        offset += step;
        if (offset >= bytes.length) {
          clearInterval(tick);
          res.end();
        }
      }, 1);
      return;
    }
    if (scenario === 'forever') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x', resourceVersion: '1' } } }) + '\n');
      return; // never ends
    }
    if (scenario === 'gone') {
      sendJson(res, 410, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', message: 'too old resource version: 1 (50)', code: 410 });
      return;
    }
    if (scenario === 'error-event') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', reason: 'Expired', code: 410, message: 'too old' } }) + '\n');
      return;
    }
    if (scenario === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x', resourceVersion: '1' } } }) + '\n');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    sendJson(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'no scenario' });
  });
  const client = new KubeClient({ server: fixture.url });
  after(async () => {
    await client.close();
    await fixture.close();
  });

  async function collect(labelSelector: string, signal?: AbortSignal): Promise<Array<WatchEvent<Pod>>> {
    const events: Array<WatchEvent<Pod>> = [];
    for await (const event of client.watch(pods, { namespace: 'default', labelSelector, signal })) events.push(event);
    return events;
  }

  it('sends watch=true with the resourceVersion and bookmark flags in the query', async () => {
    const iterator = client.watch(pods, { namespace: 'ns1', resourceVersion: '42', allowWatchBookmarks: true, timeoutSeconds: 9, labelSelector: 'split' });
    for await (const _ of iterator) break;
    const line = fixture.requests.at(-1) ?? '';
    assert.match(line, /^GET \/api\/v1\/namespaces\/ns1\/pods\?/);
    const query = new URL(line.slice(4), 'http://x').searchParams;
    assert.equal(query.get('watch'), 'true');
    assert.equal(query.get('resourceVersion'), '42');
    assert.equal(query.get('allowWatchBookmarks'), 'true');
    assert.equal(query.get('timeoutSeconds'), '9');
  });

  it('yields every event when lines and characters are split across chunks, then ends with the stream', async () => {
    const events = await collect('split');
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'BOOKMARK']);
    assert.equal((events[0]?.object as Pod).metadata.name, 'ünïcødé');
  });

  it('ends quietly when the signal aborts a stream that would never end', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of client.watch(pods, { namespace: 'default', labelSelector: 'forever', signal: controller.signal })) {
      seen.push(event.type);
      controller.abort();
    }
    assert.deepEqual(seen, ['ADDED']);
  });

  it('stops reading when the consumer breaks out of the loop', async () => {
    for await (const event of client.watch(pods, { namespace: 'default', labelSelector: 'forever' })) {
      assert.equal(event.type, 'ADDED');
      break;
    }
    // Reaching here at all means the open stream did not keep the loop alive.
  });

  it('throws ApiStatusError for a 410 response before any event', async () => {
    await assert.rejects(collect('gone'), (error: unknown) => error instanceof ApiStatusError && error.code === 410 && error.reason === 'Expired');
  });

  it('yields an ERROR event as an event, with its Status', async () => {
    const events = await collect('error-event');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'ERROR');
    assert.equal(events[0]?.type === 'ERROR' ? events[0].object.code : 0, 410);
  });

  it('throws when the connection drops mid-stream, after the events already received', async () => {
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const event of client.watch(pods, { namespace: 'default', labelSelector: 'drop' })) seen.push(event.type);
    });
    assert.deepEqual(seen, ['ADDED']);
  });
});
