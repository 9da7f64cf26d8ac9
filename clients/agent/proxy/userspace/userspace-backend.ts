// The userspace backend: no kernel rules, but a socket in the agent for every
// address:port the table captures — each ClusterIP (and externalIP and
// load-balancer IP) on its Service port, each node IP on each NodePort — that
// relays to the Service's endpoints. Each apply diffs the wanted listeners
// against the open ones: unchanged listeners keep their socket and their
// connections and only see the new endpoint list.

import { silentLogger, type Logger } from '../../../client/logger.js';
import type { ForwardingBackend } from '../backend.js';
import type { ForwardingEndpoint, ForwardingTable, ServicePortRule } from '../forwarding-table.js';
import { DummyInterface, isLoopbackIP, type AddressManager } from './dummy-interface.js';
import { formatAddress, type ListenerProtocol, type ProxyListener } from './proxy-listener.js';
import { RoundRobinBalancer } from './round-robin-balancer.js';
import { TcpProxyListener } from './tcp-proxy-listener.js';
import { UdpProxyListener } from './udp-proxy-listener.js';

export interface UserspaceBackendOptions {
  logger?: Logger;
  /**
   * Makes non-loopback virtual IPs local so they can be bound. Default: a
   * `skiff-proxy0` dummy interface when running as root, none otherwise (then
   * only ClusterIPs inside 127.0.0.0/8 can be bound; see README).
   */
  addressManager?: AddressManager | null;
  /** Per endpoint connect attempt before the next endpoint is tried (default 2 s). */
  connectTimeoutMs?: number;
  /** A UDP flow idle this long is closed (default 10 s). */
  udpIdleTimeoutMs?: number;
  /** For session-affinity timeouts (default Date.now). */
  now?: () => number;
}

/** A listener as the table wants it. */
interface WantedListener {
  key: string;
  protocol: ListenerProtocol;
  ip: string;
  port: number;
  balancer: string;
}

interface WantedBalancer {
  endpoints: ForwardingEndpoint[];
  affinityTimeoutSeconds: number | undefined;
}

export interface UserspaceBackend extends ForwardingBackend {
  readonly name: 'userspace';
  /** Keys of the open listeners, `TCP 10.96.0.10:80`, sorted. */
  listeners(): string[];
}

export function createUserspaceBackend(options: UserspaceBackendOptions = {}): UserspaceBackend {
  return new UserspaceProxy(options);
}

function defaultAddressManager(): AddressManager | null {
  return process.getuid?.() === 0 ? new DummyInterface() : null;
}

class UserspaceProxy implements UserspaceBackend {
  readonly name = 'userspace' as const;
  private readonly logger: Logger;
  private readonly addressManager: AddressManager | null;
  private readonly open = new Map<string, { listener: ProxyListener; balancer: string }>();
  private readonly balancers = new Map<string, RoundRobinBalancer>();
  /** Listeners that could not bind, with the reason last logged, so a retry every sync does not flood the log. */
  private readonly failed = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: UserspaceBackendOptions) {
    this.logger = options.logger ?? silentLogger;
    this.addressManager = options.addressManager === undefined ? defaultAddressManager() : options.addressManager;
  }

  apply(table: ForwardingTable): Promise<{ ruleCount: number }> {
    return this.serialized(() => this.applyNow(table));
  }

  cleanup(): Promise<void> {
    return this.serialized(async () => {
      await this.closeAll();
      await this.addressManager?.cleanup();
    });
  }

  listeners(): string[] {
    return [...this.open.keys()].sort();
  }

  private serialized<R>(work: () => Promise<R>): Promise<R> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(table: ForwardingTable): Promise<{ ruleCount: number }> {
    const { listeners, balancers } = wanted(table, this.logger);
    await this.syncAddresses(listeners);

    for (const [key, want] of balancers) {
      let balancer = this.balancers.get(key);
      if (balancer === undefined) {
        balancer = new RoundRobinBalancer(this.options.now);
        this.balancers.set(key, balancer);
      }
      balancer.update(want.endpoints, want.affinityTimeoutSeconds);
    }
    for (const key of this.balancers.keys()) if (!balancers.has(key)) this.balancers.delete(key);

    const closing: Promise<void>[] = [];
    for (const [key, entry] of this.open) {
      const want = listeners.get(key);
      if (want === undefined) {
        this.open.delete(key);
        closing.push(entry.listener.close(false));
        continue;
      }
      const balancer = this.balancers.get(want.balancer);
      if (balancer === undefined) continue;
      entry.listener.balancer = balancer;
      entry.balancer = want.balancer;
      entry.listener.endpointsChanged();
    }
    await Promise.all(closing);
    for (const key of this.failed.keys()) if (!listeners.has(key)) this.failed.delete(key);

    await Promise.all(
      [...listeners.values()].filter((want) => !this.open.has(want.key)).map((want) => this.openListener(want)),
    );
    this.schedulePrune();
    return { ruleCount: this.open.size };
  }

  private async openListener(want: WantedListener): Promise<void> {
    const balancer = this.balancers.get(want.balancer);
    if (balancer === undefined) return;
    const address = { ip: want.ip, port: want.port };
    try {
      const listener =
        want.protocol === 'TCP'
          ? await TcpProxyListener.listen(address, balancer, { connectTimeoutMs: this.options.connectTimeoutMs ?? 2000, logger: this.logger })
          : await UdpProxyListener.listen(address, balancer, { idleTimeoutMs: this.options.udpIdleTimeoutMs ?? 10_000, logger: this.logger });
      this.open.set(want.key, { listener, balancer: want.balancer });
      if (this.failed.delete(want.key)) this.logger.info({ listener: want.key }, 'proxy listener bound after earlier failures');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      if (this.failed.get(want.key) !== reason) {
        this.logger.warn({ listener: want.key, reason }, 'cannot bind proxy listener; retrying on the next sync');
      }
      this.failed.set(want.key, reason);
    }
  }

  private async syncAddresses(listeners: ReadonlyMap<string, WantedListener>): Promise<void> {
    if (this.addressManager === null) return;
    const virtual = new Set<string>();
    for (const want of listeners.values()) if (want.balancer.endsWith('|internal') && !isLoopbackIP(want.ip)) virtual.add(want.ip);
    try {
      await this.addressManager.sync([...virtual].sort());
    } catch (error) {
      // The listeners on those addresses fail to bind and are retried with the next sync.
      this.logger.error({ err: error }, 'cannot put ClusterIPs on the proxy interface');
    }
  }

  private async closeAll(): Promise<void> {
    const listeners = [...this.open.values()];
    this.open.clear();
    this.balancers.clear();
    this.failed.clear();
    if (this.pruneTimer !== undefined) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    await Promise.all(listeners.map((entry) => entry.listener.close(true)));
  }

  // Forget affinity of clients idle past their timeout, about once a minute.
  private schedulePrune(): void {
    if (this.pruneTimer !== undefined) return;
    this.pruneTimer = setInterval(() => {
      for (const balancer of this.balancers.values()) balancer.prune();
    }, 60_000);
    this.pruneTimer.unref();
  }
}

/**
 * The listeners and balancers a table asks for. ClusterIP traffic (from
 * inside the cluster) follows internalTrafficPolicy; NodePort, externalIP and
 * load-balancer traffic (from outside) follows externalTrafficPolicy.
 */
function wanted(table: ForwardingTable, logger: Logger): { listeners: Map<string, WantedListener>; balancers: Map<string, WantedBalancer> } {
  const listeners = new Map<string, WantedListener>();
  const balancers = new Map<string, WantedBalancer>();
  for (const rule of table.rules) {
    if (rule.protocol === 'SCTP') {
      logger.debug({ rule: rule.id }, 'SCTP is not proxied in userspace mode');
      continue;
    }
    const internal = `${rule.id}|internal`;
    const external = `${rule.id}|external`;
    balancers.set(internal, { endpoints: policyEndpoints(rule, rule.internalTrafficPolicy), affinityTimeoutSeconds: rule.affinityTimeoutSeconds });
    balancers.set(external, { endpoints: policyEndpoints(rule, rule.externalTrafficPolicy), affinityTimeoutSeconds: rule.affinityTimeoutSeconds });
    const add = (ip: string, port: number, balancer: string): void => {
      const key = `${rule.protocol} ${formatAddress({ ip, port })}`;
      // Two Services cannot both own one address:port; the first by id keeps it, as bind would decide anyway.
      if (!listeners.has(key)) listeners.set(key, { key, protocol: rule.protocol as ListenerProtocol, ip, port, balancer });
    };
    for (const ip of rule.clusterIPs) add(ip, rule.port, internal);
    for (const ip of [...rule.externalIPs, ...(rule.loadBalancerIPs ?? [])]) add(ip, rule.port, external);
    if (rule.nodePort !== undefined) for (const ip of table.nodeIPs) add(ip, rule.nodePort, external);
  }
  return { listeners, balancers };
}

function policyEndpoints(rule: ServicePortRule, policy: 'Cluster' | 'Local'): ForwardingEndpoint[] {
  if (policy === 'Cluster') return rule.endpoints;
  return rule.localEndpoints ?? rule.endpoints.filter((e) => e.local);
}
