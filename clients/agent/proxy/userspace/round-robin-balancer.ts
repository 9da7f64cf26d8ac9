// kube-proxy's userspace LoadBalancerRR (pkg/proxy/userspace/roundrobin.go):
// endpoints in turn, except that with ClientIP affinity a client keeps the
// endpoint it was last given until it has been idle for the timeout.

import type { ForwardingEndpoint } from '../forwarding-table.js';

export interface BalancerEndpoint {
  ip: string;
  port: number;
}

interface Affinity {
  endpoint: string;
  lastUsed: number;
}

export function endpointKey(endpoint: BalancerEndpoint): string {
  return endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}

export class RoundRobinBalancer {
  private endpoints: BalancerEndpoint[] = [];
  private index = 0;
  private readonly affinity = new Map<string, Affinity>();
  private affinityTimeoutMs: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes a new endpoint list; clients stuck to an endpoint that is gone are forgotten. */
  update(endpoints: readonly ForwardingEndpoint[], affinityTimeoutSeconds: number | undefined): void {
    this.endpoints = endpoints.map((e) => ({ ip: e.ip, port: e.port }));
    this.affinityTimeoutMs = affinityTimeoutSeconds === undefined ? undefined : affinityTimeoutSeconds * 1000;
    if (this.affinityTimeoutMs === undefined) this.affinity.clear();
    const live = new Set(this.endpoints.map(endpointKey));
    for (const [client, entry] of this.affinity) if (!live.has(entry.endpoint)) this.affinity.delete(client);
    if (this.index >= this.endpoints.length) this.index = 0;
  }

  get size(): number {
    return this.endpoints.length;
  }

  /** Current endpoints, in order. */
  list(): BalancerEndpoint[] {
    return [...this.endpoints];
  }

  /**
   * The endpoint for a new connection or flow from `clientIP`, skipping those
   * in `exclude` (already tried and failed for this connection); undefined
   * when none is left.
   */
  next(clientIP: string, exclude: ReadonlySet<string> = new Set()): BalancerEndpoint | undefined {
    const now = this.now();
    if (this.affinityTimeoutMs !== undefined) {
      const sticky = this.affinity.get(clientIP);
      if (sticky !== undefined && now - sticky.lastUsed <= this.affinityTimeoutMs && !exclude.has(sticky.endpoint)) {
        const endpoint = this.endpoints.find((e) => endpointKey(e) === sticky.endpoint);
        if (endpoint !== undefined) {
          sticky.lastUsed = now;
          return endpoint;
        }
      }
    }
    for (let tried = 0; tried < this.endpoints.length; tried++) {
      const endpoint = this.endpoints[this.index];
      this.index = (this.index + 1) % this.endpoints.length;
      if (endpoint === undefined || exclude.has(endpointKey(endpoint))) continue;
      if (this.affinityTimeoutMs !== undefined) this.affinity.set(clientIP, { endpoint: endpointKey(endpoint), lastUsed: now });
      return endpoint;
    }
    return undefined;
  }

  /** Drops expired affinity entries (called now and then, so idle clients do not pile up). */
  prune(): void {
    if (this.affinityTimeoutMs === undefined) return;
    const now = this.now();
    for (const [client, entry] of this.affinity) if (now - entry.lastUsed > this.affinityTimeoutMs) this.affinity.delete(client);
  }
}
