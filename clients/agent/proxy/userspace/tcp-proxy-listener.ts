// A TCP listener of the userspace proxy: accept, pick an endpoint, connect,
// splice the two sockets. A refused or timed-out connect is retried on the
// next endpoint (kube-proxy's userspace proxier does the same), so one dead
// pod costs a client a little latency, not an error, while others are up.

import net from 'node:net';
import { silentLogger, type Logger } from '../../../client/logger.js';
import { formatAddress, plainIP, type ListenAddress, type ProxyListener } from './proxy-listener.js';
import { endpointKey, type RoundRobinBalancer } from './round-robin-balancer.js';

export interface TcpProxyOptions {
  connectTimeoutMs: number;
  logger?: Logger;
}

export class TcpProxyListener implements ProxyListener {
  readonly protocol = 'TCP' as const;
  private readonly connections = new Set<net.Socket>();
  private readonly logger: Logger;

  private constructor(
    readonly address: ListenAddress,
    public balancer: RoundRobinBalancer,
    private readonly server: net.Server,
    private readonly options: TcpProxyOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    server.on('connection', (client) => this.accept(client));
    // A failed accept (EMFILE) is per connection; the listener keeps going.
    server.on('error', (error) => this.logger.warn({ err: error, address: formatAddress(address) }, 'tcp proxy listener error'));
  }

  static async listen(address: ListenAddress, balancer: RoundRobinBalancer, options: TcpProxyOptions): Promise<TcpProxyListener> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address.ip, port: address.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpProxyListener(address, balancer, server, options);
  }

  endpointsChanged(): void {
    // Established TCP connections stay on their endpoint, as conntrack keeps them in the kernel modes.
  }

  async close(force: boolean): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (force) for (const socket of this.connections) socket.destroy();
    await closed;
  }

  private accept(client: net.Socket): void {
    this.track(client);
    client.on('error', () => client.destroy());
    const clientIP = plainIP(client.remoteAddress);
    const tried = new Set<string>();
    const attempt = (): void => {
      if (client.destroyed) return;
      const endpoint = this.balancer.next(clientIP, tried);
      if (endpoint === undefined) {
        // No (more) endpoints: refuse at once rather than let the client hang.
        client.resetAndDestroy();
        return;
      }
      const key = endpointKey(endpoint);
      tried.add(key);
      const upstream = net.connect({ host: endpoint.ip, port: endpoint.port, allowHalfOpen: true, timeout: this.options.connectTimeoutMs });
      const abandon = (): void => {
        upstream.destroy();
      };
      const failed = (error: Error): void => {
        client.off('close', abandon);
        upstream.destroy();
        this.logger.debug({ err: error, endpoint: key, listener: formatAddress(this.address) }, 'endpoint connect failed; trying the next one');
        attempt();
      };
      const timedOut = (): void => failed(new Error(`connect timed out after ${this.options.connectTimeoutMs} ms`));
      client.once('close', abandon);
      upstream.once('error', failed);
      upstream.once('timeout', timedOut);
      upstream.once('connect', () => {
        client.off('close', abandon);
        upstream.off('error', failed);
        upstream.off('timeout', timedOut);
        upstream.setTimeout(0);
        this.splice(client, upstream);
      });
    };
    attempt();
  }

  private splice(client: net.Socket, upstream: net.Socket): void {
    this.track(upstream);
    upstream.on('error', () => {
      upstream.destroy();
      client.destroy();
    });
    client.on('error', () => upstream.destroy());
    // An orderly close has already been passed on by pipe() (end → FIN); only
    // a reset or error must cut the other side, without dropping queued data otherwise.
    client.on('close', (hadError) => {
      if (hadError) upstream.destroy();
    });
    upstream.on('close', (hadError) => {
      if (hadError) client.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  private track(socket: net.Socket): void {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
  }
}
