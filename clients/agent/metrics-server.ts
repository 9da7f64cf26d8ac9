// /healthz and /metrics on --metrics-address (kube-proxy serves the same
// paths on 10249 and 10256). A plain node:http server: two routes need no
// framework.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ProxierHealth } from './proxy/proxier.js';

export interface HostPort {
  host: string;
  port: number;
}

export interface MetricsServerOptions {
  address: HostPort;
  registries: readonly Registry[];
  health: () => ProxierHealth;
}

export class MetricsServer {
  private constructor(
    private readonly server: http.Server,
    readonly address: HostPort,
  ) {}

  static async listen(options: MetricsServerOptions): Promise<MetricsServer> {
    const server = http.createServer((req, res) => {
      void handle(options, req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.address.port, options.address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as AddressInfo;
    return new MetricsServer(server, { host: options.address.host, port: bound.port });
  }

  get url(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.address.port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(options: MetricsServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  try {
    if (path === '/healthz' || path === '/livez') {
      const health = options.health();
      const body = {
        lastUpdated: health.lastUpdated === undefined ? null : new Date(health.lastUpdated).toISOString(),
        currentTime: new Date(health.currentTime).toISOString(),
      };
      res.writeHead(health.healthy ? 200 : 503, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
      res.end(`${JSON.stringify(body)}\n`);
      return;
    }
    if (path === '/metrics') {
      const [first] = options.registries;
      const text = (await Promise.all(options.registries.map((r) => r.metrics()))).join('\n');
      res.writeHead(200, { 'content-type': first?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
  }
}
