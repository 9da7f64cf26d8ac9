// The node's process runtime: a ContainerWorker per container of every Pod
// bound to this node, the record of what runs (adopted again after an agent
// restart), and the views the status writer, logs and exec read.

import fs from 'node:fs';
import path from 'node:path';
import type { Pod, Probe, Service } from '../../../client/types.js';
import { silentLogger, type Logger } from '../../../client/logger.js';
import type { ObjectSource } from '../../object-source.js';
import { systemClock, type Clock } from '../../timer-clock.js';
import { runProbe, type ProbeOutcome, type Prober } from '../readiness-probe.js';
import { CgroupManager } from './cgroup-limits.js';
import type { ExecContext } from './container-exec.js';
import { ContainerWorker, type ContainerRuntimeStatus } from './container-worker.js';
import { ImageCatalog } from './image-catalog.js';
import { detectLauncher, type Launcher } from './process-launcher.js';
import { signalGroup, isSameProcess } from './process-identity.js';
import { KUBELET_BACKOFF, type BackoffPolicy } from './restart-backoff.js';
import { RuntimeStateFile, type ContainerRecord } from './runtime-state-file.js';
import { serviceEnvForPod } from './service-env.js';

export interface PodRuntimeOptions {
  nodeName: string;
  /** State file, logs and FIFOs live here. */
  rootDir: string;
  catalog?: ImageCatalog;
  /** Services for the containers' environment; none when undefined. */
  services?: ObjectSource<Service>;
  /** cgroup v2 mount point (default /sys/fs/cgroup). */
  cgroupRoot?: string;
  backoff?: BackoffPolicy;
  /** A log file is rotated past this size (default 10 MiB, the kubelet's containerLogMaxSize). */
  logMaxBytes?: number;
  adoptPollMs?: number;
  logger?: Logger;
  clock?: Clock;
  prober?: Prober;
  now?: () => Date;
  launcher?: Launcher;
}

const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

export class PodRuntime {
  private readonly pods = new Map<string, Map<string, ContainerWorker>>();
  /** namespace/name → uid of the newest Pod of that name seen here. */
  private readonly names = new Map<string, string>();
  /** Records of a previous agent, waiting for their Pod to show up in the first list. */
  private adoptable = new Map<string, ContainerRecord[]>();
  private readonly stateFile: RuntimeStateFile;
  private readonly logger: Logger;
  private readonly launcher: Launcher;
  private readonly cgroups: CgroupManager;
  private readonly catalog: ImageCatalog;
  private listeners: Array<(podUid: string) => void> = [];
  private stopped = false;

  constructor(private readonly options: PodRuntimeOptions) {
    this.logger = options.logger ?? silentLogger;
    fs.mkdirSync(path.join(options.rootDir, 'pods'), { recursive: true, mode: 0o711 });
    this.stateFile = new RuntimeStateFile(options.rootDir);
    this.catalog = options.catalog ?? new ImageCatalog();
    this.launcher = options.launcher ?? detectLauncher();
    if (this.launcher.setpriv === undefined) {
      this.logger.warn({}, 'setpriv (util-linux) not found: containers run without no_new_privs; install util-linux to set it');
    }
    if (this.launcher.self.uid !== 0) {
      this.logger.info({ uid: this.launcher.self.uid }, 'the agent is not root: containers run as its own user, and Pods asking for another user cannot start');
    }
    this.cgroups = CgroupManager.detect(options.cgroupRoot ?? '/sys/fs/cgroup', options.nodeName);
    if (!this.cgroups.available) this.logger.info({ reason: this.cgroups.unavailableReason }, 'memory and CPU limits are not enforced');
    for (const record of this.stateFile.read()) {
      const list = this.adoptable.get(record.podUid) ?? [];
      list.push(record);
      this.adoptable.set(record.podUid, list);
    }
  }

  /** Called with a Pod's uid whenever what its status would show changed. */
  onChange(listener: (podUid: string) => void): void {
    this.listeners.push(listener);
  }

  /** Starts the containers of a Pod not seen yet; refreshes the Pod of one that runs. */
  syncPod(pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid ?? '';
    this.names.set(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, uid);
    const existing = this.pods.get(uid);
    if (existing !== undefined) {
      for (const worker of existing.values()) worker.updatePod(pod);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined || isTerminal(pod)) {
      // Nothing of it runs here (or it is done): never start it again.
      if (!this.adoptable.has(uid)) return;
    }
    const records = this.adoptable.get(uid) ?? [];
    this.adoptable.delete(uid);
    const workers = new Map<string, ContainerWorker>();
    this.pods.set(uid, workers);
    for (const container of pod.spec?.containers ?? []) {
      const record = records.find((r) => r.container === container.name);
      workers.set(container.name, new ContainerWorker(this.workerContext(uid), pod, container, record));
    }
    for (const record of records) {
      if (!workers.has(record.container)) this.killRecord(record);
    }
  }

  /**
   * After the first full list: whatever a previous agent started for a Pod
   * that is gone now is ended, so nothing is left behind.
   */
  reapUnclaimed(): void {
    for (const records of this.adoptable.values()) for (const record of records) this.killRecord(record);
    this.adoptable.clear();
    this.persist();
  }

  /** The uid of the Pod of that name this node runs (or ran last). */
  podUid(namespace: string, name: string): string | undefined {
    const uid = this.names.get(`${namespace}/${name}`);
    return uid !== undefined && this.pods.has(uid) ? uid : undefined;
  }

  status(podUid: string, container: string): ContainerRuntimeStatus | undefined {
    return this.pods.get(podUid)?.get(container)?.status();
  }

  /** Whether the runtime has (or had) containers for this Pod. */
  knows(podUid: string): boolean {
    return this.pods.has(podUid);
  }

  /** One attempt of a probe of a running container (undefined: it cannot run yet). */
  probe(podUid: string, container: string, probe: Probe): Promise<ProbeOutcome | undefined> {
    return this.pods.get(podUid)?.get(container)?.probeOnce(probe) ?? Promise.resolve(undefined);
  }

  execContext(podUid: string, container: string): ExecContext | undefined {
    return this.pods.get(podUid)?.get(container)?.execContext();
  }

  logPath(podUid: string, container: string, previous: boolean): string | undefined {
    return this.pods.get(podUid)?.get(container)?.logPath(previous);
  }

  /** Stops every container of the Pod (preStop, SIGTERM, SIGKILL after the grace period); resolves when all have ended. */
  async killPod(podUid: string, graceSeconds: number): Promise<void> {
    const workers = this.pods.get(podUid);
    if (workers === undefined) return;
    await Promise.all([...workers.values()].map((worker) => worker.kill(graceSeconds)));
    this.persist();
  }

  /** The Pod is gone from the API: end its containers and forget it and its files. */
  async removePod(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    await this.killPod(uid, pod.spec?.terminationGracePeriodSeconds ?? 30);
    this.pods.delete(uid);
    this.persist();
    fs.rmSync(this.podDir(pod), { recursive: true, force: true });
  }

  /**
   * Stops watching. With `cleanup` every container is ended (SIGTERM, then
   * SIGKILL after `cleanupGraceSeconds`) and the record removed; otherwise the
   * processes keep running and the record stays for the next agent.
   */
  async stop(cleanup: boolean, cleanupGraceSeconds = 10): Promise<void> {
    if (cleanup) {
      await Promise.all([...this.pods.keys()].map((uid) => this.killPod(uid, cleanupGraceSeconds)));
      for (const records of this.adoptable.values()) for (const record of records) this.killRecord(record);
      this.stopped = true;
      this.stateFile.remove();
      return;
    }
    this.persist();
    this.stopped = true;
    for (const workers of this.pods.values()) for (const worker of workers.values()) worker.detach();
  }

  private killRecord(record: ContainerRecord): void {
    if (!isSameProcess(record.process)) return;
    this.logger.info({ pod: `${record.namespace}/${record.pod}`, container: record.container, pid: record.process.pid }, 'ending a container whose Pod is gone');
    signalGroup(record.process, 'SIGKILL');
  }

  private persist(): void {
    if (this.stopped) return;
    const records: ContainerRecord[] = [];
    for (const workers of this.pods.values()) for (const worker of workers.values()) {
      const record = worker.record();
      if (record !== undefined) records.push(record);
    }
    for (const pending of this.adoptable.values()) records.push(...pending.filter((r) => isSameProcess(r.process)));
    this.stateFile.write(records);
  }

  private podDir(pod: Pod): string {
    return path.join(this.options.rootDir, 'pods', `${pod.metadata.namespace ?? ''}_${pod.metadata.name ?? ''}_${pod.metadata.uid ?? ''}`);
  }

  private workerContext(uid: string) {
    const options = this.options;
    return {
      nodeName: options.nodeName,
      launcher: this.launcher,
      catalog: this.catalog,
      cgroups: this.cgroups,
      clock: options.clock ?? systemClock,
      backoff: options.backoff ?? KUBELET_BACKOFF,
      logMaxBytes: options.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES,
      adoptPollMs: options.adoptPollMs ?? 1000,
      logger: this.logger,
      prober: options.prober ?? runProbe,
      now: options.now ?? (() => new Date()),
      serviceEnv: (pod: Pod) => serviceEnvForPod(options.services?.list() ?? [], pod.metadata.namespace ?? '', pod.spec?.enableServiceLinks ?? true),
      containerDir: (pod: Pod, container: string) => path.join(this.podDir(pod), container),
      changed: () => {
        for (const listener of this.listeners) listener(uid);
      },
      persist: () => this.persist(),
    };
  }
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
