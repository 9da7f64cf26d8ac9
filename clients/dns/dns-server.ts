import { KubeClient, clientOptionsFor } from '../client/client.js';
import type { ClientConnection } from '../client/kubeconfig.js';
import { Informer } from '../client/informer.js';
import { endpointSlices, services } from '../client/resources.js';
import type { EndpointSlice, Service } from '../client/types.js';
import { silentLogger, type Logger } from '../client/logger.js';
import { normalizeName, parseHostPort, type HostPort } from './names.js';
import { QueryHandler } from './query-handler.js';
import { RecordIndex } from './records.js';
import { TcpListener } from './tcp-listener.js';
import { UdpListener } from './udp-listener.js';
import { UdpForwarder } from './upstream.js';

export interface DnsServerOptions {
  /** API server URL. */
  server: string;
  /** CA, client certificate or token for the server (from a kubeconfig); none for plain HTTP. */
  connection?: ClientConnection;
  /** `host:port` for both UDP and TCP; port 0 picks one free on both. */
  listen?: string;
  /** Cluster domain. */
  domain?: string;
  /** TTL of every record, and the SOA minimum (negative-caching time). */
  ttl?: number;
  /** `host:port` of a resolver for names outside the cluster domain. */
  upstream?: string;
  upstreamTimeoutMs?: number;
  logger?: Logger;
}

export const DNS_DEFAULTS = {
  server: 'http://127.0.0.1:8080',
  listen: '127.0.0.1:10053',
  domain: 'cluster.local',
  ttl: 5,
} as const;

// With port 0 the UDP port is picked first and TCP must get the same number;
// another socket may hold it on TCP, so a few fresh picks are tried.
const FREE_PORT_ATTEMPTS = 20;

/**
 * `skiff dns`: an authoritative server for the cluster domain, answering from
 * a RecordIndex that two informers (Services, EndpointSlices, all namespaces)
 * keep current. It binds only after both informers have synced, so it never
 * answers NXDOMAIN for a Service that exists.
 */
export class DnsServer {
  readonly index: RecordIndex;
  private readonly options: Required<Pick<DnsServerOptions, 'server' | 'ttl'>> & { listen: HostPort };
  private readonly logger: Logger;
  private readonly client: KubeClient;
  private readonly serviceInformer: Informer<Service>;
  private readonly sliceInformer: Informer<EndpointSlice>;
  private readonly forwarder: UdpForwarder | undefined;
  private readonly udp: UdpListener;
  private readonly tcp: TcpListener;
  private bound: HostPort | undefined;

  constructor(options: DnsServerOptions) {
    const ttl = options.ttl ?? DNS_DEFAULTS.ttl;
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2_147_483_647) {
      throw new RangeError(`ttl must be a whole number of seconds, got ${String(options.ttl)}`);
    }
    const domain = normalizeName(options.domain ?? DNS_DEFAULTS.domain);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) {
      throw new RangeError(`domain must be a DNS name such as cluster.local, got ${JSON.stringify(options.domain)}`);
    }
    this.options = { server: options.server, ttl, listen: parseHostPort(options.listen ?? DNS_DEFAULTS.listen, 'listen') };
    this.logger = options.logger ?? silentLogger;
    this.index = new RecordIndex(domain);
    this.client = new KubeClient({ ...clientOptionsFor(options.connection ?? { server: options.server }), userAgent: 'skiff-dns/0.1' });
    this.serviceInformer = new Informer(this.client, services);
    this.sliceInformer = new Informer(this.client, endpointSlices);
    this.forwarder =
      options.upstream === undefined || options.upstream === ''
        ? undefined
        : new UdpForwarder({ upstream: parseHostPort(options.upstream, 'upstream'), timeoutMs: options.upstreamTimeoutMs });
    const handler = new QueryHandler({ index: this.index, ttl, forwarder: this.forwarder, logger: this.logger });
    this.udp = new UdpListener(handler, this.logger);
    this.tcp = new TcpListener(handler, this.logger);
    this.wireInformers();
  }

  /** Syncs the informers, then binds UDP and TCP. Rejects if closed first. */
  async start(): Promise<HostPort> {
    this.serviceInformer.start();
    this.sliceInformer.start();
    await Promise.all([this.serviceInformer.waitForSync(), this.sliceInformer.waitForSync()]);
    this.logger.info({ services: this.index.serviceCount }, 'DNS record index synced');
    this.bound = await this.bind();
    return this.bound;
  }

  /** Where it listens, once started. */
  address(): HostPort {
    if (this.bound === undefined) throw new Error('the DNS server is not listening yet');
    return this.bound;
  }

  async close(): Promise<void> {
    await Promise.all([this.serviceInformer.stop(), this.sliceInformer.stop(), this.udp.close(), this.tcp.close()]);
    this.forwarder?.close();
    await this.client.close();
  }

  private wireInformers(): void {
    const logError = (kind: string) => (error: unknown) => this.logger.warn({ err: error, kind }, 'informer error; retrying');
    this.serviceInformer
      .on('add', (service) => this.index.upsertService(service))
      .on('update', (_previous, service) => this.index.upsertService(service))
      .on('delete', (service) => this.index.deleteService(service))
      .on('error', logError('services'));
    this.sliceInformer
      .on('add', (slice) => this.index.upsertEndpointSlice(slice))
      .on('update', (_previous, slice) => this.index.upsertEndpointSlice(slice))
      .on('delete', (slice) => this.index.deleteEndpointSlice(slice))
      .on('error', logError('endpointslices'));
  }

  private async bind(): Promise<HostPort> {
    const { host, port } = this.options.listen;
    for (let attempt = 1; ; attempt++) {
      const udpPort = await this.udp.listen(host, port);
      try {
        const tcpPort = await this.tcp.listen(host, udpPort);
        return { host, port: tcpPort };
      } catch (error) {
        await this.udp.close();
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (port !== 0 || !inUse || attempt >= FREE_PORT_ATTEMPTS) throw error;
      }
    }
  }
}
