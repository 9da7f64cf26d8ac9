// Chain and set names for one Service port and its endpoints, built the way
// kube-proxy's nftables proxier builds them: a hash of the full name first
// (so truncation or near-identical names can never collide or confuse), then
// the readable `namespace/service/protocol/port`, so `nft list table` reads
// like the cluster.

import type { ForwardingEndpoint, ServicePortRule } from '../forwarding-table.js';
import { base32Hash } from '../name-hash.js';

/** nft's NFT_NAME_MAXLEN is 256 bytes including the terminating NUL. */
const NAME_LENGTH_MAX = 255;
/** Room for the longest prefix we put in front of a base name ("affinity-", "endpoint-", "external-"). */
const PREFIX_LENGTH_MAX = 16;
const BASE_LENGTH_MAX = NAME_LENGTH_MAX - PREFIX_LENGTH_MAX;

/**
 * Characters nft accepts in an unquoted identifier after the first are
 * [A-Za-z0-9_./-]; Kubernetes names are [a-z0-9-], so only odd input (IPv6
 * colons, a foreign port name) is rewritten.
 */
function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_./-]/g, '_');
}

/**
 * The hash covers `identity` (unique: it contains the rule id); the readable
 * part may be truncated, which the hash makes harmless.
 */
function hashAndTruncate(identity: string, readable: string): string {
  const full = `${base32Hash(identity, 8)}-${sanitize(readable)}`;
  return full.length > BASE_LENGTH_MAX ? `${full.slice(0, BASE_LENGTH_MAX - 3)}...` : full;
}

function readableServicePort(rule: ServicePortRule): string {
  const port = rule.portName !== '' ? rule.portName : String(rule.port);
  return `${rule.namespace}/${rule.service}/${rule.protocol.toLowerCase()}/${port}`;
}

/** `HASH-namespace/service/tcp/port`. */
export function servicePortBase(rule: ServicePortRule): string {
  return hashAndTruncate(rule.id, readableServicePort(rule));
}

/** `HASH-namespace/service/tcp/port__10.244.1.5/8080` (IPv6 colons become dots, as upstream). */
export function endpointBase(rule: ServicePortRule, endpoint: ForwardingEndpoint): string {
  const target = `${endpoint.ip.replaceAll(':', '.')}/${endpoint.port}`;
  return hashAndTruncate(`${rule.id}__${target}`, `${readableServicePort(rule)}__${target}`);
}
