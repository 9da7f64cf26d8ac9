// One container of one Pod through its life, as the kubelet drives it: resolve
// the image, build the environment, start the process, watch it with startup
// and liveness probes, and when it ends decide by restartPolicy whether and
// when (with the restart back-off) to start it again. Stopping it runs the
// preStop hook, sends SIGTERM, and SIGKILL once the grace period is over.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Container, LifecycleHandler, Pod, Probe } from '../../../client/types.js';
import type { Logger } from '../../../client/logger.js';
import type { Clock, TimerHandle } from '../../timer-clock.js';
import { ProbeWorker } from '../probe-worker.js';
import { resolvePort, type ProbeOutcome, type Prober } from '../readiness-probe.js';
import type { CgroupManager } from './cgroup-limits.js';
import { cgroupSettings } from './cgroup-limits.js';
import { containerCommand } from './container-command.js';
import { containerEnv } from './container-env.js';
import { runInContainer, type ExecContext } from './container-exec.js';
import { ContainerLogWriter } from './container-log-writer.js';
import type { ImageCatalog } from './image-catalog.js';
import { adopt, launch, readExitFile, type ExitStatus, type LaunchedProcess, type Launcher } from './process-launcher.js';
import { signalGroup } from './process-identity.js';
import { formatGoDuration, RestartBackoff, type BackoffPolicy } from './restart-backoff.js';
import { resolveRunAs } from './run-as-user.js';
import type { ContainerRecord, TerminatedRecord } from './runtime-state-file.js';

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: TerminatedRecord };

/** What the status writer reports of a container. */
export interface ContainerRuntimeStatus {
  state: ContainerState;
  lastState?: { terminated: TerminatedRecord };
  restartCount: number;
  /** Running and past its startup probe. */
  started: boolean;
  /** Names the running instance, so readiness starts over with a new one. */
  instance: string | undefined;
  containerID?: string;
  imageID: string;
}

export interface WorkerContext {
  nodeName: string;
  launcher: Launcher;
  catalog: ImageCatalog;
  cgroups: CgroupManager;
  clock: Clock;
  backoff: BackoffPolicy;
  logMaxBytes: number;
  /** How often an adopted process is checked for its end. */
  adoptPollMs: number;
  logger: Logger;
  prober: Prober;
  now: () => Date;
  /** Service variables for a Pod. */
  serviceEnv: (pod: Pod) => ReadonlyMap<string, string>;
  /** The container's directory on the node (logs, FIFOs, exit file). */
  containerDir: (pod: Pod, container: string) => string;
  /** Something a status would show changed. */
  changed: () => void;
  /** The running set changed: write the state file. */
  persist: () => void;
}

const DEFAULT_GRACE_SECONDS = 30;
// After a preStop hook the process still gets this long for SIGTERM (the kubelet's minimum).
const MIN_GRACE_AFTER_HOOK_MS = 2000;

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

export class ContainerWorker {
  private state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  private lastTerminated: TerminatedRecord | undefined;
  private restartCount = 0;
  private started = false;
  private running: { process: LaunchedProcess; startedAt: Date; log: ContainerLogWriter; exec: ExecContext; instance: string } | undefined;
  private retryTimer: TimerHandle | undefined;
  private readonly probes: ProbeWorker[] = [];
  private backoff: RestartBackoff;
  private imagePullFailures = 0;
  /** No more starts: the Pod is going, or the agent stops watching. */
  private finished = false;
  private killing: Promise<void> | undefined;
  private readonly imageID: string;

  constructor(
    private readonly ctx: WorkerContext,
    private pod: Pod,
    readonly container: Container,
    resumed: ContainerRecord | undefined,
  ) {
    this.imageID = `skiff-image://${container.image ?? ''}`;
    this.backoff = new RestartBackoff(ctx.backoff);
    if (resumed !== undefined) {
      this.restartCount = resumed.restartCount;
      this.lastTerminated = resumed.lastTerminated;
      this.backoff = RestartBackoff.resumed(ctx.backoff, resumed.restartCount);
      if (this.tryAdopt(resumed)) return;
      if (!this.resumeEnded(resumed)) return;
    }
    this.attemptStart();
  }

  /**
   * The process ended while no agent watched: record how (the shim wrote its
   * exit code) and say whether restartPolicy starts it again.
   */
  private resumeEnded(record: ContainerRecord): boolean {
    const exit = readExitFile(fifoPaths(this.ctx.containerDir(this.pod, this.container.name)).exitFile);
    const terminated: TerminatedRecord = {
      exitCode: exit.exitCode,
      reason: exit.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: record.startedAt,
      finishedAt: rfc3339(this.ctx.now()),
      containerID: containerID(record.process.pid),
    };
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && exit.exitCode === 0)) {
      this.state = { terminated };
      return false;
    }
    this.lastTerminated = terminated;
    this.restartCount += 1;
    return true;
  }

  get podUid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** The newest copy of the Pod (its IP may have arrived). */
  updatePod(pod: Pod): void {
    this.pod = pod;
    if ('waiting' in this.state && this.state.waiting.reason === 'ContainerCreating' && this.retryTimer === undefined && !this.finished) this.attemptStart();
  }

  status(): ContainerRuntimeStatus {
    const status: ContainerRuntimeStatus = {
      state: this.state,
      restartCount: this.restartCount,
      started: this.running !== undefined && this.started,
      instance: this.running?.instance,
      imageID: this.imageID,
    };
    if (this.lastTerminated !== undefined) status.lastState = { terminated: this.lastTerminated };
    if (this.running !== undefined) status.containerID = containerID(this.running.process.identity.pid);
    else if ('terminated' in this.state && this.state.terminated.containerID !== undefined) status.containerID = this.state.terminated.containerID;
    return status;
  }

  /** What to record while it runs. */
  record(): ContainerRecord | undefined {
    if (this.running === undefined) return undefined;
    const record: ContainerRecord = {
      podUid: this.podUid,
      namespace: this.pod.metadata.namespace ?? '',
      pod: this.pod.metadata.name ?? '',
      container: this.container.name,
      process: this.running.process.identity,
      startedAt: rfc3339(this.running.startedAt),
      restartCount: this.restartCount,
    };
    if (this.lastTerminated !== undefined) record.lastTerminated = this.lastTerminated;
    return record;
  }

  /** Where exec runs, while the container runs. */
  execContext(): ExecContext | undefined {
    return this.running?.exec;
  }

  /** The log file of the current (or, with `previous`, the last) instance. */
  logPath(previous: boolean): string | undefined {
    const index = previous ? this.restartCount - 1 : this.restartCount;
    if (index < 0) return undefined;
    const file = path.join(this.ctx.containerDir(this.pod, this.container.name), `${index}.log`);
    return fs.existsSync(file) ? file : undefined;
  }

  /** Stops the container for good (the Pod is going): preStop, SIGTERM, SIGKILL after `graceSeconds`. */
  kill(graceSeconds: number): Promise<void> {
    this.finished = true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.killing ??= this.stopInstance(graceSeconds, true);
    return this.killing;
  }

  /** Stops watching and leaves the process running for the next agent to adopt. */
  detach(): void {
    this.finished = true;
    this.retryTimer?.cancel();
    this.stopProbes();
    if (this.running !== undefined) {
      this.running.process.stdout.destroy();
      this.running.process.stderr.destroy();
      this.running.log.close();
    }
  }

  private tryAdopt(record: ContainerRecord): boolean {
    const dir = this.ctx.containerDir(this.pod, this.container.name);
    const process = adopt(record.process, fifoPaths(dir), this.ctx.adoptPollMs);
    if (process === undefined) {
      // It ended while no agent watched: its exit code is in the file the shim wrote.
      return false;
    }
    const exec = this.execSetup();
    if ('error' in exec) {
      // The process runs, but its environment cannot be rebuilt: restart it cleanly.
      signalGroup(record.process, 'SIGKILL');
      return false;
    }
    this.ctx.logger.info({ pod: podName(this.pod), container: this.container.name, pid: record.process.pid }, 'adopted running container');
    this.running$(process, new Date(record.startedAt), exec.exec, false);
    return true;
  }

  private attemptStart(): void {
    this.retryTimer = undefined;
    if (this.finished) return;
    const image = this.ctx.catalog.resolve(this.container.image);
    if (image === undefined && (this.container.command ?? []).length === 0) {
      // The kubelet reports ErrImagePull on each failed pull and ImagePullBackOff while it waits for the next.
      this.imagePullFailures += 1;
      const reason = this.imagePullFailures === 1 ? 'ErrImagePull' : 'ImagePullBackOff';
      const message =
        reason === 'ErrImagePull'
          ? `Failed to pull image "${this.container.image ?? ''}": image "${this.container.image ?? ''}" is not in the image catalog of node ${this.ctx.nodeName} (add it with --image NAME=COMMAND, or give the container a command)`
          : `Back-off pulling image "${this.container.image ?? ''}"`;
      this.wait(reason, message, Math.min(this.ctx.backoff.initialMs * 2 ** Math.max(0, this.imagePullFailures - 2), this.ctx.backoff.maxMs));
      return;
    }
    this.imagePullFailures = 0;
    if ((this.pod.status?.podIP ?? '') === '') {
      this.setState({ waiting: { reason: 'ContainerCreating', message: 'waiting for the Pod IP' } });
      return;
    }
    const setup = this.execSetup();
    if ('error' in setup) {
      this.wait('CreateContainerConfigError', setup.error, this.ctx.backoff.initialMs);
      return;
    }
    const argv = containerCommand(this.container, image, setup.exec.env)!;
    const dir = this.ctx.containerDir(this.pod, this.container.name);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const cgroupProcs = this.ctx.cgroups.prepare(cgroupId(this.pod, this.container.name), cgroupSettings(this.container.resources));
      void launch(this.ctx.launcher, { command: argv, env: setup.exec.env, cwd: setup.exec.cwd, user: setup.exec.user, ...fifoPaths(dir), cgroupProcs }).then(
        (process) => {
          if (this.finished) {
            // Stopped (or detached) while it was being started: do not leave it behind.
            signalGroup(process.identity, 'SIGKILL');
            process.stdout.destroy();
            process.stderr.destroy();
            void process.exited.then(() => this.ctx.cgroups.remove(cgroupId(this.pod, this.container.name)));
            return;
          }
          this.running$(process, this.ctx.now(), setup.exec, true);
        },
        (error: unknown) => this.wait('RunContainerError', `failed to start container "${this.container.name}": ${String(error)}`, this.ctx.backoff.initialMs),
      );
    } catch (error) {
      this.wait('RunContainerError', `failed to start container "${this.container.name}": ${error instanceof Error ? error.message : String(error)}`, this.ctx.backoff.initialMs);
    }
  }

  private execSetup(): { exec: ExecContext } | { error: string } {
    const image = this.ctx.catalog.resolve(this.container.image);
    const imageEnv = image?.env?.(this.container, { name: this.pod.metadata.name ?? '', ip: this.pod.status?.podIP ?? '' }) ?? {};
    const env = containerEnv({ pod: this.pod, container: this.container, serviceEnv: this.ctx.serviceEnv(this.pod), imageEnv });
    if ('error' in env) return env;
    const user = resolveRunAs(this.pod, this.container, this.ctx.launcher.self);
    if ('error' in user) return user;
    const cwd = this.container.workingDir !== undefined && this.container.workingDir !== '' ? this.container.workingDir : '/';
    if (!path.isAbsolute(cwd) || !fs.existsSync(cwd)) return { error: `workingDir ${JSON.stringify(cwd)} does not exist on node ${this.ctx.nodeName} (skiff runs processes on the node's own file system)` };
    return { exec: { launcher: this.ctx.launcher, user, env: env.env, cwd } };
  }

  private running$(process: LaunchedProcess, startedAt: Date, exec: ExecContext, fresh: boolean): void {
    const dir = this.ctx.containerDir(this.pod, this.container.name);
    if (fresh) this.pruneLogs(dir);
    const log = new ContainerLogWriter({ path: path.join(dir, `${this.restartCount}.log`), maxBytes: this.ctx.logMaxBytes, now: this.ctx.now });
    log.attach('stdout', process.stdout);
    log.attach('stderr', process.stderr);
    const instance = `${process.identity.pid}-${process.identity.startTicks}`;
    this.running = { process, startedAt, log, exec, instance };
    this.state = { running: { startedAt: rfc3339(startedAt) } };
    this.started = this.container.startupProbe === undefined;
    this.startProbes();
    this.ctx.persist();
    this.ctx.changed();
    void process.exited.then((exit) => this.onExit(instance, exit));
  }

  private async onExit(instance: string, exit: ExitStatus): Promise<void> {
    const running = this.running;
    if (running === undefined || running.instance !== instance) return;
    this.stopProbes();
    // Give the output still in the pipes a moment to reach the log.
    await Promise.race([running.log.whenDrained(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    running.log.close();
    this.running = undefined;
    this.started = false;
    this.ctx.cgroups.remove(cgroupId(this.pod, this.container.name));
    const finishedAt = this.ctx.now();
    const terminated: TerminatedRecord = {
      exitCode: exit.exitCode,
      reason: exit.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: rfc3339(running.startedAt),
      finishedAt: rfc3339(finishedAt),
      containerID: containerID(running.process.identity.pid),
    };
    if (exit.exitCode > 128) terminated.signal = exit.exitCode - 128;
    this.ctx.logger.info({ pod: podName(this.pod), container: this.container.name, exitCode: exit.exitCode }, 'container exited');
    this.state = { terminated };
    this.ctx.persist();
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const restart = !this.finished && (policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0));
    if (!restart) {
      this.ctx.changed();
      return;
    }
    this.lastTerminated = terminated;
    const delay = this.backoff.delayAfterExit(finishedAt.getTime() - running.startedAt.getTime());
    if (delay === 0) {
      this.restartCount += 1;
      this.attemptStart();
      this.ctx.changed();
      return;
    }
    const message = `back-off ${formatGoDuration(delay)} restarting failed container=${this.container.name} pod=${this.pod.metadata.name ?? ''}_${this.pod.metadata.namespace ?? ''}(${this.podUid})`;
    this.setState({ waiting: { reason: 'CrashLoopBackOff', message } });
    this.retryTimer = this.ctx.clock.setTimer(() => {
      this.restartCount += 1;
      this.attemptStart();
      this.ctx.changed();
    }, delay);
  }

  private wait(reason: string, message: string, retryMs: number): void {
    this.setState({ waiting: { reason, message } });
    if (!this.finished) this.retryTimer = this.ctx.clock.setTimer(() => this.attemptStart(), retryMs);
  }

  private setState(state: ContainerState): void {
    this.state = state;
    this.ctx.changed();
  }

  private startProbes(): void {
    const startup = this.container.startupProbe;
    if (startup !== undefined) {
      this.addProbe(startup, (success) => {
        if (success) {
          this.started = true;
          this.stopProbes();
          this.startLiveness();
          this.ctx.changed();
        } else this.restartUnhealthy(startup, 'Startup');
      });
      return;
    }
    this.startLiveness();
  }

  private startLiveness(): void {
    const liveness = this.container.livenessProbe;
    if (liveness === undefined) return;
    this.addProbe(liveness, (success) => {
      if (!success) this.restartUnhealthy(liveness, 'Liveness');
    });
  }

  private addProbe(probe: Probe, onThreshold: (success: boolean) => void): void {
    const worker = new ProbeWorker({
      probe,
      clock: this.ctx.clock,
      attempt: () => this.probeOnce(probe),
      onChange: () => undefined,
      onThreshold: (success) => onThreshold(success),
    });
    this.probes.push(worker.start());
  }

  /** One attempt of any probe of this container (exec runs inside it; the rest through the prober). */
  probeOnce(probe: Probe): Promise<ProbeOutcome | undefined> {
    const running = this.running;
    if (running === undefined) return Promise.resolve(undefined);
    if (probe.exec !== undefined) {
      const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
      return runInContainer(running.exec, probe.exec.command ?? [], timeoutMs).then((result) =>
        result.timedOut
          ? { success: false, message: `command timed out after ${timeoutMs / 1000}s` }
          : { success: result.exitCode === 0, message: result.exitCode === 0 ? result.output : `command failed with exit code ${result.exitCode}: ${result.output}` },
      );
    }
    const podIP = this.pod.status?.podIP ?? '';
    return podIP === '' ? Promise.resolve(undefined) : this.ctx.prober(probe, this.container, podIP);
  }

  private restartUnhealthy(probe: Probe, kind: 'Liveness' | 'Startup'): void {
    if (this.running === undefined || this.finished) return;
    this.ctx.logger.info({ pod: podName(this.pod), container: this.container.name }, `${kind.toLowerCase()} probe failed; restarting the container`);
    this.stopProbes();
    // The process ends by our hand; onExit then restarts it as restartPolicy says.
    void this.stopInstance(probe.terminationGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS, false);
  }

  private stopProbes(): void {
    for (const worker of this.probes.splice(0)) worker.stop();
  }

  private async stopInstance(graceSeconds: number, forGood: boolean): Promise<void> {
    const running = this.running;
    if (running === undefined) {
      if (forGood && 'waiting' in this.state) this.setState({ waiting: { reason: 'ContainerCreating', message: 'the Pod is terminating' } });
      return;
    }
    const deadline = Date.now() + Math.max(0, graceSeconds) * 1000;
    const hook = this.container.lifecycle?.preStop;
    if (hook !== undefined && graceSeconds > 0) {
      await Promise.race([this.runHook(hook, running.exec), delayMs(Math.max(0, deadline - Date.now()))]);
    }
    const exited = running.process.exited.then(() => true);
    signalGroup(running.process.identity, 'SIGTERM');
    const remaining = Math.max(hook !== undefined && graceSeconds > 0 ? MIN_GRACE_AFTER_HOOK_MS : 0, deadline - Date.now());
    const gone = await Promise.race([exited, delayMs(remaining).then(() => false)]);
    if (!gone) signalGroup(running.process.identity, 'SIGKILL');
    await running.process.exited;
    // Let onExit record the end (it waits at most 1 s for the last output) before the caller moves on.
    for (let waited = 0; this.running?.instance === running.instance && waited < 5000; waited += 10) await delayMs(10);
  }

  private async runHook(hook: LifecycleHandler, exec: ExecContext): Promise<void> {
    try {
      if (hook.exec !== undefined) {
        await runInContainer(exec, hook.exec.command ?? [], 60_000);
      } else if (hook.httpGet !== undefined) {
        const port = resolvePort(hook.httpGet.port, this.container);
        if (typeof port === 'string') return;
        await httpHook(hook.httpGet.host || (this.pod.status?.podIP ?? ''), port, hook.httpGet.path ?? '/');
      }
    } catch (error) {
      this.ctx.logger.warn({ err: error, pod: podName(this.pod), container: this.container.name }, 'preStop hook failed');
    }
  }

  private pruneLogs(dir: string): void {
    // The current instance and the one before it are kept, as the kubelet keeps them.
    for (let index = this.restartCount - 2; index >= Math.max(0, this.restartCount - 4); index--) {
      fs.rmSync(path.join(dir, `${index}.log`), { force: true });
      fs.rmSync(path.join(dir, `${index}.log.1`), { force: true });
    }
  }
}

function httpHook(host: string, port: number, urlPath: string): Promise<void> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path: urlPath.startsWith('/') ? urlPath : `/${urlPath}`, agent: false, timeout: 30_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve());
      response.on('close', () => resolve());
    });
    request.on('error', () => resolve());
    request.on('timeout', () => request.destroy());
  });
}

function delayMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fifoPaths(dir: string): { stdoutFifo: string; stderrFifo: string; exitFile: string } {
  return { stdoutFifo: path.join(dir, 'stdout.fifo'), stderrFifo: path.join(dir, 'stderr.fifo'), exitFile: path.join(dir, 'exit-code') };
}

function cgroupId(pod: Pod, container: string): string {
  return `${pod.metadata.uid ?? ''}_${container}`;
}

export function containerID(pid: number): string {
  return `skiff://${pid}`;
}

function podName(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
