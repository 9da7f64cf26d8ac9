import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_SERVER_CONFIG } from '../../../api/server-config.js';
import { startTestServer } from '../../support/test-server.js';
import { create, mergePatch } from './api-requests.js';
import { services } from './fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MAX_BUFFERED = 256 * 1024;
const UPDATES = 160;
const BLOB = 240 * 1024;
const collection = services.collection('default');

/** Heap plus Buffers of this process (the server runs in it) after a full collection. */
function retainedBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** A watch that keeps reading and keeps only the revisions it saw. */
function countingWatch(url: string, path: string): Promise<{ revisions: number[]; request: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const revisions: number[] = [];
    const request = http.get(new URL(path, url), { agent: false }, (res) => {
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          revisions.push(Number(/"resourceVersion":"(\d+)"/.exec(pending.slice(0, newline))?.[1]));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
      });
      resolve({ revisions, request });
    });
    request.on('error', reject);
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a watcher that stops reading', () => {
  it('is disconnected once its buffer is full, while another watcher receives everything and memory stays bounded', async () => {
    const server = await startTestServer({ watchStream: { ...DEFAULT_SERVER_CONFIG.watchStream, maxBufferedBytes: MAX_BUFFERED } });
    let slow: net.Socket | undefined;
    let fast: http.ClientRequest | undefined;
    try {
      const { revision: start } = await create(server.url, collection, services.body('big'));
      // In-process controllers listen to the hub too; count relative to them.
      const controllers = server.server.hub.listenerCount('services');
      const before = retainedBytes();

      const port = new URL(server.url).port;
      slow = net.connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => slow!.once('connect', resolve));
      let slowClosed = false;
      slow.on('close', () => { slowClosed = true; });
      slow.on('error', () => { slowClosed = true; });
      slow.pause();
      slow.write(`GET ${collection}?watch=true&resourceVersion=${start} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      const reader = await countingWatch(server.url, `${collection}?watch=true&resourceVersion=${start}`);
      fast = reader.request;
      await until(() => server.server.hub.listenerCount('services') === controllers + 2, 'both watchers to subscribe');

      const written: number[] = [];
      for (let i = 0; i < UPDATES; i++) {
        const blob = String(i % 10).repeat(BLOB);
        written.push((await mergePatch(server.url, `${collection}/big`, { metadata: { annotations: { blob } } })).revision);
      }
      await until(() => reader.revisions.length >= UPDATES, `the reading watcher to receive ${UPDATES} events`);
      assert.deepEqual(reader.revisions, written, 'the reading watcher got every event, in order, once');
      await until(() => server.server.hub.listenerCount('services') === controllers + 1, 'the server to drop the stalled watcher');

      const grown = retainedBytes() - before;
      const total = UPDATES * BLOB;
      assert.ok(grown < 16 * 1024 * 1024, `memory grew by ${(grown / 1048576).toFixed(1)} MiB while ${(total / 1048576).toFixed(0)} MiB were streamed`);

      // The stalled client now reads what the kernel held: a cut-off response, then the server's close.
      let received = '';
      slow.setEncoding('latin1');
      slow.on('data', (chunk: string) => { received += chunk; });
      slow.resume();
      await until(() => slowClosed, 'the stalled socket to be closed by the server');
      assert.ok(received.startsWith('HTTP/1.1 200'), 'the stalled watcher had been served');
      assert.ok(!received.endsWith('0\r\n\r\n'), 'its response was cut off, not ended');
      const delivered = received.split('\n').filter((line) => line.startsWith('{"type":"MODIFIED"')).length;
      assert.ok(delivered < UPDATES, `it received ${delivered} of ${UPDATES} events before the disconnect`);
    } finally {
      slow?.destroy();
      fast?.destroy();
      await server.close();
    }
  });
});
