// A tiny HTTP "pod" for demos and end-to-end tests: each listener answers
// every request with its pod name, serves a readiness path, and lets its
// readiness be flipped from outside, so a readiness probe has something real
// to watch.
//
//   node dist/clients/example-backend/example-backend.js --listen 10.244.1.5:8080=web-1 [--listen …]
//   SKIFF_BACKEND_LISTEN="0.0.0.0:8080=web-1"   (comma-separated; the flag wins)
//   POD_IP=10.244.1.5 PORT=8080 POD_NAME=web-1   (neither given: the built-in
//                                                 image skiff/echo, run by the agent)
//
//   GET  /ready              200 "ready" or 503 "not ready"
//   POST /ready/true|false   sets it (starts ready)
//   anything else            200 "<pod name>\n"
//
// It prints `example-backend listening <address>:<port> <name>` per listener
// once all of them are bound.

import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

export interface BackendListener {
  host: string;
  port: number;
  name: string;
}

export function parseListener(text: string): BackendListener {
  const match = /^(?:\[([^\]]+)\]|([^:=]+)):(\d+)=([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65535) {
    throw new Error(`--listen must be ADDRESS:PORT=NAME such as 10.244.1.5:8080=web-1, got ${JSON.stringify(text)}`);
  }
  return { host: match[1] ?? match[2] ?? '', port, name: match[4]! };
}

/** Starts one HTTP server per listener; resolves once all are bound. */
export async function startExampleBackend(listeners: readonly BackendListener[]): Promise<Server[]> {
  const servers: Server[] = [];
  for (const listener of listeners) {
    let ready = true;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method === 'POST' && (path === '/ready/true' || path === '/ready/false')) {
        ready = path === '/ready/true';
        response.writeHead(204).end();
      } else if (path === '/ready') {
        response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
      } else {
        response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }).end(`${listener.name}\n`);
      }
    });
    // Probes and test clients open a connection per request; keep none idle.
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listener.port, listener.host, () => resolve());
    });
    servers.push(server);
  }
  return servers;
}

/** The Pod IP in --listen's form; all addresses when there is none. */
function listenHost(ip: string | undefined): string {
  if (ip === undefined || ip === '') return '0.0.0.0';
  return ip.includes(':') ? `[${ip}]` : ip;
}

async function main(argv: readonly string[]): Promise<void> {
  const specs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--listen' && argv[i + 1] !== undefined) specs.push(argv[++i]!);
    else if (argv[i]?.startsWith('--listen=')) specs.push(argv[i]!.slice('--listen='.length));
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}; usage: example-backend --listen ADDRESS:PORT=NAME …`);
  }
  if (specs.length === 0) specs.push(...(process.env.SKIFF_BACKEND_LISTEN ?? '').split(',').filter((s) => s.trim() !== ''));
  if (specs.length === 0 && process.env.POD_NAME !== undefined) {
    specs.push(`${listenHost(process.env.POD_IP)}:${process.env.PORT ?? '8080'}=${process.env.POD_NAME}`);
  }
  if (specs.length === 0) throw new Error('nothing to listen on: pass --listen ADDRESS:PORT=NAME, set SKIFF_BACKEND_LISTEN, or set POD_NAME (with POD_IP and PORT)');
  const listeners = specs.map(parseListener);
  const servers = await startExampleBackend(listeners);
  for (const l of listeners) process.stdout.write(`example-backend listening ${l.host}:${l.port} ${l.name}\n`);
  const stop = (): void => {
    for (const server of servers) server.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`example-backend: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
