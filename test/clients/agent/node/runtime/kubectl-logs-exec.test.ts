// `kubectl logs` and `kubectl exec` end to end: the real kubectl against a
// real `skiff server`, which proxies pods/log and pods/exec (WebSocket) to the
// kubelet endpoint of a real agent that runs the Pods as processes and keeps
// their output in CRI-format log files.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../../../../clients/client/client.js';
import { nodes, pods } from '../../../../../clients/client/resources.js';
import type { Pod } from '../../../../../clients/client/types.js';
import { AgentProcess } from '../../../../support/agent-process.js';
import { ServerProcess } from '../../../../support/server-process.js';
import { KubectlWatch, skiffKubeconfig } from '../../../../kubectl/kubectl-harness.js';
import { eventually } from '../../support/backends.js';

const NS = 'default';
const NODE = 'logs-node';
const NODE_IP = '127.0.103.1';
const SERVER_ARGS = ['--service-cidr', '127.99.0.0/16', '--pod-cidr', '127.103.0.0/16'];

function shellPod(name: string, script: string): Pod {
  return { metadata: { name, namespace: NS }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'x', command: ['/bin/sh', '-c', script] }] } };
}

describe('kubectl logs and exec through the API server and the agent', () => {
  let server: ServerProcess;
  let client: KubeClient;
  let agent: AgentProcess;
  let dir: string;
  let kubeconfig: string;

  function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const argv = ['--cache-dir', fs.mkdtempSync(path.join(dir, 'cache-')), ...args];
    return new Promise((resolve) => {
      execFile('kubectl', argv, { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });
  }
  async function ok(args: string[]): Promise<string> {
    const result = await kubectl(args);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }
  const getPod = (name: string) => client.get(pods, name, { namespace: NS });
  async function untilPod(name: string, what: string, ok: (pod: Pod) => boolean): Promise<Pod> {
    let last: Pod | undefined;
    await eventually(async () => ok((last = await getPod(name))), () => `${name}: ${what}; status ${JSON.stringify(last?.status?.containerStatuses)}`, 20_000);
    return last!;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-logs-'));
    server = await ServerProcess.start({ args: SERVER_ARGS });
    client = new KubeClient({ server: server.url });
    kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, await skiffKubeconfig(server.url));
    agent = await AgentProcess.start([
      '--server', server.url, '--node', NODE, '--node-ip', NODE_IP,
      '--mode', 'userspace', '--userspace-interface', 'none', '--metrics-address', '',
      '--runtime', 'process', '--root-dir', path.join(dir, 'agent'), '--kubelet-port', '0',
      '--restart-backoff', '1s', '--restart-backoff-max', '2s',
      '--cleanup', '--log-level', 'warn',
    ]);
    await client.create(pods, shellPod('steady', 'for i in 1 2 3 4 5; do echo "line $i"; done; echo "err line" >&2; exec sleep 1000'));
    await untilPod('steady', 'running', (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined);
  });

  after(async () => {
    await agent?.stop();
    await client?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the kubelet port in the Node status', async () => {
    const node = await client.get(nodes, NODE);
    assert.ok((node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0) > 0);
  });

  it('prints what the container wrote, its tail, with timestamps and within a byte limit', async () => {
    const all = 'line 1\nline 2\nline 3\nline 4\nline 5\nerr line\n';
    await eventually(async () => (await kubectl(['logs', 'steady'])).stdout === all, async () => `kubectl logs steady: ${JSON.stringify(await kubectl(['logs', 'steady']))}`);
    assert.equal(await ok(['logs', 'steady', '--tail', '2']), 'line 5\nerr line\n');
    assert.match(await ok(['logs', 'steady', '--timestamps', '--tail', '1']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z err line\n$/);
    assert.equal(await ok(['logs', 'steady', '--limit-bytes', '7']), 'line 1\n');
    assert.equal(await ok(['logs', 'steady', '--since', '1h', '--tail', '1']), 'err line\n');
  });

  it('refuses a container the Pod does not have', async () => {
    const result = await kubectl(['logs', 'steady', '-c', 'nope']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /container nope is not valid for pod steady/);
  });

  it('follows the log with -f as the process writes', async () => {
    await client.create(pods, shellPod('follower', 'echo first; sleep 2; echo second; exec sleep 1000'));
    await untilPod('follower', 'running', (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined);
    const child = spawn('kubectl', ['--cache-dir', fs.mkdtempSync(path.join(dir, 'cache-')), 'logs', '-f', 'follower'], { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    const watch = new KubectlWatch(child, ['logs', '-f', 'follower']);
    try {
      await watch.waitFor((out) => out.includes('first\n'), 'first line');
      assert.equal(watch.output.includes('second'), false, 'the second line is not written yet');
      await watch.waitFor((out) => out === 'first\nsecond\n', 'second line, streamed');
    } finally {
      await watch.stop();
    }
  });

  it('prints the previous instance of a restarted container with --previous', async () => {
    await client.create(pods, shellPod('crasher', 'echo "run at $(date +%s%N)"; echo "going down" >&2; exit 2'));
    await untilPod('crasher', 'restarted', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    const previous = await ok(['logs', 'crasher', '--previous']);
    assert.match(previous, /^run at \d+\ngoing down\n$/);
    const none = await kubectl(['logs', 'steady', '--previous']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /previous terminated container "main" in pod "steady" not found/);
  });

  it('runs a command in the container with kubectl exec: its output, its user and environment, and its exit code', async () => {
    assert.equal(await ok(['exec', 'steady', '--', '/bin/sh', '-c', 'echo "out as $(id -u) in $HOSTNAME"; echo "to stderr" >&2']), 'out as 65534 in steady\n');
    const failed = await kubectl(['exec', 'steady', '--', '/bin/sh', '-c', 'echo partial; exit 3']);
    assert.equal(failed.code, 3, failed.stderr);
    assert.equal(failed.stdout, 'partial\n');
    const input = await new Promise<string>((resolve, reject) => {
      const child = execFile('kubectl', ['--cache-dir', fs.mkdtempSync(path.join(dir, 'cache-')), 'exec', '-i', 'steady', '--', '/bin/cat'], { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout)));
      child.stdin?.end('piped through\n');
    });
    assert.equal(input, 'piped through\n');
    const missing = await kubectl(['exec', 'steady', '-c', 'nope', '--', '/bin/true']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /container nope is not valid for pod steady/);
  });
});
