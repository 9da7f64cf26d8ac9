import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import {
  NAMESPACES,
  REQUEST_TIMEOUT_MS,
  assertStatus,
  create,
  list,
  namespaceBody,
  podBody,
  podsPath,
  serviceBody,
  servicesPath,
  type WireList,
  type WireObject,
} from '../resources/http-fixtures.js';

interface PodSeed {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  nodeName?: string;
  phase: string;
}

const SEEDS: PodSeed[] = [
  { namespace: 'sel-a', name: 'web-1', labels: { app: 'web', tier: 'front', env: 'prod' }, nodeName: 'node-1', phase: 'Running' },
  { namespace: 'sel-a', name: 'web-2', labels: { app: 'web', tier: 'front', env: 'staging' }, nodeName: 'node-2', phase: 'Pending' },
  { namespace: 'sel-a', name: 'db-1', labels: { app: 'db', tier: 'back', env: 'prod' }, nodeName: 'node-1', phase: 'Running' },
  { namespace: 'sel-b', name: 'web-1', labels: { app: 'web', env: 'prod' }, phase: 'Pending' },
  { namespace: 'sel-b', name: 'cache-1', labels: { app: 'cache' }, nodeName: 'node-2', phase: 'Failed' },
];

const keysOf = (items: WireObject[]): string[] => items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

async function seedPods(url: string, seeds: PodSeed[]): Promise<void> {
  for (const seed of seeds) {
    await create(url, podsPath(seed.namespace), podBody(seed.name, { labels: seed.labels, nodeName: seed.nodeName ?? null }));
    if (seed.phase !== 'Pending') {
      const response = await request(url)
        .patch(`${podsPath(seed.namespace)}/${seed.name}/status`)
        .timeout(REQUEST_TIMEOUT_MS)
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ status: { phase: seed.phase } }));
      assert.equal(response.status, 200, JSON.stringify(response.body));
    }
  }
}

describe('label and field selectors on lists', () => {
  let t: TestServer;
  let url: string;

  before(async () => {
    t = await startTestServer();
    url = t.url;
    for (const ns of ['sel-a', 'sel-b']) await create(url, NAMESPACES, namespaceBody(ns));
    await seedPods(url, SEEDS);
    await create(url, servicesPath('sel-a'), serviceBody('front'));
    await create(url, servicesPath('sel-b'), serviceBody('front'));
    await create(url, servicesPath('sel-b'), serviceBody('back'));
  });
  after(async () => {
    await t.close();
  });

  const cases: Array<{ path: string; query: Record<string, string>; expected: string[] }> = [
    { path: '/api/v1/pods', query: { labelSelector: 'app=web' }, expected: ['sel-a/web-1', 'sel-a/web-2', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app==web' }, expected: ['sel-a/web-1', 'sel-a/web-2', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app!=web' }, expected: ['sel-a/db-1', 'sel-b/cache-1'] },
    // != also matches objects without the label at all, as in Kubernetes.
    { path: '/api/v1/pods', query: { labelSelector: 'env!=prod' }, expected: ['sel-a/web-2', 'sel-b/cache-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app in (db,cache)' }, expected: ['sel-a/db-1', 'sel-b/cache-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app notin (web)' }, expected: ['sel-a/db-1', 'sel-b/cache-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'tier' }, expected: ['sel-a/db-1', 'sel-a/web-1', 'sel-a/web-2'] },
    { path: '/api/v1/pods', query: { labelSelector: '!tier' }, expected: ['sel-b/cache-1', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app=web,env=prod' }, expected: ['sel-a/web-1', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app=nothing' }, expected: [] },
    { path: podsPath('sel-a'), query: { labelSelector: 'app=web' }, expected: ['sel-a/web-1', 'sel-a/web-2'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'metadata.name=web-1' }, expected: ['sel-a/web-1', 'sel-b/web-1'] },
    { path: podsPath('sel-a'), query: { fieldSelector: 'metadata.name==web-1' }, expected: ['sel-a/web-1'] },
    { path: podsPath('sel-a'), query: { fieldSelector: 'metadata.name!=web-1' }, expected: ['sel-a/db-1', 'sel-a/web-2'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'metadata.namespace=sel-b' }, expected: ['sel-b/cache-1', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'metadata.namespace!=sel-a' }, expected: ['sel-b/cache-1', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=node-1' }, expected: ['sel-a/db-1', 'sel-a/web-1'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName==node-2' }, expected: ['sel-a/web-2', 'sel-b/cache-1'] },
    // kubectl's "unscheduled pods" query.
    { path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=' }, expected: ['sel-b/web-1'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'status.phase=Running' }, expected: ['sel-a/db-1', 'sel-a/web-1'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'status.phase!=Running' }, expected: ['sel-a/web-2', 'sel-b/cache-1', 'sel-b/web-1'] },
    { path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=node-2,status.phase=Failed' }, expected: ['sel-b/cache-1'] },
    { path: '/api/v1/pods', query: { labelSelector: 'app=web', fieldSelector: 'status.phase=Pending' }, expected: ['sel-a/web-2', 'sel-b/web-1'] },
    { path: '/api/v1/services', query: { fieldSelector: 'metadata.name=front' }, expected: ['sel-a/front', 'sel-b/front'] },
    { path: servicesPath('sel-b'), query: { fieldSelector: 'metadata.name!=front' }, expected: ['sel-b/back'] },
  ];

  for (const c of cases) {
    const query = new URLSearchParams(c.query).toString();
    it(`GET ${c.path}?${decodeURIComponent(query)} → ${c.expected.length === 0 ? 'nothing' : c.expected.join(' ')}`, async () => {
      const result = await list(url, c.path, c.query);
      assert.deepEqual(keysOf(result.items), c.expected);
    });
  }

  it('answers a field selector on a field the kind does not support with 400', async () => {
    const response = await request(url).get('/api/v1/services').query({ fieldSelector: 'spec.nodeName=node-1' }).timeout(REQUEST_TIMEOUT_MS);
    const status = assertStatus(response.body, 400, 'BadRequest');
    assert.match(status.message, /field label not supported: spec\.nodeName/);
  });

  it('answers a label selector parse error with 400 naming what is wrong', async () => {
    const response = await request(url).get('/api/v1/pods').query({ labelSelector: 'app in (web' }).timeout(REQUEST_TIMEOUT_MS);
    const status = assertStatus(response.body, 400, 'BadRequest');
    assert.match(status.message, /unable to parse requirement/);
  });
});

describe('paging with limit and continue', () => {
  let t: TestServer;
  let url: string;

  before(async () => {
    t = await startTestServer();
    url = t.url;
    for (const ns of ['sel-a', 'sel-b']) await create(url, NAMESPACES, namespaceBody(ns));
    // All bound, so no scheduler write lands between the snapshot and the pages.
    await seedPods(url, SEEDS.map((seed) => ({ ...seed, nodeName: seed.nodeName ?? 'node-3' })));
  });
  after(async () => {
    await t.close();
  });

  async function allPages(query: Record<string, string>, between?: (page: number) => Promise<void>): Promise<{ pages: WireList[]; items: WireObject[] }> {
    const pages: WireList[] = [];
    let token: string | undefined;
    do {
      const page = await list(url, '/api/v1/pods', { ...query, ...(token ? { continue: token } : {}) });
      pages.push(page);
      token = page.metadata.continue;
      if (token && between) await between(pages.length);
    } while (token && pages.length < 20);
    return { pages, items: pages.flatMap((p) => p.items) };
  }

  it('returns every object once, in order, in pages of at most limit, the last without a continue token', async () => {
    const { pages, items } = await allPages({ limit: '2' });
    assert.deepEqual(pages.map((p) => p.items.length), [2, 2, 1]);
    assert.equal(pages[2]!.metadata.continue, undefined);
    assert.deepEqual(keysOf(items), ['sel-a/db-1', 'sel-a/web-1', 'sel-a/web-2', 'sel-b/cache-1', 'sel-b/web-1']);
  });

  it('pages a selected list: limit counts matching objects', async () => {
    const { pages, items } = await allPages({ limit: '1', labelSelector: 'app=web' });
    assert.deepEqual(pages.map((p) => p.items.length), [1, 1, 1]);
    assert.deepEqual(keysOf(items), ['sel-a/web-1', 'sel-a/web-2', 'sel-b/web-1']);
  });

  it('serves every page from the revision of the first, while objects change between pages', async () => {
    const snapshot = await list(url, '/api/v1/pods');
    const { pages, items } = await allPages({ limit: '2' }, async (page) => {
      if (page !== 1) return;
      // After page 1: an object that sorts before the cursor, one after it,
      // a deletion and a modification of objects not yet returned.
      await create(url, podsPath('sel-a'), podBody('aaa-new'));
      await create(url, podsPath('sel-b'), podBody('zzz-new'));
      const deleted = await request(url).delete(`${podsPath('sel-b')}/cache-1`).timeout(REQUEST_TIMEOUT_MS);
      assert.equal(deleted.status, 200);
      const relabelled = await request(url)
        .patch(`${podsPath('sel-b')}/web-1`)
        .timeout(REQUEST_TIMEOUT_MS)
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ metadata: { labels: { app: 'moved' } } }));
      assert.equal(relabelled.status, 200);
    });
    assert.ok(pages.length >= 3);
    for (const page of pages) assert.equal(page.metadata.resourceVersion, pages[0]!.metadata.resourceVersion, 'one revision for every page');
    assert.equal(pages[0]!.metadata.resourceVersion, snapshot.metadata.resourceVersion);
    assert.deepEqual(items, snapshot.items, 'the pages join up to the list as it was when paging began');

    const now = await list(url, '/api/v1/pods');
    assert.deepEqual(keysOf(now.items), ['sel-a/aaa-new', 'sel-a/db-1', 'sel-a/web-1', 'sel-a/web-2', 'sel-b/web-1', 'sel-b/zzz-new']);
    assert.equal(now.items.find((p) => p.metadata.namespace === 'sel-b' && p.metadata.name === 'web-1')?.metadata.labels?.app, 'moved');
  });
});

describe('an expired continue token', () => {
  it('gets 410 Gone (reason Expired) once the event log is compacted past its revision', async () => {
    const t = await startTestServer({ eventLog: { maxEvents: 1, maxAgeMs: 3_600_000 } });
    try {
      await create(t.url, NAMESPACES, namespaceBody('paged'));
      for (const name of ['a', 'b', 'c']) await create(t.url, podsPath('paged'), podBody(name));
      const first = await list(t.url, podsPath('paged'), { limit: 1 });
      const token = first.metadata.continue;
      assert.ok(token, 'a first page with more to come has a continue token');
      await create(t.url, podsPath('paged'), podBody('d'));
      await create(t.url, podsPath('paged'), podBody('e'));
      t.server.compact();
      const response = await request(t.url).get(podsPath('paged')).query({ limit: 1, continue: token }).timeout(REQUEST_TIMEOUT_MS);
      const status = assertStatus(response.body, 410, 'Expired');
      assert.match(status.message, /continue parameter is too old/);
      const fresh = await list(t.url, podsPath('paged'));
      assert.deepEqual(fresh.items.map((p: WireObject) => p.metadata.name), ['a', 'b', 'c', 'd', 'e'], 'a new list without continue works');
    } finally {
      await t.close();
    }
  });
});
