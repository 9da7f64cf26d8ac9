import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../../storage/sqlite-store.js';
import { auditServiceAllocations } from './allocation-audit.js';
import { ServerProcess } from '../../support/server-process.js';
import { planBurst, runBurst, seededRandom } from './service-burst.js';

// Two `skiff server` processes on one SQLite file create 500 Services at the
// same time. Double allocation is prevented only by the allocation table's
// unique key inside each write transaction — neither process knows the other.

const RANGES = { serviceCidr: '10.96.0.0/22', nodePortRange: { from: 30000, to: 31999 } };
const RANGE_FLAGS = ['--service-cidr', RANGES.serviceCidr, '--node-port-range', '30000-31999'];
const CONFLICT = String.raw`spec\.(clusterIPs\[0\]|ports\[\d\]\.nodePort): Invalid value: [^:]+: provided (IP|port) is already allocated`;
/** One allocation conflict, or several in Kubernetes' bracketed list. */
const ALLOCATION_CONFLICT = new RegExp(String.raw`^Service "svc-\d+" is invalid: (${CONFLICT}|\[${CONFLICT}(, ${CONFLICT})*\])$`);

describe('two server processes on one database file', () => {
  const seed = Number(process.env.SKIFF_BURST_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const dir = mkdtempSync(join(tmpdir(), 'skiff-two-'));
  const dataPath = join(dir, 'skiff.db');
  const servers: ServerProcess[] = [];
  before(async () => {
    servers.push(await ServerProcess.start({ dataFile: dataPath, args: RANGE_FLAGS }));
    servers.push(await ServerProcess.start({ dataFile: dataPath, args: RANGE_FLAGS }));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates 500 Services concurrently with no address or port handed out twice', async (t) => {
    const plan = planBurst(500, 2, RANGES, seededRandom(seed));
    const outcomes = await runBurst(plan, servers.map((s) => s.url), 16);
    const context = `seed ${seed} (replay with SKIFF_BURST_SEED=${seed})`;

    assert.equal(outcomes.length, 500);
    const count = (status: number): number => outcomes.filter((o) => o.status === status).length;
    t.diagnostic(`${context}: ${count(201)} created, ${count(422)} allocation conflicts, ${count(409)} name conflicts`);
    for (const outcome of outcomes) {
      if (outcome.status === 201) continue;
      if (outcome.status === 409) {
        assert.equal(outcome.reason, 'AlreadyExists', `${context}: ${JSON.stringify(outcome)}`);
        continue;
      }
      assert.equal(outcome.status, 422, `${context}: ${JSON.stringify(outcome)}`);
      assert.match(outcome.message ?? '', ALLOCATION_CONFLICT, context);
    }
    assert.ok(outcomes.some((o) => o.status === 201 && o.target === 0) && outcomes.some((o) => o.status === 201 && o.target === 1), 'both processes created Services');

    const store = new SqliteStore({ path: dataPath });
    try {
      const stored = store.list({ resource: 'services', namespace: 'default' }).items.filter((item) => item.name.startsWith('svc-'));
      const created = new Set(outcomes.filter((o) => o.status === 201).map((o) => o.name));
      assert.equal(outcomes.filter((o) => o.status === 201).length, created.size, `${context}: a name was created twice`);
      assert.deepEqual(stored.map((item) => item.name).sort(), [...created].sort(), context);
      assert.deepEqual(auditServiceAllocations(store, RANGES), [], context);
    } finally {
      store.close();
    }
  });
});
