// Why strategies
//
// The Kubernetes API server keeps one generic registry (store, concurrency,
// metadata, watch) and hands everything that makes a Pod a Pod to a small
// per-kind "strategy". skiff copies that split for the same reasons:
//
// - The rules are the API. Defaults decide what `kubectl get -o yaml` shows,
//   validation decides which manifests are refused and with which words, and
//   the spec/status split decides who may write what. Kept in one file per
//   kind, they can be read against upstream's defaults.go, validation.go and
//   strategy.go and tested as pure functions, without HTTP or SQLite.
// - The status subresource is a permission boundary, not a different object.
//   Users write spec through the main resource; agents and controllers write
//   status through /status. Each side's prepare step copies the other half
//   from the stored object, so neither can clobber the other, however stale
//   the body it sends.
// - Validation reports every problem with the field path and message upstream
//   uses, because kubectl prints those verbatim and users search for them.
//
// The registry drives a strategy in a fixed order: prepareFor* (decide what
// the request may change), then applyDefaults, then the validate* step that
// matches the write. Metadata rules common to all kinds live in
// api/validation/object-meta.ts and are applied by the registry itself.

import type { ObjectMeta } from '../schemas/meta.js';
import type { FieldErrors } from '../validation/field-errors.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export interface ResourceStrategy<T extends KubeObject> {
  /**
   * Kubernetes defaulting (SetDefaults_*): protocol TCP, service type
   * ClusterIP, restartPolicy Always … Mutates in place; idempotent. Runs on
   * create and on every update, after the prepare step.
   */
  applyDefaults(obj: T): void;
  /** Create: resets what a user may not set (the status of most kinds). */
  prepareForCreate(obj: T): void;
  /** Update of the main resource: status is carried over from `old`. */
  prepareForUpdate(obj: T, old: T): void;
  /** Update through /status: everything but status is carried over from `old`. Only kinds with a status subresource. */
  prepareForStatusUpdate?(obj: T, old: T): void;
  /** Kind-specific validation on create (object metadata is validated by the registry). */
  validate(obj: T): FieldErrors;
  /** Kind-specific validation on update, immutability rules included. */
  validateUpdate(obj: T, old: T): FieldErrors;
  /** Validation of a write through /status. */
  validateStatusUpdate?(obj: T, old: T): FieldErrors;
  /** Whether the desired state changed, which bumps metadata.generation. */
  specChanged(obj: T, old: T): boolean;
  /**
   * Kinds deleted gracefully (upstream's CheckGracefulDelete): the grace
   * period for a delete that asked for `requested` seconds (undefined: not
   * given); 0 removes the object at once. Kinds without it are always removed at once.
   */
  gracefulDeleteSeconds?(obj: T, requested: number | undefined): number;
}
