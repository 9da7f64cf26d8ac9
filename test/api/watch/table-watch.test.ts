import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../support/test-server.js';
import { create, list } from './api-requests.js';
import { services } from './fixtures.js';
import { closeAll, WatchClient } from './watch-client.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const collection = services.collection('default');

interface TableRow {
  cells: unknown[];
  object?: { kind?: string; metadata?: { name?: string } };
}

describe('watch as kubectl asks for it (Table)', () => {
  it('sends each event as a one-row Table, rendered per includeObject and shared by watchers asking the same', async () => {
    const server = await startTestServer();
    const watches: WatchClient[] = [];
    try {
      const start = (await list(server.url, collection)).revision;
      for (const includeObject of ['None', 'Object', 'None']) {
        watches.push(await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}&includeObject=${includeObject}`, { accept: TABLE }));
      }
      watches.push(await WatchClient.open(server.url, `${collection}?watch=true&resourceVersion=${start}`));
      const written = await create(server.url, collection, services.body('web', { app: 'web' }));
      for (const watch of watches) await watch.waitForCount(1);
      const [none, object, none2, plain] = watches.map((w) => w.events[0]!);

      for (const table of [none!, object!]) {
        assert.equal(table.type, 'ADDED');
        assert.equal(table.object.kind, 'Table');
        assert.equal(table.object.apiVersion, 'meta.k8s.io/v1');
        assert.equal(table.object.metadata?.resourceVersion, String(written.revision));
        assert.equal((table.object.rows as TableRow[]).length, 1);
        assert.equal((table.object.rows as TableRow[])[0]!.cells[0], 'web');
      }
      assert.equal((none!.object.rows as TableRow[])[0]!.object, undefined);
      assert.equal((object!.object.rows as TableRow[])[0]!.object?.kind, 'Service');
      assert.deepEqual(none2, none);
      assert.equal(plain!.object.kind, 'Service');
    } finally {
      closeAll(watches);
      await server.close();
    }
  });
});
