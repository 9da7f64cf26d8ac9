import ipaddr from 'ipaddr.js';

// CIDR arithmetic on top of ipaddr.js: addresses as bigint offsets so that the
// same allocator code serves IPv4 and IPv6 ranges.

export interface Cidr {
  text: string;
  family: 4 | 6;
  prefixLength: number;
  /** The network address as an integer. */
  network: bigint;
  /** Number of addresses in the range, network and broadcast included. */
  size: bigint;
}

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let value = 0n;
  for (const byte of address.toByteArray()) value = (value << 8n) | BigInt(byte);
  return value;
}

function fromBigInt(value: bigint, family: 4 | 6): string {
  const length = family === 4 ? 4 : 16;
  const bytes: number[] = new Array<number>(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The family as the allocators count it: an IPv4-mapped IPv6 address is IPv6 here, since offsets are taken on its 128 bits. */
function ipFamily(text: string): 4 | 6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  if (ipaddr.IPv6.isValid(text) && text.includes(':')) return 6;
  return undefined;
}

/** Whether the allocators can use `text` as a range (server flags are checked with this). */
export function isValidCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

export function parseCidr(text: string): Cidr {
  const [address, prefix] = ipaddr.parseCIDR(text);
  const family = address.kind() === 'ipv4' ? 4 : 6;
  if (family === 4 && !ipaddr.IPv4.isValidFourPartDecimal(text.split('/')[0] ?? '')) throw new Error(`invalid CIDR ${text}`);
  const bits = family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - prefix);
  const network = (toBigInt(address) / size) * size;
  return { text: `${fromBigInt(network, family)}/${prefix}`, family, prefixLength: prefix, network, size };
}

/** Offset of `ip` inside `cidr`, or undefined when outside (or another family). */
export function offsetOf(cidr: Cidr, ip: string): bigint | undefined {
  if (ipFamily(ip) !== cidr.family) return undefined;
  const value = toBigInt(ipaddr.parse(ip));
  const offset = value - cidr.network;
  return offset >= 0n && offset < cidr.size ? offset : undefined;
}

export function addressAt(cidr: Cidr, offset: bigint): string {
  return fromBigInt(cidr.network + offset, cidr.family);
}

/** The i-th subnet of `prefixLength` inside `cidr` (e.g. the i-th /24 of a /16). */
export function subnetAt(cidr: Cidr, prefixLength: number, index: bigint): string {
  const bits = cidr.family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - prefixLength);
  return `${fromBigInt(cidr.network + size * index, cidr.family)}/${prefixLength}`;
}

export function subnetCount(cidr: Cidr, prefixLength: number): bigint {
  if (prefixLength < cidr.prefixLength) return 0n;
  return 1n << BigInt(prefixLength - cidr.prefixLength);
}
