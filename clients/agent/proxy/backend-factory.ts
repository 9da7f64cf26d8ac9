// One place that turns --mode into a backend. Each backend lives in its own
// folder and knows nothing of the others.

import type { ForwardingBackend, ProxyMode } from './backend.js';
import { createIptablesBackend } from './iptables/iptables-backend.js';
import type { Logger } from '../../client/logger.js';
import { createNftablesBackend } from './nftables/nftables-backend.js';
import { DummyInterface } from './userspace/dummy-interface.js';
import { createUserspaceBackend } from './userspace/userspace-backend.js';

export interface BackendSettings {
  mode: ProxyMode;
  logger: Logger;
  /** userspace: the dummy interface for non-loopback ClusterIPs, or none. */
  userspaceInterface: string | undefined;
  udpIdleTimeoutMs: number;
}

export function createBackend(settings: BackendSettings): ForwardingBackend {
  switch (settings.mode) {
    case 'nftables':
      return createNftablesBackend({ logger: settings.logger });
    case 'iptables':
      return createIptablesBackend({ logger: settings.logger });
    case 'userspace':
      return createUserspaceBackend({
        logger: settings.logger,
        addressManager: settings.userspaceInterface === undefined ? null : new DummyInterface(settings.userspaceInterface),
        udpIdleTimeoutMs: settings.udpIdleTimeoutMs,
      });
  }
}
