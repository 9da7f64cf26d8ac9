import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isExpired } from '../../../clients/client/api-status-error.js';
import { KubeClient } from '../../../clients/client/client.js';
import { Informer } from '../../../clients/client/informer.js';
import { leases, namespaces } from '../../../clients/client/resources.js';
import type { Lease } from '../../../clients/client/types.js';
import { ServerProcess } from '../../support/server-process.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

// Leases: no controller writes to them, so every event here comes from the test.
function leaseSpec(name: string, labels: Record<string, string> = {}): Lease {
  return { metadata: { name, labels }, spec: { holderIdentity: 'test' } };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitMs) assert.fail(`timed out after ${limitMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function fingerprint(items: Lease[]): string[] {
  return items.map((p) => `${p.metadata.namespace}/${p.metadata.name}@${p.metadata.resourceVersion}`).sort();
}

async function cacheMatchesServer(informer: Informer<Lease>, client: KubeClient, namespace: string): Promise<boolean> {
  const fresh = await client.listAll(leases, { namespace });
  return JSON.stringify(fingerprint(informer.list())) === JSON.stringify(fingerprint(fresh.items));
}

describe('Informer against a real server', () => {
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

  it('loads the list, then reports add, update and delete in order', async () => {
    const ns = 'inf1';
    await client.create(namespaces, { metadata: { name: ns } });
    await client.create(leases, leaseSpec('pre'), { namespace: ns });
    const informer = new Informer(client, leases, { namespace: ns, pageSize: 1 });
    const log: string[] = [];
    informer
      .on('add', (p) => log.push(`add ${p.metadata.name}`))
      .on('update', (old, p) => log.push(`update ${p.metadata.name} ${old.metadata.labels?.v ?? '-'}→${p.metadata.labels?.v ?? '-'}`))
      .on('delete', (p) => log.push(`delete ${p.metadata.name}`));
    informer.start();
    try {
      await informer.waitForSync();
      assert.ok(informer.hasSynced);
      assert.deepEqual(log, ['add pre']);
      await client.create(leases, leaseSpec('p', { v: '1' }), { namespace: ns });
      await client.patch(leases, 'p', { metadata: { labels: { v: '2' } } }, { namespace: ns });
      await client.delete(leases, 'pre', { namespace: ns });
      await until(() => log.length >= 4, 'three more events');
      assert.deepEqual(log, ['add pre', 'add p', 'update p 1→2', 'delete pre']);
      assert.equal(informer.get(ns, 'p')?.metadata.labels?.v, '2');
      assert.equal(informer.get(ns, 'pre'), undefined);
      assert.deepEqual(informer.list().map((p) => p.metadata.name), ['p']);
    } finally {
      await informer.stop();
    }
  });

  it('re-watches from its last resourceVersion after the connection drops, without relisting', async () => {
    const ns = 'inf2';
    await client.create(namespaces, { metadata: { name: ns } });
    const proxy = await TcpProxy.start(server.url);
    const proxied = new KubeClient({ server: proxy.url });
    const informer = new Informer(proxied, leases, { namespace: ns }).start();
    const added: string[] = [];
    informer.on('add', (p) => added.push(p.metadata.name ?? ''));
    try {
      await informer.waitForSync();
      await client.create(leases, leaseSpec('before-cut'), { namespace: ns });
      await until(() => added.includes('before-cut'), 'the first add');
      const versionAtCut = informer.resourceVersion;
      const mark = proxy.requests.length;
      proxy.cut();
      await client.create(leases, leaseSpec('during-cut'), { namespace: ns });
      await until(() => added.includes('during-cut'), 'the add made while disconnected');
      const after = proxy.requests.slice(mark);
      assert.ok(after.every((line) => line.includes('watch=true')), `no list after the drop, saw ${after.join(', ')}`);
      assert.ok(after.some((line) => line.includes(`resourceVersion=${versionAtCut}`)), `resumed from ${versionAtCut}: ${after.join(', ')}`);
      assert.deepEqual(added, ['before-cut', 'during-cut']);
      assert.ok(await cacheMatchesServer(informer, client, ns));
    } finally {
      await informer.stop();
      await proxied.close();
      await proxy.close();
    }
  });

  it('keeps a cache equal to a fresh list across a server restart on the same data file', async () => {
    const ns = 'inf3';
    await client.create(namespaces, { metadata: { name: ns } });
    for (const name of ['a', 'b', 'c']) await client.create(leases, leaseSpec(name), { namespace: ns });
    const watcher = new KubeClient({ server: server.url });
    const informer = new Informer(watcher, leases, { namespace: ns }).start();
    const errors: unknown[] = [];
    informer.on('error', (error) => errors.push(error));
    try {
      await informer.waitForSync();
      await server.restart();
      await client.delete(leases, 'a', { namespace: ns });
      await client.patch(leases, 'b', { metadata: { labels: { after: 'restart' } } }, { namespace: ns });
      await client.create(leases, leaseSpec('d'), { namespace: ns });
      await until(() => cacheMatchesServer(informer, client, ns), 'the cache to match a fresh list', 30_000);
      assert.equal(informer.get(ns, 'b')?.metadata.labels?.after, 'restart');
      assert.ok(errors.length > 0, 'the lost connection was reported');
    } finally {
      await informer.stop();
      await watcher.close();
    }
  });
});

describe('Informer relist after 410 against a real server', () => {
  let server: ServerProcess;
  let client: KubeClient;

  before(async () => {
    // A tiny event-log window, so revisions fall out of it after a few writes.
    server = await ServerProcess.start({ args: ['--event-log-max-events', '5'] });
    client = new KubeClient({ server: server.url });
  });
  after(async () => {
    await client?.close();
    await server?.stop();
  });

  it('relists when its resourceVersion was compacted away and emits the difference', async () => {
    const ns = 'gone';
    await client.create(namespaces, { metadata: { name: ns } });
    for (const name of ['keep', 'change', 'remove']) await client.create(leases, leaseSpec(name), { namespace: ns });
    const proxy = await TcpProxy.start(server.url);
    const proxied = new KubeClient({ server: proxy.url });
    const informer = new Informer(proxied, leases, { namespace: ns });
    const log: string[] = [];
    informer
      .on('add', (p) => log.push(`add ${p.metadata.name}`))
      .on('update', (_o, p) => log.push(`update ${p.metadata.name}`))
      .on('delete', (p) => log.push(`delete ${p.metadata.name}`));
    informer.start();
    try {
      await informer.waitForSync();
      const staleVersion = informer.resourceVersion;
      proxy.partition();
      await client.delete(leases, 'remove', { namespace: ns });
      await client.patch(leases, 'change', { metadata: { labels: { changed: 'yes' } } }, { namespace: ns });
      for (let i = 0; i < 20; i++) await client.create(leases, leaseSpec(`new-${i}`), { namespace: ns });
      // Compaction runs on a timer; wait until the server really answers 410 for the stale revision.
      await until(async () => {
        try {
          for await (const event of client.watch(leases, { namespace: ns, resourceVersion: staleVersion, timeoutSeconds: 1 })) {
            return event.type === 'ERROR' && isExpired(event.object);
          }
          return false;
        } catch (error) {
          return isExpired(error);
        }
      }, `revision ${staleVersion} to be compacted`, 60_000);
      const mark = proxy.requests.length;
      log.length = 0;
      proxy.heal();
      await until(() => cacheMatchesServer(informer, client, ns), 'the cache to match a fresh list after the relist', 30_000);
      const afterHeal = proxy.requests.slice(mark);
      assert.ok(afterHeal.some((line) => !line.includes('watch=true')), `a relist happened: ${afterHeal.join(', ')}`);
      assert.ok(log.includes('delete remove'), log.join(', '));
      assert.ok(log.includes('update change'), log.join(', '));
      assert.equal(log.filter((entry) => entry.startsWith('add new-')).length, 20);
      assert.ok(!log.includes('add keep'), 'an unchanged object is not re-announced');
    } finally {
      await informer.stop();
      await proxied.close();
      await proxy.close();
    }
  });
});
