import { BadRequestError } from '../errors.js';
import { isConfigMapKey } from '../validation/config-key.js';
import type { FieldErrors } from '../validation/field-errors.js';

// What ConfigMap and Secret share: keys checked as mount file names, values
// that are base64 text on the wire for []byte fields, and the rule that data
// may no longer change once `immutable` is set.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes a base64 value stands for; refuses what Go's strict StdEncoding refuses, with its wording. */
export function decodedLength(kind: string, value: string): number {
  if (!BASE64.test(value)) {
    const bad = [...value].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
    const at = bad === -1 ? value.length - (value.length % 4 || 4) : bad;
    throw new BadRequestError(`${kind} in version "v1" cannot be handled as a ${kind}: illegal base64 data at input byte ${at}`);
  }
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}

/** Checks every key of one map (data, binaryData) and returns the bytes its values hold. */
export function validateKeys(errors: FieldErrors, path: string, map: Readonly<Record<string, string>> | undefined, size: (value: string) => number): number {
  let total = 0;
  for (const [key, value] of Object.entries(map ?? {})) {
    errors.invalidEach(`${path}[${key}]`, key, isConfigMapKey(key));
    total += size(value);
  }
  return total;
}

export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = Object.entries(a ?? {});
  if (left.length !== Object.keys(b ?? {}).length) return false;
  return left.every(([key, value]) => (b ?? {})[key] === value);
}

const IMMUTABLE = 'field is immutable when `immutable` is set';

/** Once `immutable` was true, it stays true and the named maps stay as they were. */
export function validateImmutableData<T extends { immutable?: boolean }>(errors: FieldErrors, next: T, old: T, fields: ReadonlyArray<keyof T & string>): void {
  if (old.immutable !== true) return;
  if (next.immutable !== true) errors.forbidden('immutable', IMMUTABLE);
  for (const field of fields) {
    if (!sameMap(next[field] as Record<string, string> | undefined, old[field] as Record<string, string> | undefined)) errors.forbidden(field, IMMUTABLE);
  }
}
