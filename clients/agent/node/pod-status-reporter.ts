// The kubelet's reporting role: for every Pod bound to this node, have the
// runtime run its containers (when the agent runs them), keep a
// readiness-probe worker per probed container and write the Pod's status
// through /status whenever what we would report differs from what is stored
// (and never otherwise: an unchanged status costs no write and no watch event).

import type { KubeClient } from '../../client/client.js';
import { Informer } from '../../client/informer.js';
import { pods as podResource } from '../../client/resources.js';
import type { Pod } from '../../client/types.js';
import { isConflict, isNotFound } from './api-errors.js';
import { silentLogger, type Logger } from '../../client/logger.js';
import { desiredPodStatus, sameStatus } from './pod-status.js';
import { ProbeWorker } from './probe-worker.js';
import type { ObjectSource } from '../object-source.js';
import { runProbe, type Prober } from './readiness-probe.js';
import type { Clock } from '../timer-clock.js';
import type { PodRuntime } from './runtime/pod-runtime.js';

export interface PodStatusReporterOptions {
  client: KubeClient;
  nodeName: string;
  /** Reported as status.hostIP. */
  nodeIP: string | undefined;
  logger?: Logger;
  /** Defaults to an informer on Pods with `spec.nodeName=<node>`. */
  pods?: ObjectSource<Pod>;
  prober?: Prober;
  clock?: Clock;
  /** Wall-clock time for status timestamps. */
  now?: () => Date;
  /**
   * Every Pod's status is checked again this often (default 10 s, the
   * kubelet's status sync period), so a write that failed is retried even if
   * nothing else changes.
   */
  resyncPeriodMs?: number;
  /** Runs the containers; without it every container counts as running (`--runtime none`). */
  runtime?: PodRuntime;
}

interface PodState {
  uid: string;
  pod: Pod;
  workers: Map<string, ProbeWorker>;
  /** The container instance each readiness worker probes (with a runtime: a restart starts readiness over). */
  instances: Map<string, string | undefined>;
  /** A write is in flight; `dirty` asks for one more pass after it. */
  syncing: boolean;
  dirty: boolean;
}

export class PodStatusReporter {
  private readonly pods: ObjectSource<Pod>;
  private readonly logger: Logger;
  private readonly prober: Prober;
  private readonly now: () => Date;
  private readonly states = new Map<string, PodState>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PodStatusReporterOptions) {
    this.logger = options.logger ?? silentLogger;
    this.prober = options.prober ?? runProbe;
    this.now = options.now ?? (() => new Date());
    this.pods =
      options.pods ??
      new Informer(options.client, podResource, { fieldSelector: `spec.nodeName=${options.nodeName}` });
    this.pods
      .on('add', (pod) => this.observe(pod))
      .on('update', (_previous, pod) => this.observe(pod))
      .on('delete', (pod) => this.forget(podKey(pod), true))
      .on('error', (error) => this.logger.warn({ err: error }, 'pod watch interrupted; resuming'));
    options.runtime?.onChange((uid) => {
      for (const [key, state] of this.states) {
        if (state.uid !== uid) continue;
        this.reconcileWorkers(key, state.pod, state);
        this.requestSync(key);
      }
    });
  }

  async start(): Promise<void> {
    this.pods.start();
    await this.pods.waitForSync();
    if (this.stopped) return;
    // Every Pod of the first list has claimed its running containers; the rest belong to no one.
    this.options.runtime?.reapUnclaimed();
    this.resyncTimer = setInterval(() => {
      for (const key of this.states.keys()) this.requestSync(key);
    }, this.options.resyncPeriodMs ?? 10_000);
    this.resyncTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    for (const key of [...this.states.keys()]) this.forget(key, false);
    await this.pods.stop();
    await Promise.all([...this.inFlight]);
  }

  /** Readiness of a probed container as the agent currently sees it (for tests and debugging). */
  probeReady(namespace: string, name: string, container: string): boolean | undefined {
    return this.states.get(`${namespace}/${name}`)?.workers.get(container)?.ready;
  }

  private observe(pod: Pod): void {
    if (this.stopped) return;
    const key = podKey(pod);
    const uid = pod.metadata.uid ?? '';
    let state = this.states.get(key);
    // Same name, new Pod: its containers start over, and so do their probes.
    if (state !== undefined && state.uid !== uid) {
      this.forget(key, true);
      state = undefined;
    }
    if (state === undefined) {
      state = { uid, pod, workers: new Map(), instances: new Map(), syncing: false, dirty: false };
      this.states.set(key, state);
    }
    state.pod = pod;
    this.options.runtime?.syncPod(pod);
    this.reconcileWorkers(key, pod, state);
    this.requestSync(key);
  }

  private reconcileWorkers(key: string, pod: Pod, state: PodState): void {
    const probed = new Set<string>();
    const runtime = this.options.runtime;
    const running = pod.metadata.deletionTimestamp === undefined ? (pod.spec?.containers ?? []) : [];
    for (const container of running) {
      const probe = container.readinessProbe;
      if (probe === undefined) continue;
      // With a runtime, readiness is probed only while the container runs past its startup probe, and starts over with each instance.
      const observed = runtime?.status(state.uid, container.name);
      if (runtime !== undefined && (observed?.instance === undefined || !observed.started)) continue;
      probed.add(container.name);
      if (state.workers.has(container.name) && state.instances.get(container.name) === observed?.instance) continue;
      state.workers.get(container.name)?.stop();
      state.instances.set(container.name, observed?.instance);
      const worker = new ProbeWorker({
        probe,
        runningForMs: runtime === undefined ? this.runningForMs(pod, container.name) : 0,
        clock: this.options.clock,
        attempt: async () => {
          if (runtime !== undefined) return runtime.probe(state.uid, container.name, probe);
          const podIP = this.pods.get(pod.metadata.namespace, pod.metadata.name ?? '')?.status?.podIP;
          if (podIP === undefined || podIP === '') return undefined;
          return this.prober(probe, container, podIP);
        },
        onChange: (ready, outcome) => {
          this.logger.info({ pod: key, container: container.name, ready, result: outcome.message }, 'readiness changed');
          this.requestSync(key);
        },
      });
      state.workers.set(container.name, worker.start());
    }
    for (const [name, worker] of state.workers) {
      if (probed.has(name)) continue;
      worker.stop();
      state.workers.delete(name);
      state.instances.delete(name);
    }
  }

  private runningForMs(pod: Pod, container: string): number {
    const startedAt = pod.status?.containerStatuses?.find((s) => s.name === container)?.state?.running?.startedAt;
    const since = typeof startedAt === 'string' ? Date.parse(startedAt) : NaN;
    return Number.isFinite(since) ? Math.max(0, this.now().getTime() - since) : 0;
  }

  /** Stops tracking a Pod; with `removed`, the Pod is gone and so are its containers. */
  private forget(key: string, removed: boolean): void {
    const state = this.states.get(key);
    if (state === undefined) return;
    for (const worker of state.workers.values()) worker.stop();
    this.states.delete(key);
    if (removed && this.options.runtime !== undefined) {
      const done = this.options.runtime.removePod(state.pod).catch((error: unknown) => this.logger.warn({ err: error, pod: key }, 'cannot remove the containers of a deleted pod'));
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
    }
  }

  private requestSync(key: string): void {
    const state = this.states.get(key);
    if (state === undefined || this.stopped) return;
    if (state.syncing) {
      state.dirty = true;
      return;
    }
    state.syncing = true;
    const running = this.syncLoop(key, state).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  private async syncLoop(key: string, state: PodState): Promise<void> {
    try {
      do {
        state.dirty = false;
        await this.syncOnce(key, state);
      } while (state.dirty && !this.stopped && this.states.get(key) === state);
    } finally {
      state.syncing = false;
    }
  }

  private async syncOnce(key: string, state: PodState): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    let pod = this.pods.get(namespace, name);
    for (let attempt = 0; attempt < 3 && pod !== undefined; attempt++) {
      if (pod.metadata.uid !== state.uid) return;
      if (pod.metadata.deletionTimestamp !== undefined) {
        await this.finishDeletion(key, pod, state);
        return;
      }
      const status = desiredPodStatus(pod, {
        now: this.now().toISOString().replace(/\.\d+Z$/, 'Z'),
        hostIP: this.options.nodeIP,
        probeReady: (container) => state.workers.get(container)?.ready,
        ...(this.options.runtime === undefined ? {} : { runtime: (container: string) => this.options.runtime!.status(state.uid, container) }),
      });
      if (sameStatus(status, pod.status)) return;
      try {
        await this.options.client.updateStatus(podResource, { ...pod, status });
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error)) {
          this.logger.warn({ err: error, pod: key }, 'pod status update failed; retrying on the next change');
          return;
        }
        // Someone wrote the Pod since our cache saw it: take the fresh copy and decide again.
        pod = await this.options.client
          .get(podResource, pod.metadata.name ?? '', { namespace: pod.metadata.namespace })
          .catch((fetchError: unknown) => {
            if (!isNotFound(fetchError)) this.logger.warn({ err: fetchError, pod: key }, 'cannot re-read pod after a conflict');
            return undefined;
          });
      }
    }
  }

  /**
   * A Pod being deleted gracefully waits for its kubelet to stop its
   * containers (preStop, SIGTERM, SIGKILL after the grace period) and then
   * delete it for good (grace period 0, this uid only). Without a runtime the
   * containers are only notional and stop at once.
   */
  private async finishDeletion(key: string, pod: Pod, state: PodState): Promise<void> {
    for (const worker of state.workers.values()) worker.stop();
    state.workers.clear();
    state.instances.clear();
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.options.runtime?.killPod(state.uid, grace);
    try {
      await this.options.client.delete(podResource, pod.metadata.name ?? '', {
        namespace: pod.metadata.namespace,
        gracePeriodSeconds: 0,
        preconditions: { uid: state.uid },
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) this.logger.warn({ err: error, pod: key }, 'cannot finish deleting pod; retrying');
    }
  }
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}
