// The kubelet's own HTTP endpoints on this node, which the API server proxies
// `pods/log` and `pods/exec` to: GET /containerLogs/{ns}/{pod}/{container}
// with the PodLogOptions query of the kubelet, and a WebSocket upgrade of
// /exec/{ns}/{pod}/{container}?command=…&stdin=…&stdout=…&stderr=…
//
// Who may call it: only the API server's addresses (what --server resolves
// to) and loopback, since the API server presents no client certificate to
// it yet. `authorize` is the one place a client-certificate check would
// replace the address check.

import { lookup } from 'node:dns/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { chooseExecProtocol, runExecSession } from './exec-session.js';
import { spawnInContainer } from './runtime/container-exec.js';
import { silentLogger, type Logger } from '../../client/logger.js';
import { streamLog, type LogOptions } from './runtime/container-log-reader.js';
import type { PodRuntime } from './runtime/pod-runtime.js';

export interface KubeletServerOptions {
  host: string;
  port: number;
  /** The API server URL (--server): the addresses it resolves to may call. */
  server: string;
  logger?: Logger;
}

export class KubeletServer {
  /** Set once the runtime exists; until then the endpoints answer 503. */
  runtime: PodRuntime | undefined;
  private readonly aborts = new Set<AbortController>();
  private readonly sockets = new WebSocketServer({ noServer: true, handleProtocols: (offered) => chooseExecProtocol(offered) ?? false });

  private constructor(
    private readonly http: http.Server,
    private readonly allowed: Set<string>,
    private readonly logger: Logger,
  ) {}

  static async listen(options: KubeletServerOptions): Promise<KubeletServer> {
    const allowed = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
    const hostname = new URL(options.server).hostname.replace(/^\[|\]$/g, '');
    for (const { address } of await lookup(hostname, { all: true }).catch(() => [])) {
      allowed.add(address);
      allowed.add(`::ffff:${address}`);
    }
    let server!: KubeletServer;
    const httpServer = http.createServer((request, response) => void server.handle(request, response));
    server = new KubeletServer(httpServer, allowed, options.logger ?? silentLogger);
    httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => server.upgrade(request, socket, head));
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host, () => resolve());
    });
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const abort of this.aborts) abort.abort();
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }

  /** Whether the caller may use the kubelet endpoints. */
  private authorize(request: http.IncomingMessage): boolean {
    const remote = request.socket.remoteAddress ?? '';
    return this.allowed.has(remote) || remote.startsWith('127.') || remote.startsWith('::ffff:127.');
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, message: string): void => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`);
    };
    if (!this.authorize(request)) return refuse(403, 'Forbidden: only the API server may call the kubelet endpoints');
    const url = new URL(request.url ?? '/', 'http://kubelet');
    const exec = /^\/exec\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (exec === null) return refuse(404, `no kubelet endpoint at ${url.pathname}`);
    const [namespace, pod, container] = [exec[1]!, exec[2]!, exec[3]!].map(decodeURIComponent) as [string, string, string];
    const runtime = this.runtime;
    const uid = runtime?.podUid(namespace, pod);
    const context = uid === undefined ? undefined : runtime?.execContext(uid, container);
    if (context === undefined) return refuse(400, `container ${container} of pod ${namespace}/${pod} is not running on this node`);
    const command = url.searchParams.getAll('command');
    if (command.length === 0) return refuse(400, 'you must specify at least 1 command');
    const flag = (name: string): boolean => ['true', '1'].includes(url.searchParams.get(name) ?? '');
    this.sockets.handleUpgrade(request, socket, head, (ws) => {
      this.logger.info({ pod: `${namespace}/${pod}`, container, command }, 'exec');
      runExecSession(ws, spawnInContainer(context, command), command, { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') });
    });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!this.authorize(request)) return text(response, 403, 'Forbidden: only the API server may call the kubelet endpoints\n');
    const url = new URL(request.url ?? '/', 'http://kubelet');
    const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && logs !== null) return this.containerLogs(decodeURIComponent(logs[1]!), decodeURIComponent(logs[2]!), decodeURIComponent(logs[3]!), url.searchParams, request, response);
    return text(response, 404, `no kubelet endpoint at ${url.pathname}\n`);
  }

  private async containerLogs(namespace: string, pod: string, container: string, query: URLSearchParams, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const runtime = this.runtime;
    if (runtime === undefined) return text(response, 503, 'the runtime is not running on this node\n');
    const uid = runtime.podUid(namespace, pod);
    if (uid === undefined) return text(response, 404, `pod "${pod}" in namespace "${namespace}" is not running on this node\n`);
    const previous = query.get('previous') === 'true';
    const path = runtime.logPath(uid, container, previous);
    if (path === undefined) {
      const what = previous ? `previous terminated container "${container}" in pod "${pod}" not found` : `container "${container}" in pod "${pod}" is waiting to start: no logs yet`;
      return text(response, previous ? 404 : 400, `${what}\n`);
    }
    const options: LogOptions = { follow: query.get('follow') === 'true' && !previous, timestamps: query.get('timestamps') === 'true' };
    const number = (name: string): number | undefined => (query.has(name) ? Number(query.get(name)) : undefined);
    const tail = number('tailLines');
    if (tail !== undefined && tail >= 0) options.tailLines = tail;
    const since = number('sinceSeconds');
    if (since !== undefined && since > 0) options.sinceMs = Date.now() - since * 1000;
    const sinceTime = query.get('sinceTime');
    if (sinceTime !== null && Number.isFinite(Date.parse(sinceTime))) options.sinceMs = Date.parse(sinceTime);
    let budget = number('limitBytes') ?? Infinity;
    const instance = runtime.status(uid, container)?.instance;
    const abort = new AbortController();
    this.aborts.add(abort);
    request.on('close', () => abort.abort());
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
    response.flushHeaders();
    try {
      await streamLog(
        path,
        options,
        {
          write: (chunk) => {
            if (abort.signal.aborted) return false;
            const bytes = Buffer.from(chunk);
            const part = bytes.length > budget ? bytes.subarray(0, budget) : bytes;
            response.write(part);
            budget -= part.length;
            return budget > 0;
          },
        },
        () => instance !== undefined && runtime.status(uid, container)?.instance === instance,
        abort.signal,
      );
    } catch (error) {
      this.logger.warn({ err: error, pod: `${namespace}/${pod}`, container }, 'cannot read container log');
    } finally {
      this.aborts.delete(abort);
      response.end();
    }
  }
}

function text(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}
