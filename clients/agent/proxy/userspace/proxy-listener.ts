import type { RoundRobinBalancer } from './round-robin-balancer.js';

export type ListenerProtocol = 'TCP' | 'UDP';

export interface ListenAddress {
  ip: string;
  port: number;
}

/** One bound socket of the userspace proxy: a virtual address:port whose traffic goes to a balancer's endpoints. */
export interface ProxyListener {
  readonly protocol: ListenerProtocol;
  readonly address: ListenAddress;
  /** Swapped on apply when the Service's endpoints or policy changed; the socket stays bound. */
  balancer: RoundRobinBalancer;
  /** The balancer's endpoints changed: forget flows to endpoints that are gone. */
  endpointsChanged(): void;
  /** Stops accepting (the port is free once this resolves); open connections are cut too when `force`. */
  close(force: boolean): Promise<void>;
}

/** `[v6]:port` or `v4:port`. */
export function formatAddress(address: ListenAddress): string {
  return address.ip.includes(':') ? `[${address.ip}]:${address.port}` : `${address.ip}:${address.port}`;
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as the plain IPv4 address, so affinity sees one client, not two. */
export function plainIP(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
