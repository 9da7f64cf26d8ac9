import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalInformer } from '../../../api/controllers/local-informer.js';
import { GenericRegistry } from '../../../api/resources/generic-registry.js';
import { buildKinds } from '../../../api/resources/kinds.js';
import type { KubeObject } from '../../../api/resources/strategy.js';
import { WatchHub } from '../../../api/watch/watch-hub.js';
import { SqliteStore } from '../../../storage/sqlite-store.js';

function setup() {
  const store = new SqliteStore({ path: ':memory:' });
  const hub = new WatchHub(store, { pollIntervalMs: 1000, batchSize: 2 });
  const kinds = buildKinds();
  const registry = (resource: string) => new GenericRegistry(kinds.find((k) => k.resource === resource)!, store);
  const namespaces = registry('namespaces');
  namespaces.create('', { metadata: { name: 'default' } });
  const services = registry('services');
  const create = (name: string, labels: Record<string, string> = {}) =>
    services.create('default', { metadata: { name, labels }, spec: { ports: [{ port: 80 }] } });
  return { store, hub, services, create, close: () => store.close() };
}

function record(informer: LocalInformer<KubeObject>) {
  const events: string[] = [];
  informer.addHandler({
    added: (o) => events.push(`add ${o.metadata.name}`),
    updated: (o, old) => events.push(`update ${o.metadata.name} ${old.metadata.labels?.v ?? ''}->${o.metadata.labels?.v ?? ''}`),
    deleted: (o) => events.push(`delete ${o.metadata.name}`),
  });
  return events;
}

describe('local informer', () => {
  it('lists, then follows the hub without gap or duplicate', () => {
    const t = setup();
    t.create('a');
    t.hub.poll();
    t.create('b');
    // b is committed but not yet delivered: the list sees it, the later delivery must not repeat it.
    const informer = new LocalInformer(t.hub, t.services);
    const events = record(informer);
    informer.start();
    assert.deepEqual(events, ['add a', 'add b']);
    t.hub.poll();
    t.services.modify('default', 'a', (s) => ({ ...s, metadata: { ...s.metadata, labels: { v: '2' } } }));
    t.services.delete('default', 'b');
    t.create('c');
    t.hub.poll();
    assert.deepEqual(events, ['add a', 'add b', 'update a ->2', 'delete b', 'add c']);
    assert.deepEqual([...informer.values()].map((s) => s.metadata.name).sort(), ['a', 'c']);
    assert.equal(informer.revision, t.store.currentRevision());
    informer.stop();
    t.close();
  });

  it('replays events the hub delivered before the list revision was reached', () => {
    const t = setup();
    const informer = new LocalInformer(t.hub, t.services);
    t.create('a');
    t.hub.poll();
    const events = record(informer);
    informer.start();
    assert.deepEqual(events, ['add a']);
    informer.stop();
    t.close();
  });

  it('replays the cache to a handler added after start', () => {
    const t = setup();
    t.create('a');
    const informer = new LocalInformer(t.hub, t.services);
    informer.start();
    assert.deepEqual(record(informer), ['add a']);
    informer.stop();
    t.close();
  });

  it('keeps indexes current', () => {
    const t = setup();
    t.create('a', { v: 'x' });
    t.create('b', { v: 'x' });
    const informer = new LocalInformer(t.hub, t.services);
    informer.addIndex('v', (o) => (o.metadata.labels?.v ? [o.metadata.labels.v] : []));
    informer.start();
    assert.deepEqual([...informer.keysByIndex('v', 'x')].sort(), ['default/a', 'default/b']);
    t.services.modify('default', 'a', (s) => ({ ...s, metadata: { ...s.metadata, labels: { v: 'y' } } }));
    t.services.delete('default', 'b');
    t.hub.poll();
    assert.deepEqual([...informer.keysByIndex('v', 'x')], []);
    assert.deepEqual(informer.byIndex('v', 'y').map((o) => o.metadata.name), ['a']);
    informer.stop();
    t.close();
  });

  it('relists after the hub fell behind compaction and reports the difference', () => {
    const t = setup();
    t.create('a');
    t.create('b');
    const informer = new LocalInformer(t.hub, t.services);
    const events = record(informer);
    informer.start();
    t.hub.poll();
    t.services.delete('default', 'a');
    t.create('c');
    t.store.compact({ maxEvents: 0, maxAgeMs: 0 });
    t.hub.poll();
    assert.deepEqual(events.slice(0, 2), ['add a', 'add b']);
    assert.deepEqual(events.slice(2).sort(), ['add c', 'delete a']);
    assert.deepEqual([...informer.values()].map((s) => s.metadata.name).sort(), ['b', 'c']);
    informer.stop();
    t.close();
  });

  it('keeps a handler’s exception from reaching the hub', () => {
    const t = setup();
    const errors: unknown[] = [];
    const informer = new LocalInformer(t.hub, t.services, { onError: (e) => errors.push(e) });
    informer.addHandler({ added: () => { throw new Error('boom'); } });
    informer.start();
    t.create('a');
    t.hub.poll();
    assert.equal(errors.length, 1);
    assert.ok(informer.get('default', 'a'));
    informer.stop();
    t.close();
  });
});
