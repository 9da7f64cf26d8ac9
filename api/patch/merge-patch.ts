import mergePatch from 'json-merge-patch';
import { BadRequestError } from '../errors.js';
import { cloneJson, isJsonObject } from './json-value.js';

// RFC 7386 JSON merge patch (`application/merge-patch+json`: kubectl label,
// annotate, `patch --type=merge`). Objects merge recursively, `null` deletes a
// key, and every other value — lists included — replaces what was there.

/**
 * json-merge-patch stops merging a map, silently, at the first of these keys
 * (its prototype-pollution guard), dropping the rest of that map's patch.
 */
const KEYS_THE_LIBRARY_SKIPS = new Set(['__proto__', 'constructor', 'prototype']);

/** Applies an RFC 7386 merge patch to a copy of `target`; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  // By the RFC a non-object patch replaces the whole object. The apiserver never
  // gets that far: evanphx/json-patch refuses `null` and scalars with
  // ErrBadJSONPatch (400), and an array cannot decode as an object. One 400 for all.
  if (!isJsonObject(patch)) throw new BadRequestError('Invalid JSON Patch');
  // A label named `constructor` is legal in Kubernetes; refusing it beats half-applying the patch.
  const skipped = findSkippedKey(patch);
  if (skipped !== undefined) throw new BadRequestError(`merge patch: the key "${skipped}" is not supported`);
  // The library edits its target in place and links patch values into it, so it gets copies of both.
  return mergePatch.apply(cloneJson(target), cloneJson(patch));
}

function findSkippedKey(value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (KEYS_THE_LIBRARY_SKIPS.has(key)) return key;
    const nested = findSkippedKey(child);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
