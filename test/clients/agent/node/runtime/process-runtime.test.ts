// The process runtime through its real path: a real `skiff server`, a real
// `skiff agent --mode userspace --runtime process` on loopback, Pods created
// through the API and run by the agent as processes.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../../../../clients/client/client.js';
import { endpointSlices, pods, services } from '../../../../../clients/client/resources.js';
import type { ContainerStatus, Pod } from '../../../../../clients/client/types.js';
import { AgentProcess } from '../../../../support/agent-process.js';
import { ServerProcess } from '../../../../support/server-process.js';
import { eventually, httpGet } from '../../support/backends.js';

const NS = 'default';
const NODE = 'runtime-node';
const NODE_IP = '127.0.102.1';
const SERVER_ARGS = ['--service-cidr', '127.98.0.0/16', '--pod-cidr', '127.102.0.0/16'];

interface StateRecord {
  podUid: string;
  container: string;
  process: { pid: number; startTicks: string };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** PIDs of every process whose environment carries this marker (the containers of one test Pod). */
function processesWithEnv(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

describe('process runtime through a real agent', () => {
  let server: ServerProcess;
  let client: KubeClient;
  let agent: AgentProcess;
  let rootDir: string;
  const agentArgs = () => [
    '--server', server.url,
    '--node', NODE,
    '--node-ip', NODE_IP,
    '--mode', 'userspace',
    '--userspace-interface', 'none',
    '--min-sync-period', '100ms',
    '--metrics-address', '',
    '--lease-renew-interval', '500ms',
    '--node-status-update-period', '1s',
    '--runtime', 'process',
    '--root-dir', rootDir,
    '--restart-backoff', '1s',
    '--restart-backoff-max', '4s',
    '--cleanup',
    '--log-level', 'warn',
  ];

  const getPod = (name: string) => client.get(pods, name, { namespace: NS });
  const statusOf = (pod: Pod, container: string): ContainerStatus | undefined => pod.status?.containerStatuses?.find((s) => s.name === container);
  async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, limitMs = 20_000): Promise<T> {
    let last: T | undefined;
    await eventually(
      async () => ok((last = await read())),
      () => `${what}; last seen: ${JSON.stringify(last)}`,
      limitMs,
    );
    return last!;
  }

  before(async () => {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-runtime-'));
    server = await ServerProcess.start({ args: SERVER_ARGS });
    client = new KubeClient({ server: server.url });
    agent = await AgentProcess.start(agentArgs());
  });

  after(async () => {
    await agent?.stop();
    // Whatever the test left behind despite --cleanup is ended here, so no process outlives the test.
    try {
      const state = JSON.parse(fs.readFileSync(path.join(rootDir, 'runtime-state.json'), 'utf8')) as { containers: StateRecord[] };
      for (const record of state.containers) if (alive(record.process.pid)) process.kill(-record.process.pid, 'SIGKILL');
    } catch {
      // No state file: --cleanup removed it with the containers.
    }
    await client?.close();
    await server?.stop();
    fs.rmSync(rootDir, { recursive: true, force: true });
  });

  it('runs a skiff/echo Pod to Running and Ready, and its ClusterIP answers with its name', async () => {
    await client.create(services, {
      metadata: { name: 'echo', namespace: NS },
      spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    });
    await client.create(pods, {
      metadata: { name: 'echo-1', namespace: NS, labels: { app: 'echo' } },
      spec: {
        nodeName: NODE,
        containers: [{ name: 'echo', image: 'skiff/echo', ports: [{ name: 'http', containerPort: 18080 }], readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 } }],
      },
    });
    const pod = await until('echo-1 Running and Ready', () => getPod('echo-1'), (p) => p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True');
    const status = statusOf(pod, 'echo');
    assert.equal(status?.ready, true);
    assert.equal(status?.started, true);
    assert.ok(status?.state?.running?.startedAt !== undefined);
    assert.match(status?.containerID ?? '', /^skiff:\/\/\d+$/);
    const service = await client.get(services, 'echo', { namespace: NS });
    const clusterIP = service.spec?.clusterIP ?? '';
    await until(`ClusterIP ${clusterIP}:8080 answers echo-1`, () => httpGet(clusterIP, 8080).catch((error: Error) => ({ status: 0, body: error.message })), (r) => r.status === 200 && r.body.trim() === 'echo-1');
  });

  it('runs a container as nobody with no_new_privs, its env, fieldRefs and Service variables, and logs its output', async () => {
    await client.create(pods, {
      metadata: { name: 'env-1', namespace: NS },
      spec: {
        nodeName: NODE,
        restartPolicy: 'Never',
        containers: [{
          name: 'main',
          image: 'unknown/shell',
          command: ['/bin/sh', '-c'],
          args: ['echo "name=$MY_NAME ns=$MY_NS ip=$MY_IP node=$MY_NODE greet=$(GREETING) svc=$ECHO_SERVICE_HOST:$ECHO_SERVICE_PORT_HTTP uid=$(id -u) gid=$(id -g) pwd=$(pwd)"; grep NoNewPrivs /proc/self/status; echo oops >&2'],
          workingDir: '/tmp',
          env: [
            { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'MY_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'GREETING', value: 'hello-$(MY_NAME)' },
          ],
        }],
      },
    });
    const pod = await until('env-1 Succeeded', () => getPod('env-1'), (p) => p.status?.phase === 'Succeeded');
    const terminated = statusOf(pod, 'main')?.state?.terminated as { exitCode?: number; reason?: string } | undefined;
    assert.equal(terminated?.exitCode, 0);
    assert.equal(terminated?.reason, 'Completed');
    const service = await client.get(services, 'echo', { namespace: NS });
    const log = fs.readFileSync(path.join(rootDir, 'pods', `${NS}_env-1_${pod.metadata.uid}`, 'main', '0.log'), 'utf8');
    const expected = `name=env-1 ns=default ip=${pod.status?.podIP} node=${NODE} greet=hello-env-1 svc=${service.spec?.clusterIP}:8080 uid=65534 gid=65534 pwd=/tmp`;
    assert.match(log, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z stdout F ${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(log, /stdout F NoNewPrivs:\s+1$/m);
    assert.match(log, /stderr F oops$/m);
  });

  it('reports an unknown image without a command as ErrImagePull, then ImagePullBackOff', async () => {
    await client.create(pods, { metadata: { name: 'pull-1', namespace: NS }, spec: { nodeName: NODE, containers: [{ name: 'app', image: 'example/missing:1' }] } });
    const pulling = (p: Pod) => ['ErrImagePull', 'ImagePullBackOff'].includes(String((statusOf(p, 'app')?.state?.waiting as { reason?: string } | undefined)?.reason));
    const first = await until('pull-1 ErrImagePull', () => getPod('pull-1'), pulling);
    const waiting = statusOf(first, 'app')?.state?.waiting as { reason?: string; message?: string };
    assert.ok(['ErrImagePull', 'ImagePullBackOff'].includes(waiting.reason ?? ''), waiting.reason);
    assert.equal(first.status?.phase, 'Pending');
    await until('pull-1 ImagePullBackOff', () => getPod('pull-1'), (p) => (statusOf(p, 'app')?.state?.waiting as { reason?: string } | undefined)?.reason === 'ImagePullBackOff');
    const pulled = await getPod('pull-1');
    assert.match(String((statusOf(pulled, 'app')?.state?.waiting as { message?: string }).message), /example\/missing:1/);
  });

  it('restarts a crashing container with a growing back-off and shows CrashLoopBackOff', async () => {
    await client.create(pods, {
      metadata: { name: 'crash-1', namespace: NS },
      spec: { nodeName: NODE, containers: [{ name: 'crash', image: 'x', command: ['/bin/sh', '-c', 'echo crashing; exit 3'] }] },
    });
    const messages = new Set<string>();
    const pod = await until(
      'crash-1 in CrashLoopBackOff with a back-off of 4s',
      async () => {
        const current = await getPod('crash-1');
        const waiting = statusOf(current, 'crash')?.state?.waiting as { reason?: string; message?: string } | undefined;
        if (waiting?.reason === 'CrashLoopBackOff') messages.add(/back-off (\S+)/.exec(waiting.message ?? '')?.[1] ?? '?');
        return current;
      },
      () => messages.has('4s'),
      40_000,
    );
    assert.ok(messages.has('1s') || messages.has('2s'), `back-offs seen: ${[...messages].join(', ')}`);
    const status = statusOf(pod, 'crash');
    assert.ok((status?.restartCount ?? 0) >= 3, `restartCount ${status?.restartCount}`);
    const last = status?.lastState?.terminated as { exitCode?: number; reason?: string } | undefined;
    assert.equal(last?.exitCode, 3);
    assert.equal(last?.reason, 'Error');
    assert.equal(pod.status?.phase, 'Running');
  });

  it('restarts a container whose liveness probe fails', async () => {
    await client.create(pods, {
      metadata: { name: 'live-1', namespace: NS },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: 'x', command: ['/bin/sleep', '1000'], livenessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 1, failureThreshold: 2 } }],
      },
    });
    const pod = await until('live-1 restarted', () => getPod('live-1'), (p) => (statusOf(p, 'app')?.restartCount ?? 0) >= 1);
    const last = statusOf(pod, 'app')?.lastState?.terminated as { exitCode?: number } | undefined;
    assert.equal(last?.exitCode, 143, 'ended by SIGTERM');
  });

  it('deleting a Pod sends SIGTERM; its endpoint is terminating until the process exits, then the agent removes the Pod', async () => {
    const marks = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-term-'));
    fs.chmodSync(marks, 0o777);
    try {
      await client.create(services, { metadata: { name: 'term', namespace: NS }, spec: { selector: { app: 'term' }, ports: [{ port: 8081 }] } });
      await client.create(pods, {
        metadata: { name: 'term-1', namespace: NS, labels: { app: 'term' } },
        spec: {
          nodeName: NODE,
          terminationGracePeriodSeconds: 30,
          containers: [{ name: 'app', image: 'x', command: ['/bin/sh', '-c', `trap 'echo got SIGTERM > ${marks}/term; sleep 2; exit 0' TERM; while :; do sleep 0.1; done`] }],
        },
      });
      await until('term-1 Ready', () => getPod('term-1'), (p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True');
      const deleted = await client.delete(pods, 'term-1', { namespace: NS });
      assert.equal((deleted as Pod).metadata.deletionGracePeriodSeconds, 30);
      const slices = () => client.list(endpointSlices, { namespace: NS, labelSelector: 'kubernetes.io/service-name=term' });
      const conditions = await until('a terminating endpoint', async () => (await slices()).items.flatMap((slice) => (slice.endpoints ?? []).map((e) => e.conditions)), (c) => c.some((x) => x?.terminating === true));
      assert.equal(conditions[0]?.ready, false);
      await until('the container got SIGTERM', async () => fs.existsSync(path.join(marks, 'term')), (seen) => seen);
      assert.equal(fs.readFileSync(path.join(marks, 'term'), 'utf8').trim(), 'got SIGTERM');
      await until('term-1 removed once its process exited', () => getPod('term-1').then(() => 'present', () => 'gone'), (state) => state === 'gone', 15_000);
      assert.deepEqual(processesWithEnv('HOSTNAME=term-1'), []);
    } finally {
      fs.rmSync(marks, { recursive: true, force: true });
    }
  });

  it('adopts running containers after an agent crash: no orphan, no duplicate; --cleanup ends them', async () => {
    const before = await getPod('echo-1');
    const pid = Number(/\d+$/.exec(statusOf(before, 'echo')?.containerID ?? '')?.[0]);
    assert.ok(alive(pid));
    await agent.kill();
    assert.ok(alive(pid), 'the container outlives a crashed agent');
    agent = await AgentProcess.start(agentArgs());
    // The restarted agent writes the status again; nothing in it may change.
    await until('echo-1 still Ready after the agent restart', () => getPod('echo-1'), (p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True');
    const afterRestart = await getPod('echo-1');
    assert.equal(statusOf(afterRestart, 'echo')?.containerID, `skiff://${pid}`);
    assert.equal(statusOf(afterRestart, 'echo')?.restartCount, 0);
    const marker = `POD_NAME=echo-1`;
    // Under tsx the echo process may start esbuild's transform service, which inherits its environment; it is no container.
    const commandLine = (p: number): string => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const running = processesWithEnv(marker).filter((p) => !commandLine(p).includes('esbuild --service'));
    assert.equal(running.length, 2, `one shim and one process for echo-1: ${running.map((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')).join(' | ')}`);
    const service = await client.get(services, 'echo', { namespace: NS });
    assert.equal((await httpGet(service.spec?.clusterIP ?? '', 8080)).body.trim(), 'echo-1');
    await agent.stop();
    await until('every container ended by --cleanup', async () => processesWithEnv(marker).length, (n) => n === 0, 15_000);
    assert.equal(fs.existsSync(path.join(rootDir, 'runtime-state.json')), false);
  });
});
