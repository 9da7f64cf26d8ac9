// The seam between the sync loop and the thing that makes traffic flow. A
// backend only renders and applies a ForwardingTable; it never looks at
// Services or EndpointSlices, so each one is testable by its output alone.

import type { ForwardingTable } from './forwarding-table.js';

export type ProxyMode = 'nftables' | 'iptables' | 'userspace';

export const proxyModes: readonly ProxyMode[] = ['nftables', 'iptables', 'userspace'];

export interface ForwardingBackend {
  readonly name: ProxyMode;
  /** Replace everything this backend programmed with `table`, atomically where the backend allows. */
  apply(table: ForwardingTable): Promise<{ ruleCount: number }>;
  /** Remove everything this backend programmed (used by --cleanup on exit). */
  cleanup(): Promise<void>;
}
