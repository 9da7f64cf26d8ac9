import dgram from 'node:dgram';
import type { Logger } from '../client/logger.js';
import { addressFamily } from './names.js';
import type { QueryHandler } from './query-handler.js';

// Bursts of queries queue in the kernel while the event loop is busy; a
// larger receive buffer trades memory for fewer silent drops under load.
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/** Answers DNS over UDP: one datagram in, at most one datagram out. */
export class UdpListener {
  private socket: dgram.Socket | undefined;

  constructor(
    private readonly handler: QueryHandler,
    private readonly logger: Logger,
  ) {}

  /** Binds and resolves with the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number> {
    const socket = dgram.createSocket({
      type: addressFamily(host) === 'IPv6' ? 'udp6' : 'udp4',
      recvBufferSize: SOCKET_BUFFER_BYTES,
      sendBufferSize: SOCKET_BUFFER_BYTES,
    });
    socket.on('message', (message, remote) => this.onMessage(socket, message, remote));
    return new Promise((resolve, reject) => {
      const onListenError = (error: Error) => {
        socket.close();
        reject(error);
      };
      socket.once('error', onListenError);
      socket.bind(port, host, () => {
        socket.off('error', onListenError);
        socket.on('error', (error) => this.logger.warn({ err: error }, 'DNS UDP socket error'));
        this.socket = socket;
        resolve(socket.address().port);
      });
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  private onMessage(socket: dgram.Socket, message: Buffer, remote: dgram.RemoteInfo): void {
    const result = this.handler.handle(message, 'udp');
    if (result === undefined) return;
    if (Buffer.isBuffer(result)) {
      this.send(socket, result, remote);
      return;
    }
    void result.then((reply) => {
      if (reply !== undefined && this.socket === socket) this.send(socket, reply, remote);
    });
  }

  private send(socket: dgram.Socket, reply: Buffer, remote: dgram.RemoteInfo): void {
    socket.send(reply, remote.port, remote.address, (error) => {
      if (error) this.logger.debug({ err: error, to: `${remote.address}:${remote.port}` }, 'DNS UDP send failed');
    });
  }
}
