import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../storage/sqlite-store.js';
import { countSyncs, straceSkipReason, syncTraceWrapper } from '../support/sync-trace.js';
import { REPO_ROOT, SkiffProcess } from '../support/skiff-process.js';

// A write is answered only after it is on disk (storage/README.md, Durability):
// each acknowledged commit must have synced the database or its WAL, which
// strace sees as fsync/fdatasync calls on those files.

const WRITES = 50;
const skip = straceSkipReason() ?? false;
const GROUPED_WRITER = fileURLToPath(new URL('../storage/support/grouped-writer.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

const pod = (name: string) => ({ metadata: { name }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } });

async function create(url: string, name: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/namespaces/default/pods`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(pod(name)),
  });
  assert.equal(response.status, 201, await response.text());
}

describe('every acknowledged write is synced', { skip }, () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'skiff-sync-')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${WRITES} sequential creates over HTTP make at least ${WRITES} syncs of the database or its WAL`, async () => {
    const data = join(dir, 'server.db');
    const trace = join(dir, 'server.strace');
    const isStoreFile = (path: string): boolean => path === data || path === `${data}-wal`;
    const server = SkiffProcess.spawn(['server', '--port', '0', '--data', data, '--log-level', 'warn', '--insecure-serve-http'], { wrapper: syncTraceWrapper(trace) });
    try {
      const url = await server.ready();
      await create(url, 'warm-up');
      const before = countSyncs(trace, isStoreFile);
      for (let i = 0; i < WRITES; i++) await create(url, `pod-${i}`);
      const syncs = countSyncs(trace, isStoreFile) - before;
      assert.ok(syncs >= WRITES, `${syncs} syncs of ${data} or its WAL during ${WRITES} acknowledged creates`);
    } finally {
      await server.stop();
    }
  });

  it('commits writes queued together with one sync, and sequential ones with one each', async () => {
    const data = join(dir, 'grouped.db');
    const trace = join(dir, 'grouped.strace');
    const isWal = (path: string): boolean => path === `${data}-wal`;
    const [command, ...prefix] = syncTraceWrapper(trace);
    const child = spawn(command!, [...prefix, process.execPath, '--import', TSX, GROUPED_WRITER, data], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const replies = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const run = async (line: string): Promise<number> => {
      const before = countSyncs(trace, isWal);
      child.stdin!.write(`${line}\n`);
      const reply = await replies.next();
      assert.equal(reply.value, 'done', `the writer answered ${String(reply.value)}`);
      return countSyncs(trace, isWal) - before;
    };
    try {
      await run('sequential 1'); // the first commit also writes (and syncs) the WAL header
      assert.equal(await run(`group ${WRITES}`), 1, `${WRITES} writes queued in one tick share one WAL sync`);
      assert.ok(await run(`sequential ${WRITES}`) >= WRITES, 'each awaited write has its own sync');
    } finally {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  });
});

describe('an in-memory store', () => {
  it('takes direct and grouped writes and reads them back (it has no file to sync)', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    try {
      const encode = (name: string) => (revision: number) => ({ value: JSON.stringify({ name, revision }), labels: { app: 'x' } });
      store.transaction((txn) => txn.create({ resource: 'pods', namespace: 'default', name: 'a' }, encode('a')));
      await Promise.all(['b', 'c'].map((name) => store.transactionGrouped((txn) => txn.create({ resource: 'pods', namespace: 'default', name }, encode(name)))));
      const listed = store.list({ resource: 'pods', namespace: 'default', labelTerms: [{ key: 'app', values: ['x'] }] });
      assert.deepEqual(listed.items.map((item) => item.name), ['a', 'b', 'c']);
      assert.equal(listed.revision, 3);
    } finally {
      store.close();
    }
  });
});
