import ipaddr from 'ipaddr.js';

/**
 * DNS names compare case-insensitively (RFC 4343) and arrive with or without
 * the root dot; the index keys them lowercase, without the trailing dot.
 */
export function normalizeName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed.toLowerCase();
}

export type AddressFamily = 'IPv4' | 'IPv6';

/** The family of a textual address, or undefined when it is not one (e.g. "None", ""). */
export function addressFamily(address: string): AddressFamily | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return 'IPv4';
  if (address.includes(':') && ipaddr.IPv6.isValid(address)) return 'IPv6';
  return undefined;
}

/** `10.0.0.1` → `1.0.0.10.in-addr.arpa`; IPv6 in the RFC 3596 nibble form under `ip6.arpa`. */
export function reverseName(address: string): string {
  const family = addressFamily(address);
  if (family === 'IPv4') {
    return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  }
  if (family === 'IPv6') {
    const nibbles: string[] = [];
    for (const byte of ipaddr.IPv6.parse(address).toByteArray()) {
      nibbles.push((byte >> 4).toString(16), (byte & 0xf).toString(16));
    }
    return `${nibbles.reverse().join('.')}.ip6.arpa`;
  }
  throw new TypeError(`not an IP address: ${JSON.stringify(address)}`);
}

/**
 * The label CoreDNS gives an endpoint without a hostname: its address with
 * dots (or colons) turned into dashes, `10.1.2.3` → `10-1-2-3`.
 */
export function dashedAddress(address: string): string {
  return address.replace(/[.:]/g, '-');
}

/** True when `name` is `zone` or lies below it. Both normalized. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port` and `[v6]:port`; the port may be 0 (pick a free one). */
export function parseHostPort(value: string, what: string): HostPort {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  const host = match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || !Number.isInteger(port) || port < 0 || port > 65535 || addressFamily(host) === undefined) {
    throw new RangeError(`${what} must be an IP address and port such as 127.0.0.1:10053 or [::1]:10053, got ${JSON.stringify(value)}`);
  }
  return { host, port };
}
