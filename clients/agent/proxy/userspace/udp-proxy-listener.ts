// A UDP listener of the userspace proxy. UDP has no connections, so each
// client address:port gets a flow: a socket of its own connected to the
// endpoint chosen for it, whose replies are sent back from the listening
// address (the client sees the virtual address answer). A flow idle for
// `idleTimeoutMs` is closed, as conntrack forgets an idle UDP entry.

import dgram from 'node:dgram';
import { silentLogger, type Logger } from '../../../client/logger.js';
import { formatAddress, plainIP, type ListenAddress, type ProxyListener } from './proxy-listener.js';
import { endpointKey, type RoundRobinBalancer } from './round-robin-balancer.js';

export interface UdpProxyOptions {
  idleTimeoutMs: number;
  logger?: Logger;
}

interface Flow {
  socket: dgram.Socket;
  endpoint: string;
  connected: boolean;
  queue: Buffer[];
  timer: NodeJS.Timeout;
}

// Datagrams from a client before its flow's socket is connected; more are dropped, as a full socket buffer would.
const MAX_QUEUED = 64;

export class UdpProxyListener implements ProxyListener {
  readonly protocol = 'UDP' as const;
  private readonly flows = new Map<string, Flow>();
  private readonly logger: Logger;

  private constructor(
    readonly address: ListenAddress,
    public balancer: RoundRobinBalancer,
    private readonly socket: dgram.Socket,
    private readonly options: UdpProxyOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    socket.on('message', (message, remote) => this.receive(message, remote));
    socket.on('error', (error) => this.logger.warn({ err: error, address: formatAddress(address) }, 'udp proxy listener error'));
  }

  static async listen(address: ListenAddress, balancer: RoundRobinBalancer, options: UdpProxyOptions): Promise<UdpProxyListener> {
    const socket = dgram.createSocket({ type: address.ip.includes(':') ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: address.ip, port: address.port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpProxyListener(address, balancer, socket, options);
  }

  endpointsChanged(): void {
    const live = new Set(this.balancer.list().map(endpointKey));
    for (const [client, flow] of this.flows) if (!live.has(flow.endpoint)) this.closeFlow(client, flow);
  }

  async close(): Promise<void> {
    for (const [client, flow] of this.flows) this.closeFlow(client, flow);
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  /** Open flows, for tests and metrics. */
  get flowCount(): number {
    return this.flows.size;
  }

  private receive(message: Buffer, remote: dgram.RemoteInfo): void {
    const client = `${remote.address}|${remote.port}`;
    let flow = this.flows.get(client);
    if (flow === undefined) {
      flow = this.openFlow(client, remote);
      if (flow === undefined) return;
    }
    this.touch(client, flow);
    if (flow.connected) flow.socket.send(message);
    else if (flow.queue.length < MAX_QUEUED) flow.queue.push(message);
  }

  private openFlow(client: string, remote: dgram.RemoteInfo): Flow | undefined {
    const endpoint = this.balancer.next(plainIP(remote.address));
    if (endpoint === undefined) return undefined;
    const socket = dgram.createSocket({ type: endpoint.ip.includes(':') ? 'udp6' : 'udp4' });
    const flow: Flow = {
      socket,
      endpoint: endpointKey(endpoint),
      connected: false,
      queue: [],
      timer: setTimeout(() => this.closeFlow(client, flow), this.options.idleTimeoutMs),
    };
    this.flows.set(client, flow);
    socket.on('message', (reply) => {
      this.touch(client, flow);
      this.socket.send(reply, remote.port, remote.address);
    });
    // ECONNREFUSED (ICMP port unreachable) and the like end the flow; the client's next datagram picks again.
    socket.on('error', (error) => {
      this.logger.debug({ err: error, endpoint: flow.endpoint }, 'udp flow closed on error');
      this.closeFlow(client, flow);
    });
    socket.connect(endpoint.port, endpoint.ip, () => {
      flow.connected = true;
      for (const queued of flow.queue) socket.send(queued);
      flow.queue = [];
    });
    return flow;
  }

  private touch(client: string, flow: Flow): void {
    if (this.flows.get(client) !== flow) return;
    flow.timer.refresh();
  }

  private closeFlow(client: string, flow: Flow): void {
    if (this.flows.get(client) !== flow) return;
    this.flows.delete(client);
    clearTimeout(flow.timer);
    try {
      flow.socket.close();
    } catch {
      // Already closed by an error.
    }
  }
}
