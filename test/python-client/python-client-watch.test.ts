import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skiffKubeconfig } from '../kubectl/kubectl-harness.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { create, mergePatch, remove } from '../api/watch/api-requests.js';
import { namespaces, pods } from '../api/watch/fixtures.js';

// The official Python client (Debian's python3-kubernetes, for the system
// interpreter) watching pods through its everyday loop,
// watch.Watch().stream(v1.list_namespaced_pod), against a skiff server on a
// free loopback port, configured by the kubeconfig `skiff kubeconfig` prints.
// The client sends `watch=True`, which kube-apiserver reads as true.

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./watch_pods.py', import.meta.url));
/** The watch's own timeoutSeconds; the process is killed a little after it. */
const WATCH_SECONDS = 30;

interface PrintedEvent {
  type: string;
  name: string;
  kind: string;
  resourceVersion: string;
  labels: Record<string, string>;
}

/** The script as a child process: its printed events, collected as they come. */
class PythonWatch {
  readonly events: PrintedEvent[] = [];
  private stderr = '';
  private pending = '';
  readonly exited: Promise<number | null>;
  private readonly killTimer: NodeJS.Timeout;

  constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.pending += chunk;
      let newline = this.pending.indexOf('\n');
      while (newline >= 0) {
        const line = this.pending.slice(0, newline).trim();
        this.pending = this.pending.slice(newline + 1);
        if (line) this.events.push(JSON.parse(line) as PrintedEvent);
        newline = this.pending.indexOf('\n');
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    this.killTimer = setTimeout(() => child.kill('SIGKILL'), (WATCH_SECONDS + 15) * 1000);
  }

  describe(): string {
    return `events: ${JSON.stringify(this.events)}\n--- stderr\n${this.stderr}`;
  }

  async waitFor(done: (events: readonly PrintedEvent[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.events)) {
      if (Date.now() > deadline || this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`the Python client's watch: ${what} not seen\n${this.describe()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  stop(): void {
    clearTimeout(this.killTimer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

describe('the official Python client', () => {
  let server: TestServer;
  let dir: string;
  let kubeconfig: string;
  const NS = 'python';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-python-'));
    server = await startTestServer();
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, await skiffKubeconfig(server.url));
    await create(server.url, namespaces.collection(), namespaces.body(NS));
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sees ADDED, MODIFIED and DELETED for a pod through watch.Watch().stream(v1.list_namespaced_pod)', async () => {
    // The sentinel, there before the watch, arrives as its first ADDED event: then the watch is live.
    await create(server.url, pods.collection(NS), pods.body('sentinel'));
    const watch = new PythonWatch(spawn(PYTHON, [SCRIPT, kubeconfig, NS, 'sentinel', 'target', String(WATCH_SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      await watch.waitFor((events) => events.some((e) => e.name === 'sentinel'), 'the sentinel pod');

      const added = await create(server.url, pods.collection(NS), pods.body('target', { step: 'one' }));
      const modified = await mergePatch(server.url, `${pods.collection(NS)}/target`, { metadata: { labels: { step: 'two' } } });
      const deleted = await remove(server.url, `${pods.collection(NS)}/target?gracePeriodSeconds=0`);

      const code = await watch.exited;
      assert.equal(code, 0, watch.describe());
      const target = watch.events.filter((e) => e.name === 'target');
      assert.deepEqual(
        target.map((e) => [e.type, e.kind, Number(e.resourceVersion), e.labels.step]),
        [
          ['ADDED', 'V1Pod', added.revision, 'one'],
          ['MODIFIED', 'V1Pod', modified.revision, 'two'],
          ['DELETED', 'V1Pod', deleted.revision, 'two'],
        ],
        watch.describe(),
      );
    } finally {
      watch.stop();
    }
  });
});
