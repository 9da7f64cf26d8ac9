// Memory and CPU limits through cgroup v2: one cgroup per container under
// `<root>/skiff/<node>/`, with memory.max from limits.memory and cpu.max from
// limits.cpu (quota per 100 ms period). The container's shim moves itself in
// before it starts the process, so nothing runs outside it. Where cgroup v2 is
// not mounted or not writable the limits are skipped (and the agent says so once).

import fs from 'node:fs';
import path from 'node:path';
import type { ResourceRequirements } from '../../../client/types.js';

export const CPU_PERIOD_US = 100_000;

const BINARY_SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIX: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource.Quantity as a number ("128Mi", "1G", "500m", "1e3", 2). */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/.exec(value.trim());
  if (match === null) return undefined;
  const number = Number(match[1]);
  if (match[2] !== undefined) return number * BINARY_SUFFIX[match[2]]!;
  if (match[3] !== undefined) return Number(`${match[1]}${match[3]}`);
  return number * DECIMAL_SUFFIX[match[4] ?? '']!;
}

export interface CgroupSettings {
  /** memory.max content; undefined: no memory limit. */
  memoryMax?: string;
  /** cpu.max content; undefined: no CPU limit. */
  cpuMax?: string;
}

export function cgroupSettings(resources: ResourceRequirements | undefined): CgroupSettings {
  const settings: CgroupSettings = {};
  const memory = resources?.limits?.memory;
  const memoryBytes = memory === undefined ? undefined : parseQuantity(memory);
  if (memoryBytes !== undefined && memoryBytes > 0) settings.memoryMax = String(Math.ceil(memoryBytes));
  const cpu = resources?.limits?.cpu;
  const cpus = cpu === undefined ? undefined : parseQuantity(cpu);
  // The kernel refuses a quota under 1 ms; the kubelet rounds up to that minimum too.
  if (cpus !== undefined && cpus > 0) settings.cpuMax = `${Math.max(1000, Math.ceil(cpus * CPU_PERIOD_US))} ${CPU_PERIOD_US}`;
  return settings;
}

export class CgroupManager {
  private constructor(
    private readonly base: string | undefined,
    readonly unavailableReason: string | undefined,
  ) {}

  /** Checks `<root>` for a writable cgroup v2 hierarchy with the memory and cpu controllers. */
  static detect(root: string, nodeName: string): CgroupManager {
    try {
      const controllers = fs.readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').split(/\s+/);
      for (const wanted of ['memory', 'cpu']) if (!controllers.includes(wanted)) return new CgroupManager(undefined, `cgroup v2 at ${root} lacks the ${wanted} controller`);
      const skiff = path.join(root, 'skiff');
      const node = path.join(skiff, nodeName);
      fs.mkdirSync(node, { recursive: true });
      // Controllers must be enabled on every level above the containers' cgroups.
      for (const dir of [root, skiff, node]) fs.writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+memory +cpu');
      return new CgroupManager(node, undefined);
    } catch (error) {
      return new CgroupManager(undefined, `no writable cgroup v2 hierarchy at ${root} (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  get available(): boolean {
    return this.base !== undefined;
  }

  /** Creates the container's cgroup with its limits; returns its cgroup.procs path, or undefined when there is nothing to do. */
  prepare(id: string, settings: CgroupSettings): string | undefined {
    if (this.base === undefined || (settings.memoryMax === undefined && settings.cpuMax === undefined)) return undefined;
    const dir = path.join(this.base, id);
    fs.mkdirSync(dir, { recursive: true });
    if (settings.memoryMax !== undefined) fs.writeFileSync(path.join(dir, 'memory.max'), settings.memoryMax);
    if (settings.cpuMax !== undefined) fs.writeFileSync(path.join(dir, 'cpu.max'), settings.cpuMax);
    return path.join(dir, 'cgroup.procs');
  }

  /** Removes the container's cgroup once its processes are gone. */
  remove(id: string): void {
    if (this.base === undefined) return;
    try {
      fs.rmdirSync(path.join(this.base, id));
    } catch {
      // Not there, or a process still in it: the next removal tries again.
    }
  }
}
