// A two-node skiff cluster in network namespaces:
//
//   control ns:  bridge br0 10.250.0.1/24, `skiff server` on https://10.250.0.1:8080
//   node-1 ns:   eth0 10.250.0.11/24 (veth to br0), `skiff agent --mode <mode>`,
//                pods0 holding this node's pod IPs, one example backend per pod
//   node-2 ns:   eth0 10.250.0.12/24, likewise
//
// The test plays the network plugin: pod addresses come from each Node's
// spec.podCIDR (assigned by the server), and each node routes the other's
// podCIDR via the other's eth0 address. The API is reached with curl from
// inside the control namespace, since nothing here touches the host network.
// The server serves TLS with its PKI in a temporary folder; the test calls it
// as system:admin, each agent with its node's client certificate.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabProcess, NetnsLab, REPO_ROOT, addPodInterface } from './netns.js';
import { kubeconfigFor } from '../../../cli/kubeconfig-command.js';
import { issueCertificate } from '../../../api/pki/certificates.js';
import { readCertificateAuthority } from '../../../api/pki/pki-folder.js';

export type KernelMode = 'nftables' | 'iptables';

export const CONTROL_IP = '10.250.0.1';
export const API_PORT = 8080;

export interface LabNode {
  name: string;
  ns: string;
  ip: string;
  podCIDR: string;
  agent: LabProcess;
}

export interface LabPod {
  name: string;
  node: LabNode;
  ip: string;
  backend: LabProcess;
  /** When its backend began listening: the earliest it can pass a readiness probe. */
  servingSince: number;
}

/** Kubernetes objects as JSON: the test only reads a few fields. */
export type KubeObject = {
  metadata?: { name?: string; resourceVersion?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
} & Record<string, unknown>;

export class ClusterLab {
  readonly lab = new NetnsLab();
  control = '';
  readonly nodes: LabNode[] = [];
  readonly pods = new Map<string, LabPod>();
  private server: LabProcess | undefined;
  private readonly pkiDir = mkdtempSync(join(tmpdir(), 'skiff-e2e-pki-'));

  constructor(readonly mode: KernelMode) {}

  async start(): Promise<void> {
    this.control = await this.lab.addNamespace('ctl');
    await this.lab.ip(this.control, ['link', 'add', 'br0', 'type', 'bridge']);
    await this.lab.ip(this.control, ['addr', 'add', `${CONTROL_IP}/24`, 'dev', 'br0']);
    await this.lab.ip(this.control, ['link', 'set', 'br0', 'up']);

    this.server = this.lab.spawnIn(this.control, [
      process.execPath, '--import', 'tsx', 'cli/main.ts', 'server',
      '--host', CONTROL_IP, '--port', String(API_PORT), '--data', ':memory:', '--pki-dir', this.pkiDir, '--log-level', 'warn',
      '--service-cidr', '10.96.0.0/16', '--pod-cidr', '10.244.0.0/16',
    ]);
    await this.server.waitFor(/skiff server listening on/);
    const ca = readCertificateAuthority(this.pkiDir);
    const admin = await issueCertificate(ca, { commonName: 'system:admin', organizations: ['system:masters'], usage: 'client' });
    writeFileSync(join(this.pkiDir, 'admin.crt'), admin.cert);
    writeFileSync(join(this.pkiDir, 'admin.key'), admin.key, { mode: 0o600 });

    const nodeNamespaces: Array<{ name: string; ns: string; ip: string }> = [];
    for (const index of [1, 2]) {
      const name = `node-${index}`;
      const ns = await this.lab.addNamespace(`n${index}`);
      const ip = `10.250.0.${10 + index}`;
      const bridgePort = `n${index}-${this.lab.suffix}`;
      await this.lab.ip(this.control, ['link', 'add', bridgePort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await this.lab.ip(this.control, ['link', 'set', bridgePort, 'master', 'br0', 'up']);
      await this.lab.ip(ns, ['addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      await this.lab.ip(ns, ['link', 'set', 'eth0', 'up']);
      // Service addresses must be routable for connect() to reach the output hook.
      await this.lab.ip(ns, ['route', 'add', 'default', 'via', CONTROL_IP]);
      await this.lab.sysctl(ns, 'net.ipv4.ip_forward', '1');
      for (const scope of ['all', 'default', 'eth0']) await this.lab.sysctl(ns, `net.ipv4.conf.${scope}.rp_filter`, '0');
      await addPodInterface(this.lab, ns, 'pods0');
      nodeNamespaces.push({ name, ns, ip });
    }

    for (const { name, ns, ip } of nodeNamespaces) {
      const identity = await issueCertificate(ca, { commonName: `system:node:${name}`, organizations: ['system:nodes'], usage: 'client' });
      const kubeconfig = join(this.pkiDir, `${name}.kubeconfig`);
      writeFileSync(kubeconfig, kubeconfigFor(`https://${CONTROL_IP}:${API_PORT}`, name, { ca: ca.cert, clientCert: identity.cert, clientKey: identity.key }), { mode: 0o600 });
      const agent = this.lab.spawnIn(ns, [
        process.execPath, '--import', 'tsx', 'cli/main.ts', 'agent',
        '--mode', this.mode, '--node', name, '--node-ip', ip, '--runtime', 'none',
        '--kubeconfig', kubeconfig,
        '--metrics-address', '127.0.0.1:10249', '--log-level', 'warn',
      ]);
      await agent.waitFor(/skiff agent ready:/);
      const node = await this.waitFor(`${name} has a podCIDR`, async () => {
        const object = await this.api('GET', `/api/v1/nodes/${name}`);
        const podCIDR = object.spec?.podCIDR;
        return typeof podCIDR === 'string' ? podCIDR : undefined;
      });
      this.nodes.push({ name, ns, ip, podCIDR: node, agent });
    }
    // The network plugin's part: each node reaches the other's pods through it.
    for (const node of this.nodes) {
      for (const other of this.nodes) {
        if (other !== node) await this.lab.ip(node.ns, ['route', 'add', other.podCIDR, 'via', other.ip]);
      }
    }
  }

  node(name: string): LabNode {
    const node = this.nodes.find((n) => n.name === name);
    if (node === undefined) throw new Error(`no node ${name}`);
    return node;
  }

  /** One API call through curl in the control namespace; throws on an HTTP error with the Status message. */
  async api(method: string, path: string, body?: unknown): Promise<KubeObject> {
    const args = [
      'curl', '-s', '-S', '--max-time', '20', '-X', method, '-w', '\n%{http_code}',
      '--cacert', join(this.pkiDir, 'ca.crt'), '--cert', join(this.pkiDir, 'admin.crt'), '--key', join(this.pkiDir, 'admin.key'),
      `https://${CONTROL_IP}:${API_PORT}${path}`,
    ];
    if (body !== undefined) args.push('-H', 'Content-Type: application/json', '--data-binary', '@-');
    const result = await this.lab.execIn(this.control, args, body === undefined ? {} : { input: JSON.stringify(body) });
    const text = result.stdout;
    const cut = text.lastIndexOf('\n');
    const status = Number(text.slice(cut + 1));
    const json = text.slice(0, cut);
    if (result.code !== 0 || status >= 400) throw new Error(`${method} ${path} → ${status || `curl exit ${result.code}`}: ${json || result.stderr}`);
    return (json === '' ? {} : JSON.parse(json)) as KubeObject;
  }

  /**
   * Creates a Pod bound to `nodeName` with a readiness probe on /ready, puts
   * the address the server gave it on that node, and starts its backend.
   */
  async addPod(name: string, nodeName: string, labels: Record<string, string> = { app: 'web' }): Promise<LabPod> {
    const node = this.node(nodeName);
    const created = await this.api('POST', '/api/v1/namespaces/default/pods', {
      metadata: { name, labels },
      spec: {
        nodeName,
        containers: [{
          name: 'web',
          image: 'skiff/example-backend',
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 1 },
        }],
      },
    });
    const ip = created.status?.podIP;
    if (typeof ip !== 'string') throw new Error(`pod ${name} got no IP from ${node.podCIDR}: ${JSON.stringify(created.status)}`);
    await this.lab.ip(node.ns, ['addr', 'add', `${ip}/32`, 'dev', 'pods0']);
    const backend = this.lab.spawnIn(node.ns, [process.execPath, '--import', 'tsx', `${REPO_ROOT}clients/example-backend/example-backend.ts`, '--listen', `${ip}:8080=${name}`]);
    await backend.waitFor(/example-backend listening/);
    const pod = { name, node, ip, backend, servingSince: Date.now() };
    this.pods.set(name, pod);
    return pod;
  }

  /** Deletes the Pod, stops its backend and removes its address. */
  async removePod(name: string): Promise<void> {
    const pod = this.pods.get(name);
    if (pod === undefined) return;
    await this.api('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
    await this.lab.stop(pod.backend);
    await this.lab.ip(pod.node.ns, ['addr', 'del', `${pod.ip}/32`, 'dev', 'pods0']);
    this.pods.delete(name);
  }

  /** Makes the pod's /ready answer 200 or 503 (asked from its own node). */
  async setReady(name: string, ready: boolean): Promise<void> {
    const pod = this.pods.get(name);
    if (pod === undefined) throw new Error(`no pod ${name}`);
    await this.lab.mustExecIn(pod.node.ns, ['curl', '-s', '--max-time', '5', '-X', 'POST', `http://${pod.ip}:8080/ready/${ready}`]);
  }

  /** One request from a node namespace: exit 0 with the pod name, 7 refused, 28 timed out. */
  async curlFrom(nodeName: string, url: string, maxTimeSeconds = 5): Promise<{ code: number; body: string }> {
    const result = await this.lab.execIn(this.node(nodeName).ns, ['curl', '-s', '--max-time', String(maxTimeSeconds), url]);
    return { code: result.code, body: result.stdout.trim() };
  }

  /** Who answered `count` requests from `nodeName` (failures as `curl exit N`). */
  async answers(nodeName: string, url: string, count: number): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const result = await this.curlFrom(nodeName, url);
      seen.add(result.code === 0 ? result.body : `curl exit ${result.code}`);
    }
    return seen;
  }

  /** Requests until every one of `expected` has answered (or `limit` requests); returns who answered. */
  async answersUntilAll(nodeName: string, url: string, expected: readonly string[], limit = 60): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < limit && !expected.every((name) => seen.has(name)); i++) {
      const result = await this.curlFrom(nodeName, url);
      seen.add(result.code === 0 ? result.body : `curl exit ${result.code}`);
    }
    return seen;
  }

  /** The forwarding rules of a node as its kernel holds them: `nft list ruleset` or `iptables-save`. */
  async rules(nodeName: string): Promise<string> {
    const command = this.mode === 'nftables' ? ['nft', 'list', 'ruleset'] : ['iptables-save'];
    return this.lab.mustExecIn(this.node(nodeName).ns, command);
  }

  /** Polls until `check` on every node's rules holds; returns the milliseconds it took. */
  async waitForRules(what: string, check: (rules: string) => boolean, timeoutMs = 20_000): Promise<number> {
    const started = Date.now();
    await this.waitFor(what, async () => {
      for (const node of this.nodes) if (!check(await this.rules(node.name))) return undefined;
      return true;
    }, timeoutMs);
    return Date.now() - started;
  }

  /** Polls `probe` every 100 ms until it returns a value. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        const logs = this.nodes.map((n) => `--- agent ${n.name}:\n${n.agent.output().slice(-2000)}`).join('\n');
        throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}\n${logs}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async destroy(): Promise<void> {
    await this.lab.destroy();
    rmSync(this.pkiDir, { recursive: true, force: true });
  }
}
