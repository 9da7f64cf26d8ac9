import { randomInt, randomUUID } from 'node:crypto';

// Kubernetes' generateName suffix alphabet: no vowels (no accidental words) and
// no look-alike characters (0/o, 1/l/i, 3/e).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** Upstream caps the prefix so prefix + suffix stays within a 63-character label. */
const MAX_GENERATED_NAME_PREFIX = 63 - SUFFIX_LENGTH;

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return prefix.slice(0, MAX_GENERATED_NAME_PREFIX) + suffix;
}

export function newUid(): string {
  return randomUUID();
}

/** RFC 3339 at second precision, as Kubernetes serializes metav1.Time. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
