import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type net from 'node:net';

/** A pod stand-in: answers its name on `/`, and 200 or 503 on `/ready`. */
export interface HttpBackend {
  name: string;
  ip: string;
  port: number;
  ready: boolean;
  close(): Promise<void>;
}

export async function startHttpBackend(name: string, ip: string, port = 0): Promise<HttpBackend> {
  const sockets = new Set<net.Socket>();
  const backend: HttpBackend = { name, ip, port, ready: true, close: async () => undefined };
  const server = http.createServer((req, res) => {
    if (req.url === '/ready') {
      res.writeHead(backend.ready ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(backend.ready ? 'ok' : 'not ready');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(name);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
  backend.port = (server.address() as AddressInfo).port;
  backend.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return backend;
}

/** GET over a fresh connection (no keep-alive), so every request is balanced anew. */
export function httpGet(ip: string, port: number, path = '/', timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: ip, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET http://${ip}:${port}${path} timed out`)));
    req.on('error', reject);
  });
}

/** The error code of a GET that fails (ECONNREFUSED, ECONNRESET), or 'ok' when it answers. */
export async function httpOutcome(ip: string, port: number, path = '/'): Promise<string> {
  try {
    const { body } = await httpGet(ip, port, path, 3000);
    return `ok:${body}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

/** Names answering `count` fresh GETs. */
export async function answers(ip: string, port: number, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push((await httpGet(ip, port)).body);
  return names;
}

/** Polls `check` every 50 ms until it returns true, failing with `describe()` after `limitMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, describe: () => string | Promise<string>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${limitMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A UDP pod stand-in: answers every datagram with `<name>:<datagram>`. */
export interface UdpBackend {
  name: string;
  ip: string;
  port: number;
  close(): Promise<void>;
}

export async function startUdpEcho(name: string, ip: string): Promise<UdpBackend> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, remote) => socket.send(`${name}:${message.toString()}`, remote.port, remote.address));
  await new Promise<void>((resolve) => socket.bind(0, ip, () => resolve()));
  return { name, ip, port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** Sends one datagram from a fresh socket (a new client port, so a new flow) and waits for the reply. */
export function udpAsk(ip: string, port: number, text: string, timeoutMs = 3000): Promise<string> {
  const socket = dgram.createSocket('udp4');
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from ${ip}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message.toString());
    });
    socket.send(text, port, ip);
  });
}
