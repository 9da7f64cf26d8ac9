import net from 'node:net';
import type { Logger } from '../client/logger.js';
import type { QueryHandler } from './query-handler.js';

/** RFC 7766 §6.2.3 suggests seconds, not minutes, for an idle DNS connection. */
const IDLE_TIMEOUT_MS = 10_000;

/**
 * Answers DNS over TCP: each message is preceded by its 2-byte length
 * (RFC 1035 §4.2.2); a client may send several on one connection and, since
 * replies carry the query id, they go back as soon as each is ready.
 */
export class TcpListener {
  private server: net.Server | undefined;
  private readonly connections = new Set<net.Socket>();

  constructor(
    private readonly handler: QueryHandler,
    private readonly logger: Logger,
  ) {}

  listen(host: string, port: number): Promise<number> {
    const server = net.createServer((socket) => this.onConnection(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.logger.warn({ err: error }, 'DNS TCP server error'));
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private onConnection(socket: net.Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', (error) => this.logger.debug({ err: error }, 'DNS TCP connection error'));

    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        this.answer(socket, message);
      }
    });
  }

  private answer(socket: net.Socket, message: Buffer): void {
    const result = this.handler.handle(message, 'tcp');
    if (result === undefined) return;
    if (Buffer.isBuffer(result)) {
      writeFramed(socket, result);
      return;
    }
    void result.then((reply) => {
      if (reply !== undefined) writeFramed(socket, reply);
    });
  }
}

function writeFramed(socket: net.Socket, reply: Buffer): void {
  if (socket.destroyed || !socket.writable) return;
  const length = Buffer.allocUnsafe(2);
  length.writeUInt16BE(reply.length, 0);
  socket.write(Buffer.concat([length, reply]));
}
