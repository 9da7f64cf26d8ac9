import { BadRequestError } from '../errors.js';
import { FieldErrors } from '../validation/field-errors.js';
import { record } from './object-fields.js';

/** What each Table row carries besides its cells (metav1.IncludeObjectPolicy). */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

const POLICIES: readonly string[] = ['None', 'Metadata', 'Object'];

/**
 * The `includeObject` query parameter; absent or empty means Metadata.
 * Anything else is rejected as the API server rejects it, before any row is built.
 */
export function parseIncludeObject(value: string | undefined): IncludeObjectPolicy {
  if (value === undefined || value === '') return 'Metadata';
  if (POLICIES.includes(value)) return value as IncludeObjectPolicy;
  const cause = new FieldErrors().invalid('includeObject', value, "must be 'Metadata', 'Object', 'None', or empty").causes[0]!;
  throw new BadRequestError(`Unable to convert to Table as requested: ${cause.field}: ${cause.message}`);
}

/** The row's `object`: nothing, a PartialObjectMetadata with the full metadata, or the object itself. */
export function rowObject(object: unknown, policy: IncludeObjectPolicy): unknown {
  switch (policy) {
    case 'None':
      return undefined;
    case 'Object':
      return object;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: record(record(object).metadata) };
  }
}
