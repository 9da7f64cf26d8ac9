// `skiff agent`, assembled: register the Node and heartbeat; report the status
// of Pods bound to it; proxy Services with the chosen backend; serve /healthz
// and /metrics. A value created from its configuration and stopped
// explicitly, so a test can run several side by side.

import { setTimeout as delay } from 'node:timers/promises';
import { collectDefaultMetrics } from 'prom-client';
import { KubeClient, clientOptionsFor } from '../client/client.js';
import { Informer } from '../client/informer.js';
import { endpointSlices, services } from '../client/resources.js';
import type { AgentConfig } from './agent-config.js';
import type { ForwardingBackend } from './proxy/backend.js';
import { createBackend } from './proxy/backend-factory.js';
import { AGENT_VERSION, readHostInfo } from './node/host-info.js';
import { silentLogger, type Logger } from '../client/logger.js';
import { MetricsServer } from './metrics-server.js';
import { NodeHeartbeat } from './node/node-heartbeat.js';
import { NodeLease } from './node/node-lease.js';
import { NodeRegistration } from './node/node-registration.js';
import { PodStatusReporter } from './node/pod-status-reporter.js';
import { PodRuntime } from './node/runtime/pod-runtime.js';
import { ImageCatalog } from './node/runtime/image-catalog.js';
import { KubeletServer } from './node/kubelet-server.js';
import { Proxier } from './proxy/proxier.js';
import { ProxyMetrics } from './proxy/proxy-metrics.js';

export interface AgentDependencies {
  logger?: Logger;
  /** Replaces the backend --mode would create. */
  backend?: ForwardingBackend;
  /** Add Node.js process metrics (event loop, memory) to /metrics. Default true. */
  processMetrics?: boolean;
}

const REGISTER_RETRY_MAX_MS = 10_000;

export class Agent {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: AgentConfig,
    private readonly client: KubeClient,
    private readonly logger: Logger,
    readonly backend: ForwardingBackend,
    readonly proxier: Proxier,
    readonly metrics: ProxyMetrics,
    private readonly heartbeat: NodeHeartbeat,
    private readonly podStatus: PodStatusReporter | undefined,
    readonly runtime: PodRuntime | undefined,
    readonly kubelet: KubeletServer | undefined,
    private readonly metricsServer: MetricsServer | undefined,
    private readonly abort: AbortController,
  ) {}

  /**
   * Starts everything and resolves once the Node is registered, the informers
   * have synced and the first sync was attempted. `signal` aborts a start
   * that is still waiting for the server.
   */
  static async start(config: AgentConfig, deps: AgentDependencies = {}, signal?: AbortSignal): Promise<Agent> {
    const logger = deps.logger ?? silentLogger;
    const abort = new AbortController();
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    const client = new KubeClient({ ...clientOptionsFor(config.connection), userAgent: `skiff-agent/${AGENT_VERSION} (${config.nodeName})` });
    const started: Array<{ stop(): Promise<void> }> = [];
    try {
      const host = await readHostInfo();
      // Listening first, so the Node registers with the port it really has.
      const kubelet =
        config.kubeletPort === undefined || config.runtime !== 'process' || !config.podStatus
          ? undefined
          : await KubeletServer.listen({ host: config.nodeIPs[0] ?? '127.0.0.1', port: config.kubeletPort, server: config.server, logger });
      if (kubelet !== undefined) started.push({ stop: () => kubelet.close() });
      const identity = { name: config.nodeName, ips: config.nodeIPs, ...(kubelet === undefined ? {} : { kubeletPort: kubelet.port }) };
      const registration = new NodeRegistration({ client, identity, host });
      const lease = new NodeLease({
        client,
        nodeName: config.nodeName,
        leaseDurationSeconds: config.leaseDurationSeconds,
        owner: () => registration.ownerReference(),
      });
      const heartbeat = new NodeHeartbeat({
        lease,
        registration,
        leaseRenewIntervalMs: config.leaseRenewIntervalMs,
        statusUpdatePeriodMs: config.nodeStatusUpdatePeriodMs,
        statusReportPeriodMs: config.nodeStatusReportPeriodMs,
        logger,
      });
      await untilDone(abort.signal, logger, 'register node', async () => {
        const node = await registration.register();
        logger.info({ node: config.nodeName, podCIDR: node.spec?.podCIDR, uid: node.metadata.uid }, 'node registered');
        await heartbeat.start();
      });
      started.push(heartbeat);

      const metrics = new ProxyMetrics();
      if (deps.processMetrics !== false) collectDefaultMetrics({ register: metrics.registry, prefix: 'skiff_agent_' });
      const backend = deps.backend ?? createBackend({ mode: config.mode, logger, userspaceInterface: config.userspaceInterface, udpIdleTimeoutMs: config.udpIdleTimeoutMs });
      const informerError = (kind: string) => (error: unknown) => logger.warn({ err: error, kind }, 'watch interrupted; resuming');
      const serviceInformer = new Informer(client, services).on('error', informerError('services'));
      const proxier = new Proxier({
        backend,
        node: { name: config.nodeName, ips: config.nodeIPs },
        services: serviceInformer,
        endpointSlices: new Informer(client, endpointSlices).on('error', informerError('endpointslices')),
        minSyncPeriodMs: config.minSyncPeriodMs,
        syncPeriodMs: config.syncPeriodMs,
        metrics,
        logger,
      });
      started.push(proxier);
      await proxier.start();
      await proxier.firstSyncAttempted;

      // After the proxier, so the Services every container's environment lists are known.
      let podStatus: PodStatusReporter | undefined;
      let runtime: PodRuntime | undefined;
      if (config.podStatus) {
        if (config.runtime === 'process') {
          runtime = new PodRuntime({
            nodeName: config.nodeName,
            rootDir: config.rootDir,
            catalog: new ImageCatalog(config.images),
            services: serviceInformer,
            cgroupRoot: config.cgroupRoot,
            backoff: { initialMs: config.restartBackoffMs, maxMs: config.restartBackoffMaxMs, resetAfterMs: 2 * config.restartBackoffMaxMs },
            logger,
          });
          started.push({ stop: () => runtime!.stop(config.cleanup) });
          if (kubelet !== undefined) kubelet.runtime = runtime;
        }
        podStatus = new PodStatusReporter({ client, nodeName: config.nodeName, nodeIP: config.nodeIPs[0], logger, ...(runtime === undefined ? {} : { runtime }) });
        started.push(podStatus);
        await podStatus.start();
      }

      const metricsServer =
        config.metricsAddress === undefined
          ? undefined
          : await MetricsServer.listen({ address: config.metricsAddress, registries: [metrics.registry], health: () => proxier.health() });
      return new Agent(config, client, logger, backend, proxier, metrics, heartbeat, podStatus, runtime, kubelet, metricsServer, abort);
    } catch (error) {
      for (const part of started.reverse()) await part.stop().catch(() => undefined);
      await client.close();
      throw error;
    }
  }

  /** Where /healthz and /metrics answer, when enabled. */
  get metricsUrl(): string | undefined {
    return this.metricsServer?.url;
  }

  /** Stops every loop and, with --cleanup, removes the rules. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      await this.metricsServer?.close();
      await this.kubelet?.close();
      await this.proxier.stop();
      if (this.config.cleanup) {
        try {
          await this.proxier.cleanup();
          this.logger.info({ backend: this.backend.name }, 'removed forwarding rules');
        } catch (error) {
          this.logger.error({ err: error, backend: this.backend.name }, 'cleanup failed');
        }
      }
      await this.podStatus?.stop();
      await this.runtime?.stop(this.config.cleanup);
      if (this.config.cleanup && this.runtime !== undefined) this.logger.info({}, 'ended every container');
      await this.heartbeat.stop();
      await this.client.close();
    })();
    return this.stopping;
  }
}

/** Retries `work` with backoff (0.5 s doubling to 10 s) until it succeeds or `signal` aborts. */
async function untilDone(signal: AbortSignal, logger: Logger, what: string, work: () => Promise<void>): Promise<void> {
  for (let waitMs = 500; ; waitMs = Math.min(waitMs * 2, REGISTER_RETRY_MAX_MS)) {
    signal.throwIfAborted();
    try {
      await work();
      return;
    } catch (error) {
      logger.warn({ err: error, retryInMs: waitMs }, `cannot ${what} yet; retrying`);
      await delay(waitMs, undefined, { signal });
    }
  }
}
