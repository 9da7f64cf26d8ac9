import type { ObjectMeta, OwnerReference } from '../schemas/meta.js';
import { isDeepStrictEqual } from 'node:util';
import { FieldErrors } from './field-errors.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from './identifiers.js';

// ObjectMeta rules shared by every kind (k8s.io/apimachinery/pkg/api/validation
// objectmeta.go, plus core's finalizer-name rule), with upstream's field paths
// and messages.

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

export const FIELD_IMMUTABLE = 'field is immutable';

export const IS_NEGATIVE_ERROR = 'must be greater than or equal to 0';

/** Finalizer names core Kubernetes accepts without a domain prefix. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaValidationOptions {
  namespaced: boolean;
  /** The kind's name rule, e.g. isDNS1123Subdomain; returns the problems, empty when valid. */
  nameRule: (name: string) => string[];
}

/**
 * A generateName prefix is checked by the name rule with a trailing '-'
 * masked, since the generated suffix will follow it (upstream maskTrailingDash).
 */
function maskTrailingDash(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -1)}a` : prefix;
}

/** ValidateLabels: keys are qualified names, values label values, both reported at `path`. */
export function validateLabels(labels: Record<string, string> | undefined, path: string, errors = new FieldErrors()): FieldErrors {
  for (const [key, value] of Object.entries(labels ?? {})) {
    errors.invalidEach(path, key, isQualifiedName(key));
    errors.invalidEach(path, value, isValidLabelValue(value));
  }
  return errors;
}

/** Annotation keys are qualified names compared case-insensitively; the whole map is capped at 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string, errors = new FieldErrors()): FieldErrors {
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    errors.invalidEach(path, key, isQualifiedName(key.toLowerCase()));
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES);
  return errors;
}

/** The version part of an apiVersion, as schema.FromAPIVersionAndKind parses it ('' when malformed). */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return parts[0] ?? '';
  if (parts.length === 2) return parts[1] ?? '';
  return '';
}

function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: string, errors: FieldErrors): void {
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const version = versionOf(apiVersion);
    if (!version) errors.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty');
    if (!ref.kind) errors.invalid(`${path}.kind`, ref.kind ?? '', 'must not be empty');
    if (!ref.name) errors.invalid(`${path}.name`, ref.name ?? '', 'must not be empty');
    if (!ref.uid) errors.invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty');
    if (ref.kind === 'Event' && apiVersion === 'v1') errors.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner');
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`;
      if (firstController) {
        errors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`);
      } else {
        firstController = current;
      }
    }
  }
}

function validateFinalizers(finalizers: readonly string[] | undefined, path: string, errors: FieldErrors): void {
  const list = finalizers ?? [];
  for (const finalizer of list) errors.invalidEach(path, finalizer, isQualifiedName(finalizer));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errors.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set');
  }
  list.forEach((finalizer, i) => {
    if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
      errors.invalid(`${path}[${i}]`, finalizer, 'name is neither a standard finalizer name nor is it fully qualified');
    }
  });
}

/**
 * Metadata checks on create (and, for the parts that may change, on update).
 * A name is required unless generateName is given: the registry generates the
 * name first, but this may also run on a body that has not been through it.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaValidationOptions): FieldErrors {
  const errors = new FieldErrors();
  const path = 'metadata';
  if (meta.generateName) errors.invalidEach(`${path}.generateName`, meta.generateName, opts.nameRule(maskTrailingDash(meta.generateName)));
  if (meta.name) {
    errors.invalidEach(`${path}.name`, meta.name, opts.nameRule(meta.name));
  } else if (!meta.generateName) {
    errors.required(`${path}.name`, 'name or generateName is required');
  }
  if (opts.namespaced) {
    if (!meta.namespace) errors.required(`${path}.namespace`);
    else errors.invalidEach(`${path}.namespace`, meta.namespace, isDNS1123Label(meta.namespace));
  } else if (meta.namespace) {
    errors.forbidden(`${path}.namespace`, 'not allowed on this type');
  }
  if (meta.generation !== undefined && meta.generation < 0) errors.invalid(`${path}.generation`, meta.generation, IS_NEGATIVE_ERROR);
  validateLabels(meta.labels, `${path}.labels`, errors);
  validateAnnotations(meta.annotations, `${path}.annotations`, errors);
  validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`, errors);
  validateFinalizers(meta.finalizers, `${path}.finalizers`, errors);
  return errors;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * The update-only metadata rules: identity and deletion state are immutable,
 * and an object being deleted takes no new finalizers. Labels, annotations and
 * the rest are checked by validateObjectMeta, which the registry also runs on
 * update, so they are not reported twice. A field the body leaves out is not a
 * change: upstream's BeforeUpdate fills it from the stored object (see
 * carryOverSystemMetadata).
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldErrors {
  const errors = new FieldErrors();
  const path = 'metadata';
  if (present(old.deletionTimestamp)) {
    const before = new Set(old.finalizers ?? []);
    const added = [...new Set(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (added.length > 0) {
      errors.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`);
    }
  }
  const immutable = (field: keyof ObjectMeta, always: boolean): void => {
    const now = meta[field];
    const then = old[field];
    if (!always && !present(now)) return;
    if (!isDeepStrictEqual(present(now) ? now : undefined, present(then) ? then : undefined)) errors.invalid(`${path}.${field}`, now, FIELD_IMMUTABLE);
  };
  immutable('name', true);
  immutable('namespace', true);
  immutable('uid', false);
  immutable('creationTimestamp', false);
  immutable('deletionTimestamp', false);
  immutable('deletionGracePeriodSeconds', false);
  return errors;
}

/**
 * What upstream's rest.BeforeUpdate copies from the stored object before
 * validating an update, so that a body read long ago (or written by hand)
 * need not repeat server-owned metadata.
 */
export function carryOverSystemMetadata(meta: ObjectMeta, old: ObjectMeta): void {
  if (!meta.uid) meta.uid = old.uid;
  if (present(old.creationTimestamp)) meta.creationTimestamp = old.creationTimestamp;
  if (present(old.deletionTimestamp) && !present(meta.deletionTimestamp)) meta.deletionTimestamp = old.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  }
  meta.generation = old.generation;
}
