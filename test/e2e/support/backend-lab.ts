// One network namespace that plays a whole node for a kernel backend's
// tests: the node address and "pod" addresses on a local interface, one
// example backend process answering on each pod address, and curl to reach
// Services from the node itself (the output path).

import { type LabProcess, NetnsLab, REPO_ROOT, addPodInterface } from './netns.js';
import type { CommandRunner } from '../../../clients/agent/proxy/command-runner.js';
import { createCommandRunner } from '../../../clients/agent/proxy/command-runner.js';

export const NODE_IP = '10.250.0.11';
/** ClusterIPs are routed to the pod interface: nothing answers there unless a rule DNATs. */
export const SERVICE_CIDR = '10.96.0.0/16';

export interface CurlResult {
  /** curl's exit status: 0 answered, 7 refused, 28 timed out. */
  code: number;
  body: string;
}

export class BackendLab {
  readonly lab = new NetnsLab();
  ns = '';
  private backend: LabProcess | undefined;

  /** A CommandRunner that runs everything inside the namespace. */
  get runner(): CommandRunner {
    return createCommandRunner({ wrapper: ['ip', 'netns', 'exec', this.ns] });
  }

  /** Creates the namespace and starts one backend per `podIP=name`. */
  async start(role: string, pods: Record<string, string>): Promise<void> {
    this.ns = await this.lab.addNamespace(role);
    await addPodInterface(this.lab, this.ns, 'pods0');
    await this.lab.ip(this.ns, ['addr', 'add', `${NODE_IP}/24`, 'dev', 'pods0']);
    for (const ip of Object.keys(pods)) await this.lab.ip(this.ns, ['addr', 'add', `${ip}/32`, 'dev', 'pods0']);
    await this.lab.ip(this.ns, ['route', 'add', SERVICE_CIDR, 'dev', 'pods0']);
    const listen = Object.entries(pods).flatMap(([ip, name]) => ['--listen', `${ip}:8080=${name}`]);
    this.backend = this.lab.spawnIn(this.ns, [process.execPath, '--import', 'tsx', `${REPO_ROOT}clients/example-backend/example-backend.ts`, ...listen]);
    for (const name of Object.values(pods)) await this.backend.waitFor(new RegExp(`listening \\S+ ${name}$`, 'm'));
  }

  /** One HTTP request from the node itself; a refusal comes back as exit status 7 at once, a drop as 28 after maxTime. */
  async curl(url: string, maxTimeSeconds = 5): Promise<CurlResult> {
    const result = await this.lab.execIn(this.ns, ['curl', '-s', '--max-time', String(maxTimeSeconds), url]);
    return { code: result.code, body: result.stdout.trim() };
  }

  /** The set of pod names that answered `count` requests (failures included as `curl exit N`). */
  async answers(url: string, count: number): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const result = await this.curl(url);
      seen.add(result.code === 0 ? result.body : `curl exit ${result.code}`);
    }
    return seen;
  }

  async destroy(): Promise<void> {
    await this.lab.destroy();
  }
}
