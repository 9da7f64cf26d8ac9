import dgram from 'node:dgram';
import { addressFamily, type HostPort } from './names.js';

export interface UdpForwarderOptions {
  upstream: HostPort;
  /** Past this the query fails and the client gets SERVFAIL. */
  timeoutMs?: number;
}

interface Pending {
  originalId: Buffer;
  resolve: (reply: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const MAX_IN_FLIGHT = 4096;

/**
 * Relays queries for names we do not serve to one upstream resolver over UDP.
 * Each query gets a fresh message id on our one socket (so replies from
 * different clients cannot be confused) and gets its own id back on the way out.
 */
export class UdpForwarder {
  private readonly socket: dgram.Socket;
  private readonly upstream: HostPort;
  private readonly timeoutMs: number;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(options: UdpForwarderOptions) {
    this.upstream = options.upstream;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.socket = dgram.createSocket(addressFamily(options.upstream.host) === 'IPv6' ? 'udp6' : 'udp4');
    this.socket.on('message', (message, remote) => this.onReply(message, remote));
    // A send error on a connectionless socket (ICMP unreachable) fails only that query, by its timeout.
    this.socket.on('error', () => undefined);
    this.socket.unref();
  }

  forward(query: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('forwarder closed'));
    if (this.pending.size >= MAX_IN_FLIGHT) return Promise.reject(new Error('too many queries in flight upstream'));
    const id = this.freeId();
    const outgoing = Buffer.from(query);
    outgoing.writeUInt16BE(id, 0);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`upstream ${this.upstream.host}:${this.upstream.port} did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { originalId: Buffer.from(query.subarray(0, 2)), resolve, reject, timer });
      this.socket.send(outgoing, this.upstream.port, this.upstream.host, (error) => {
        if (error === null || error === undefined) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('forwarder closed'));
      this.pending.delete(id);
    }
    this.socket.close();
  }

  private onReply(message: Buffer, remote: dgram.RemoteInfo): void {
    if (message.length < 12 || remote.port !== this.upstream.port) return;
    const pending = this.pending.get(message.readUInt16BE(0));
    if (pending === undefined) return;
    this.pending.delete(message.readUInt16BE(0));
    clearTimeout(pending.timer);
    const reply = Buffer.from(message);
    pending.originalId.copy(reply, 0);
    pending.resolve(reply);
  }

  private freeId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 65536);
      if (!this.pending.has(id)) return id;
    }
  }
}
