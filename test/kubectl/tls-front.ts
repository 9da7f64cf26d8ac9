import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

// kubectl sends a bearer token only over TLS. Until the server itself serves
// TLS (issue 12, item 1), these tests put a TLS terminator with a throwaway
// self-signed certificate (made by the openssl CLI) in front of the plain
// HTTP test server.

export interface TlsFront {
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(target: string, dir: string): Promise<TlsFront> {
  const key = join(dir, 'front.key');
  const cert = join(dir, 'front.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore', timeout: 30_000 });
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const frontPort = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${frontPort}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
