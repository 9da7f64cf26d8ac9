import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../../api/schemas/service.js';
import { SqliteStore } from '../../../storage/sqlite-store.js';
import { auditServiceAllocations } from './allocation-audit.js';
import { ServerProcess } from '../../support/server-process.js';
import { planBurst, runBurst, seededRandom } from './service-burst.js';

// kill -9 cannot tear a write apart (the allocation rows and the Service share
// one SQLite transaction), so a crash mid-burst must leave nothing to repair;
// and a table damaged some other way is put right by the repair pass a server
// runs when it starts.

const RANGES = { serviceCidr: '10.96.0.0/22', nodePortRange: { from: 30000, to: 31999 } };
const RANGE_FLAGS = ['--service-cidr', RANGES.serviceCidr, '--node-port-range', '30000-31999'];
const CLUSTER_POOL = `clusterip:${RANGES.serviceCidr}`;

function withStore<T>(path: string, fn: (store: SqliteStore) => T): T {
  const store = new SqliteStore({ path });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

describe('a server process killed in the middle of a burst', () => {
  const seed = Number(process.env.SKIFF_BURST_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const context = `seed ${seed} (replay with SKIFF_BURST_SEED=${seed})`;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-crash-'));
  const dataPath = join(dir, 'skiff.db');
  const running: ServerProcess[] = [];
  const start = async (): Promise<ServerProcess> => {
    const server = await ServerProcess.start({ dataFile: dataPath, args: RANGE_FLAGS });
    running.push(server);
    return server;
  };
  before(async () => {
    await start();
    await start();
  });
  after(async () => {
    await Promise.all(running.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no leaked or shared address after the killed process restarts', async () => {
    const [victim, survivor] = running;
    assert.ok(victim && survivor);
    let victimAnswers = 0;
    const outcomes = await runBurst(planBurst(500, 2, RANGES, seededRandom(seed)), [victim.url, survivor.url], 16, (outcome) => {
      if (outcome.target === 0 && ++victimAnswers === 60) void victim.crash();
    });
    assert.ok(outcomes.some((o) => o.target === 0 && o.status === 0), `${context}: the victim died with requests in flight`);
    for (const outcome of outcomes) {
      if (outcome.target === 1) assert.ok([201, 409, 422].includes(outcome.status), `${context}: ${JSON.stringify(outcome)}`);
    }
    await start();
    withStore(dataPath, (store) => {
      assert.deepEqual(auditServiceAllocations(store, RANGES), [], context);
      const stored = new Set(store.list({ resource: 'services', namespace: 'default' }).items.map((item) => item.name));
      for (const outcome of outcomes) if (outcome.status === 201) assert.ok(stored.has(outcome.name), `${context}: ${outcome.name} was acknowledged, so it is stored`);
    });
  });

  it('repairs leaked, missing and shared allocations when a server starts', async () => {
    const restarted = running[running.length - 1]!;
    await restarted.stop();
    const [holder, sharer] = withStore(dataPath, (store) => {
      const services = store.list({ resource: 'services', namespace: 'default' }).items
        .map((item) => JSON.parse(item.value) as Service)
        .filter((svc) => svc.spec?.clusterIP && svc.spec.clusterIP !== 'None');
      const [first, second, third] = services;
      assert.ok(first && second && third);
      const owner = (name: string) => ({ resource: 'services', namespace: 'default', name });
      store.transaction((txn) => {
        txn.allocate('nodeport:SCTP', 31999, owner('nobody'));
        const missing = store.allocations(CLUSTER_POOL).find((a) => a.owner.name === third.metadata.name);
        assert.ok(missing);
        txn.release(CLUSTER_POOL, missing.value);
        const key = { ...owner(second.metadata.name ?? ''), resource: 'services' };
        const shared = { ...second, metadata: { ...second.metadata, creationTimestamp: '2999-01-01T00:00:00Z' }, spec: { ...second.spec, clusterIP: first.spec?.clusterIP, clusterIPs: [first.spec?.clusterIP ?? ''] } };
        txn.update(key, (revision) => ({ value: JSON.stringify({ ...shared, metadata: { ...shared.metadata, resourceVersion: String(revision) } }), labels: {} }));
      });
      assert.equal(auditServiceAllocations(store, RANGES).length >= 3, true, 'the damage is visible before the restart');
      return [first, second];
    });

    await start();
    withStore(dataPath, (store) => {
      assert.deepEqual(auditServiceAllocations(store, RANGES), [], context);
      const read = (name: string): Service => JSON.parse(store.get({ resource: 'services', namespace: 'default', name })?.value ?? '{}') as Service;
      assert.equal(read(holder.metadata.name ?? '').spec?.clusterIP, holder.spec?.clusterIP, 'the older Service keeps its address');
      assert.notEqual(read(sharer.metadata.name ?? '').spec?.clusterIP, holder.spec?.clusterIP, 'the younger one gets a fresh address');
    });
  });
});
