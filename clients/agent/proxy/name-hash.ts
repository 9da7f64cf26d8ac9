// Short, stable, identifier-safe hashes for kernel object names, as
// kube-proxy derives them: SHA-256, base32 (RFC 4648 alphabet, which is only
// upper-case letters and digits 2-7, so valid in nft and iptables names).

import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first `length` base32 characters of SHA-256(text). */
export function base32Hash(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
      if (out.length === length) return out;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
