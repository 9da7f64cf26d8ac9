import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../../clients/client/client.js';
import { leases, namespaces } from '../../../clients/client/resources.js';
import type { Lease, WatchEvent } from '../../../clients/client/types.js';
import { ServerProcess } from '../../support/server-process.js';

// Leases: no controller writes to them, so every event here comes from the test.
function leaseSpec(name: string, labels: Record<string, string> = {}): Lease {
  return { metadata: { name, labels }, spec: { holderIdentity: 'test' } };
}

/** Reads events until `count` non-bookmark events arrived, then aborts the watch. */
async function take(iterable: AsyncIterable<WatchEvent<Lease>>, controller: AbortController, count: number): Promise<Array<WatchEvent<Lease>>> {
  const events: Array<WatchEvent<Lease>> = [];
  for await (const event of iterable) {
    if (event.type === 'BOOKMARK') continue;
    events.push(event);
    if (events.length >= count) {
      controller.abort();
      break;
    }
  }
  return events;
}

function describeEvent(event: WatchEvent<Lease>): string {
  return `${event.type} ${event.type === 'ERROR' ? event.object.reason : event.object.metadata.name}`;
}

describe('watch against a real server', () => {
  let server: ServerProcess;
  let client: KubeClient;

  before(async () => {
    server = await ServerProcess.start();
    client = new KubeClient({ server: server.url });
  });
  after(async () => {
    await client?.close();
    await server?.stop();
  });

  it('streams ADDED, MODIFIED and DELETED strictly after the resourceVersion it starts from', async () => {
    const ns = 'w1';
    await client.create(namespaces, { metadata: { name: ns } });
    await client.create(leases, leaseSpec('before'), { namespace: ns });
    const listed = await client.list(leases, { namespace: ns });
    const controller = new AbortController();
    const events = take(client.watch(leases, { namespace: ns, resourceVersion: listed.metadata.resourceVersion, signal: controller.signal }), controller, 3);
    await client.create(leases, leaseSpec('w'), { namespace: ns });
    await client.patch(leases, 'w', { metadata: { labels: { x: 'y' } } }, { namespace: ns });
    await client.delete(leases, 'w', { namespace: ns });
    assert.deepEqual((await events).map(describeEvent), ['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  it('resumes exactly after a given event resourceVersion', async () => {
    const ns = 'w2';
    await client.create(namespaces, { metadata: { name: ns } });
    const start = (await client.list(leases, { namespace: ns })).metadata.resourceVersion;
    const a = await client.create(leases, leaseSpec('a'), { namespace: ns });
    await client.create(leases, leaseSpec('b'), { namespace: ns });
    const controller = new AbortController();
    const events = await take(client.watch(leases, { namespace: ns, resourceVersion: a.metadata.resourceVersion, signal: controller.signal }), controller, 1);
    assert.deepEqual(events.map(describeEvent), ['ADDED b']);
    assert.ok(start !== undefined);
  });

  it('replays the current state as ADDED when started from resourceVersion 0', async () => {
    const ns = 'w3';
    await client.create(namespaces, { metadata: { name: ns } });
    await client.create(leases, leaseSpec('x'), { namespace: ns });
    await client.create(leases, leaseSpec('y'), { namespace: ns });
    const controller = new AbortController();
    const events = await take(client.watch(leases, { namespace: ns, resourceVersion: '0', signal: controller.signal }), controller, 2);
    assert.deepEqual(events.map(describeEvent).sort(), ['ADDED x', 'ADDED y']);
  });

  it('filters events by label selector', async () => {
    const ns = 'w4';
    await client.create(namespaces, { metadata: { name: ns } });
    const rv = (await client.list(leases, { namespace: ns })).metadata.resourceVersion;
    const controller = new AbortController();
    const events = take(client.watch(leases, { namespace: ns, resourceVersion: rv, labelSelector: 'app=keep', signal: controller.signal }), controller, 1);
    await client.create(leases, leaseSpec('skip', { app: 'other' }), { namespace: ns });
    await client.create(leases, leaseSpec('keep', { app: 'keep' }), { namespace: ns });
    assert.deepEqual((await events).map(describeEvent), ['ADDED keep']);
  });

  it('watches across namespaces without a namespace', async () => {
    await client.create(namespaces, { metadata: { name: 'w5a' } });
    await client.create(namespaces, { metadata: { name: 'w5b' } });
    const rv = (await client.list(leases)).metadata.resourceVersion;
    const controller = new AbortController();
    const events = take(client.watch(leases, { resourceVersion: rv, signal: controller.signal }), controller, 2);
    await client.create(leases, leaseSpec('one'), { namespace: 'w5a' });
    await client.create(leases, leaseSpec('two'), { namespace: 'w5b' });
    assert.deepEqual((await events).map((e) => (e.type === 'ERROR' ? '' : e.object.metadata.namespace)), ['w5a', 'w5b']);
  });

  it('ends the iteration when the server ends the stream at timeoutSeconds', async () => {
    const rv = (await client.list(leases)).metadata.resourceVersion;
    const seen: string[] = [];
    for await (const event of client.watch(leases, { namespace: 'nowhere', resourceVersion: rv, timeoutSeconds: 1 })) seen.push(event.type);
    assert.ok(seen.every((type) => type === 'BOOKMARK'), `only bookmarks on an idle watch, saw ${seen.join(',')}`);
  });

  it('ends quietly when aborted while idle', async () => {
    const controller = new AbortController();
    const rv = (await client.list(leases)).metadata.resourceVersion;
    const done = (async () => {
      for await (const _ of client.watch(leases, { namespace: 'idle', resourceVersion: rv, signal: controller.signal })) {
        // no events expected
      }
    })();
    setTimeout(() => controller.abort(), 100);
    await done;
  });
});
