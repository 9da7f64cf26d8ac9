import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SERVER_CONFIG } from '../../../api/server-config.js';
import { startTestServer } from '../../support/test-server.js';
import { list, request } from './api-requests.js';
import { namespaces, nodes, pods, services, type ResourceFixture } from './fixtures.js';
import { closeAll, revisionOf, WatchClient, type WatchEvent, type WatchObject } from './watch-client.js';

const OPERATIONS = 1000;
const CHECKPOINTS = 24;

/** mulberry32: a small seeded generator, so a failing run can be replayed with WATCH_RANDOM_SEED. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABEL_SELECTORS = ['app=web', 'app in (web,db)', 'tier!=gold', '!tier', 'app,tier', 'app notin (cache)'];
const FIELD_SELECTORS: Record<string, string[]> = {
  pods: ['metadata.namespace!=rand-0'],
  services: ['metadata.namespace=rand-1'],
  nodes: ['spec.unschedulable=true', 'spec.unschedulable!=true'],
  namespaces: ['metadata.name!=rand-2'],
};

interface Plan {
  fixture: ResourceFixture;
  path: string;
  query: string;
  /** 'initial': resourceVersion unset; 'live': from a list, opened at once; 'replay': from a list, opened after all writes. */
  mode: 'initial' | 'live' | 'replay';
  start?: { items: WatchObject[]; revision: number };
  watch?: WatchClient;
}

/**
 * Changes come in strictly increasing revisions (bookmarks may repeat one). The
 * synthetic ADDED events of an initial state carry each object's own, older,
 * revision in list order, so they form a prefix that is exempt but must all
 * be older than what follows.
 */
function ordered(events: readonly WatchEvent[], initialState: boolean): boolean {
  const changes = events.filter((e) => e.type !== 'BOOKMARK').map((e) => ({ type: e.type, revision: revisionOf(e) }));
  const increasingFrom = (k: number): boolean => changes.slice(k).every((c, i, rest) => i === 0 || c.revision > rest[i - 1]!.revision);
  let prefixMax = 0;
  for (let k = 0; k <= changes.length; k++) {
    if (k === changes.length || (prefixMax < changes[k]!.revision && increasingFrom(k))) return true;
    if (!initialState || changes[k]!.type !== 'ADDED') return false;
    prefixMax = Math.max(prefixMax, changes[k]!.revision);
  }
  return true;
}

const keyOf = (object: WatchObject) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

describe('watches under random writes', () => {
  it('replay, for every watcher, exactly the state a list shows at the final revision', async (t) => {
    const seed = Number(process.env.WATCH_RANDOM_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed} (WATCH_RANDOM_SEED=${seed} replays this run)`);
    const random = generator(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

    // An in-memory database: the same store code, without disk writes that make a thousand writes slow on a busy machine.
    const server = await startTestServer({ memory: true, watchStream: { ...DEFAULT_SERVER_CONFIG.watchStream, bookmarkIntervalMs: 50 } });
    const plans: Plan[] = [];
    try {
      const url = server.url;
      /** What the test believes exists, to aim most writes at real objects; refreshed whenever a write fails. */
      const model = new Map<string, Set<string>>();
      const refresh = async (fixture: ResourceFixture): Promise<void> => {
        const { items } = await list(url, fixture.clusterCollection);
        model.set(fixture.resource, new Set(items.map(keyOf)));
      };
      const live = (fixture: ResourceFixture): string[] => [...(model.get(fixture.resource) ?? [])];
      const randomNamespaces = (): string[] => live(namespaces).map((k) => k.slice(1)).filter((n) => n.startsWith('rand-'));
      const labels = (): Record<string, string | null> => ({
        app: random() < 0.8 ? pick(['web', 'db', 'cache']) : null,
        tier: random() < 0.5 ? pick(['gold', 'silver']) : null,
      });
      const defined = (values: Record<string, string | null>): Record<string, string> =>
        Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null));

      for (let i = 0; i < 4; i++) await request(url, 'POST', namespaces.collection(), namespaces.body(`rand-${i}`));
      for (const fixture of [pods, services, namespaces, nodes]) await refresh(fixture);

      const operate = async (n: number): Promise<void> => {
        const fixture = pick([pods, pods, services, services, nodes, namespaces]);
        const existing = fixture === namespaces ? live(namespaces).filter((k) => k.startsWith('/rand-')) : live(fixture);
        const roll = random();
        let response;
        if (existing.length === 0 || roll < 0.4) {
          const namespace = fixture.namespaced ? pick(randomNamespaces().length > 0 ? randomNamespaces() : ['default']) : undefined;
          const name = fixture === namespaces ? `rand-${4 + n}` : `${fixture.resource.slice(0, 3)}-${n}`;
          const body = fixture.body(name, defined(labels()));
          if (fixture === nodes && random() < 0.5) (body.spec as Record<string, unknown>).unschedulable = true;
          response = await request(url, 'POST', fixture.collection(namespace), body);
          if (response.status === 201) model.get(fixture.resource)!.add(keyOf(response.body));
        } else {
          const key = pick(existing);
          const [namespace, name] = key.split('/') as [string, string];
          const path = `${fixture.collection(namespace || undefined)}/${name}`;
          if (roll < 0.8) {
            const patch: Record<string, unknown> = { metadata: { labels: labels(), annotations: { step: String(n) } } };
            if (fixture === nodes) patch.spec = { unschedulable: random() < 0.5 };
            response = await request(url, 'PATCH', path, patch, 'application/merge-patch+json');
          } else {
            response = await request(url, 'DELETE', path);
            if (response.status === 200) {
              model.get(fixture.resource)!.delete(key);
              if (fixture === namespaces) for (const contained of [pods, services]) await refresh(contained);
            }
          }
        }
        if (response.status >= 300) await refresh(fixture);
      };

      const plan = async (): Promise<void> => {
        const fixture = pick([pods, services, nodes, namespaces]);
        const scoped = fixture.namespaced && random() < 0.4 ? pick(['default', 'rand-0', 'rand-1', 'rand-3']) : undefined;
        const path = scoped ? fixture.collection(scoped) : fixture.clusterCollection;
        const selectors: string[] = [];
        if (random() < 0.6) selectors.push(`labelSelector=${encodeURIComponent(pick(LABEL_SELECTORS))}`);
        if (random() < 0.3) selectors.push(`fieldSelector=${encodeURIComponent(pick(FIELD_SELECTORS[fixture.resource]!))}`);
        const query = selectors.join('&');
        const mode = pick(['initial', 'live', 'replay'] as const);
        const entry: Plan = { fixture, path, query, mode };
        if (mode === 'initial') {
          entry.watch = await WatchClient.open(url, `${path}?watch=true&allowWatchBookmarks=true&${query}`);
        } else {
          entry.start = await list(url, `${path}?${query}`);
          if (mode === 'live') entry.watch = await WatchClient.open(url, `${path}?watch=true&allowWatchBookmarks=true&resourceVersion=${entry.start.revision}&${query}`);
        }
        plans.push(entry);
      };

      const began = performance.now();
      for (let n = 0; n < OPERATIONS; n++) {
        if (n % Math.floor(OPERATIONS / CHECKPOINTS) === 0) await plan();
        await operate(n);
      }
      for (const entry of plans) {
        if (entry.mode === 'replay') {
          entry.watch = await WatchClient.open(url, `${entry.path}?watch=true&allowWatchBookmarks=true&resourceVersion=${entry.start!.revision}&${entry.query}`);
        }
      }

      const finalRevision = (await list(url, pods.clusterCollection)).revision;
      const writing = performance.now() - began;
      for (const [index, entry] of plans.entries()) {
        const watch = entry.watch!;
        const final = await list(url, `${entry.path}?${entry.query}`);
        assert.ok(final.revision >= finalRevision);
        await watch.waitForRevision(final.revision);
        const label = `watcher ${index}: ${entry.mode} ${entry.path}?${entry.query} from ${entry.start?.revision ?? 'now'}`;

        assert.ok(ordered(watch.events, entry.mode === 'initial'), `${label}: changes arrive in revision order`);

        const state = new Map((entry.start?.items ?? []).map((item) => [keyOf(item), item]));
        for (const event of watch.events) {
          if (event.type === 'BOOKMARK') continue;
          if (revisionOf(event) > final.revision) break;
          const key = keyOf(event.object);
          if (event.type === 'ADDED') {
            assert.ok(!state.has(key), `${label}: ADDED ${key} it already had`);
            state.set(key, event.object);
          } else if (event.type === 'MODIFIED') {
            assert.ok(state.has(key), `${label}: MODIFIED ${key} before it was ADDED`);
            state.set(key, event.object);
          } else {
            assert.equal(event.type, 'DELETED', `${label}: unexpected ${event.type}`);
            assert.ok(state.delete(key), `${label}: DELETED ${key} that it never had`);
          }
        }
        const expected = new Map(final.items.map((item) => [keyOf(item), item]));
        assert.deepEqual([...state.keys()].sort(), [...expected.keys()].sort(), `${label}: the same objects as the list`);
        for (const [key, item] of expected) assert.deepEqual(state.get(key), item, `${label}: ${key} as the list shows it`);
      }
      const counts = { initial: 0, live: 0, replay: 0, selective: 0 };
      for (const entry of plans) {
        counts[entry.mode]++;
        if (entry.query) counts.selective++;
      }
      t.diagnostic(`${plans.length} watchers (${counts.initial} initial, ${counts.live} live, ${counts.replay} replayed; ${counts.selective} with selectors) up to revision ${finalRevision}; writes took ${writing.toFixed(0)} ms`);
    } finally {
      closeAll(plans.map((entry) => entry.watch));
      await server.close();
    }
  });
});
