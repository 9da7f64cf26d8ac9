import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { FieldErrors } from './field-errors.js';

// IP and CIDR checks with the messages of k8s.io/apimachinery's
// util/validation/ip.go and of core validation's ValidateNonSpecialIP.

export type IPFamily = 'IPv4' | 'IPv6';

export const INVALID_IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const INVALID_CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** The family of a textual IP address, or undefined when it is not one (zones are not addresses). */
export function ipFamilyOf(value: string): IPFamily | undefined {
  if (value.includes('%')) return undefined;
  const version = isIP(value);
  if (version === 4) return 'IPv4';
  if (version === 6) return isIPv4Mapped(value) ? 'IPv4' : 'IPv6';
  return undefined;
}

function isIPv4Mapped(value: string): boolean {
  const parsed = ipaddr.parse(value);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress();
}

export function isValidIP(value: string): boolean {
  return ipFamilyOf(value) !== undefined;
}

/** Go's net.ParseCIDR: an address, a slash, a prefix length that fits the family. */
export function cidrFamilyOf(value: string): IPFamily | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefix) || address.includes('%')) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const bits = Number(prefix);
  if (version === 4) return bits <= 32 ? 'IPv4' : undefined;
  return bits <= 128 ? (isIPv4Mapped(address) ? 'IPv4' : 'IPv6') : undefined;
}

export function isValidCIDR(value: string): boolean {
  return cidrFamilyOf(value) !== undefined;
}

/** validation.IsValidIP: appends an Invalid cause and reports whether the address was valid. */
export function validateIP(errors: FieldErrors, path: string, value: string): boolean {
  if (isValidIP(value)) return true;
  errors.invalid(path, value, INVALID_IP_MESSAGE);
  return false;
}

export function validateCIDR(errors: FieldErrors, path: string, value: string): boolean {
  if (isValidCIDR(value)) return true;
  errors.invalid(path, value, INVALID_CIDR_MESSAGE);
  return false;
}

/**
 * ValidateNonSpecialIP: endpoint and external IPs may not be unspecified,
 * loopback or link-local, because traffic to them never leaves the node
 * that handles it. Assumes the address already parsed.
 */
export interface SpecialIPOptions {
  /**
   * Endpoints on 127.0.0.0/8 are refused upstream because kube-proxy would send
   * traffic to the node's own loopback. skiff allows them for endpoints so a
   * whole cluster (pods, userspace proxy) can run on one host's loopback.
   */
  allowLoopback?: boolean;
}

export function validateNonSpecialIP(errors: FieldErrors, path: string, value: string, options: SpecialIPOptions = {}): void {
  if (!isValidIP(value)) {
    errors.invalid(path, value, 'must be a valid IP address');
    return;
  }
  let address = ipaddr.parse(value);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  const bytes = address.toByteArray();
  const v4 = address.kind() === 'ipv4';
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  if (bytes.every((b) => b === 0)) errors.invalid(path, value, `may not be unspecified (${value})`);
  const loopback = v4 ? first === 127 : bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
  if (loopback && !options.allowLoopback) errors.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)');
  const linkLocalUnicast = v4 ? first === 169 && second === 254 : first === 0xfe && (second & 0xc0) === 0x80;
  if (linkLocalUnicast) errors.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  const linkLocalMulticast = v4 ? first === 224 && second === 0 && bytes[2] === 0 : first === 0xff && (second & 0x0f) === 0x02;
  if (linkLocalMulticast) errors.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
}

/** netutils.IsDualStackIPStrings / IsDualStackCIDRStrings: at least one address of each family. */
export function isDualStack(families: readonly (IPFamily | undefined)[]): boolean {
  return families.includes('IPv4') && families.includes('IPv6');
}
