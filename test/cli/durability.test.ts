import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkiffProcess } from '../support/skiff-process.js';

// Every write the server acknowledged must survive `kill -9`: the process gets
// no chance to flush or close anything, so only what each write committed
// before its response was sent can be read back after a restart.

const PODS = '/api/v1/namespaces/default/pods';
const CREATES = 120;
const CONCURRENCY = 16;

interface Ack {
  status: number;
  body: { metadata?: { uid?: string; resourceVersion?: string; labels?: Record<string, string> } };
}

async function call(url: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Ack | undefined> {
  try {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Ack['body'] };
  } catch {
    // The server was killed with this request in flight: not acknowledged.
    return undefined;
  }
}

/** Runs `jobs` with at most `limit` in flight. */
async function pool(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < jobs.length) await jobs[next++]!();
  }));
}

// Bound at create, so the in-process scheduler never rewrites them and each acknowledged resourceVersion is final.
const pod = (name: string) => ({ metadata: { name, labels: { round: '1' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } });

describe('durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kill9-'));
  const data = join(dir, 'skiff.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back every acknowledged create, patch and delete after kill -9 and a restart', async () => {
    const first = SkiffProcess.spawn(['server', '--port', '0', '--data', data, '--log-level', 'warn', '--insecure-serve-http']);
    const created = new Map<string, { uid: string; resourceVersion: string }>();
    const patched = new Map<string, string>();
    const deleted = new Set<string>();
    const touched = new Set<string>();
    try {
      const url = await first.ready();
      await pool(Array.from({ length: CREATES }, (_, i) => async () => {
        const name = `pod-${String(i).padStart(3, '0')}`;
        const ack = await call(url, 'POST', PODS, pod(name));
        assert.equal(ack?.status, 201, JSON.stringify(ack?.body));
        created.set(name, { uid: ack!.body.metadata!.uid!, resourceVersion: ack!.body.metadata!.resourceVersion! });
      }), CONCURRENCY);

      // Second round, killed part-way: patches, deletes and more creates in flight together.
      let acks = 0;
      let killed = false;
      const kill = (): void => {
        if (killed) return;
        killed = true;
        first.child.kill('SIGKILL');
      };
      const jobs: Array<() => Promise<void>> = [];
      for (let i = 0; i < CREATES; i++) {
        const name = `pod-${String(i).padStart(3, '0')}`;
        if (i % 3 === 0) continue;
        touched.add(name);
        jobs.push(async () => {
          if (killed) return;
          if (i % 3 === 1) {
            const ack = await call(url, 'PATCH', `${PODS}/${name}`, { metadata: { labels: { round: '2' } } }, 'application/merge-patch+json');
            if (ack?.status === 200) patched.set(name, ack.body.metadata!.resourceVersion!);
          } else {
            // Grace period 0: these Pods are bound to a node no agent runs, so a graceful delete would only mark them.
            const ack = await call(url, 'DELETE', `${PODS}/${name}?gracePeriodSeconds=0`);
            if (ack?.status === 200) deleted.add(name);
          }
          if (++acks === 40) kill();
        });
      }
      await pool(jobs, CONCURRENCY);
      kill();
      const exit = await first.exit();
      assert.equal(exit.signal, 'SIGKILL');
    } finally {
      await first.stop();
    }
    assert.ok(patched.size > 0 && deleted.size > 0, `some second-round writes were acknowledged (${patched.size} patches, ${deleted.size} deletes)`);

    const second = SkiffProcess.spawn(['server', '--port', '0', '--data', data, '--log-level', 'warn', '--insecure-serve-http']);
    try {
      const url = await second.ready();
      const response = await fetch(`${url}${PODS}`);
      const list = (await response.json()) as { items: Array<{ metadata: { name: string; uid: string; resourceVersion: string; labels: Record<string, string> } }> };
      const stored = new Map(list.items.map((item) => [item.metadata.name, item.metadata]));
      for (const [name, ack] of created) {
        const meta = stored.get(name);
        if (deleted.has(name)) {
          assert.equal(meta, undefined, `${name} was deleted with an acknowledgement`);
          continue;
        }
        if (!touched.has(name)) {
          assert.deepEqual(meta && { uid: meta.uid, resourceVersion: meta.resourceVersion }, ack, `${name} as acknowledged`);
          continue;
        }
        // A second-round write that was in flight at the kill may or may not have landed.
        if (patched.has(name)) {
          assert.equal(meta?.resourceVersion, patched.get(name), `${name} patch acknowledged`);
          assert.equal(meta?.labels.round, '2');
        } else if (meta) {
          assert.equal(meta.uid, ack.uid);
        }
      }
    } finally {
      await second.stop();
    }
  });
});
