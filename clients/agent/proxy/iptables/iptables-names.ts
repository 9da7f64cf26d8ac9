// Chain names in kube-proxy's iptables layout, with skiff's prefix:
// PREFIX-SVC-<hash> per Service port, PREFIX-SEP-<hash> per endpoint, as
// upstream derives them (16 base32 characters of a SHA-256), so they fit
// iptables' 28-character limit whatever the Service is called.

import type { ForwardingEndpoint, ServicePortRule } from '../forwarding-table.js';
import { endpointKey } from '../categorize-endpoints.js';
import { base32Hash } from '../name-hash.js';

export const DEFAULT_CHAIN_PREFIX = 'SKIFF';

/** iptables chain names are at most 28 characters (XT_EXTENSION_MAXNAMELEN minus the NUL). */
const CHAIN_NAME_MAX = 28;
const HASH_LENGTH = 16;

export class ChainPrefixError extends Error {
  constructor(prefix: string) {
    super(
      `iptables chain prefix must be 1-7 upper-case letters or digits starting with a letter (so that "<prefix>-SVC-" plus a ${HASH_LENGTH}-character hash fits iptables' ${CHAIN_NAME_MAX}-character limit), got ${JSON.stringify(prefix)}`,
    );
    this.name = 'ChainPrefixError';
  }
}

export function checkChainPrefix(prefix: string): string {
  if (!/^[A-Z][A-Z0-9]{0,6}$/.test(prefix)) throw new ChainPrefixError(prefix);
  return prefix;
}

export interface IptablesChainNames {
  prefix: string;
  services: string;
  externalServices: string;
  nodePorts: string;
  postrouting: string;
  markMasq: string;
}

export function topLevelChains(prefix: string): IptablesChainNames {
  return {
    prefix,
    services: `${prefix}-SERVICES`,
    externalServices: `${prefix}-EXTERNAL-SERVICES`,
    nodePorts: `${prefix}-NODEPORTS`,
    postrouting: `${prefix}-POSTROUTING`,
    markMasq: `${prefix}-MARK-MASQ`,
  };
}

/** The cluster-policy chain: PREFIX-SVC-<hash>. */
export function serviceChain(prefix: string, rule: ServicePortRule): string {
  return `${prefix}-SVC-${base32Hash(rule.id, HASH_LENGTH)}`;
}

/** The local-policy chain: PREFIX-SVL-<hash>. */
export function localChain(prefix: string, rule: ServicePortRule): string {
  return `${prefix}-SVL-${base32Hash(rule.id, HASH_LENGTH)}`;
}

/** External destinations (NodePort, external IPs): PREFIX-EXT-<hash>. */
export function externalChain(prefix: string, rule: ServicePortRule): string {
  return `${prefix}-EXT-${base32Hash(rule.id, HASH_LENGTH)}`;
}

/** One endpoint of one Service port: PREFIX-SEP-<hash>; also the `-m recent` list name for affinity. */
export function endpointChain(prefix: string, rule: ServicePortRule, endpoint: ForwardingEndpoint): string {
  return `${prefix}-SEP-${base32Hash(`${rule.id}${endpointKey(endpoint)}`, HASH_LENGTH)}`;
}
