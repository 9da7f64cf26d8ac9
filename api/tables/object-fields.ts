// Objects arrive as untyped JSON. These readers never throw: a missing or
// mistyped field reads as Go's zero value, which is what the upstream printers
// see for an unset field.

export type JsonRecord = Readonly<Record<string, unknown>>;

const EMPTY: JsonRecord = Object.freeze({});
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/** The value as an object, or an empty object. */
export function record(value: unknown): JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : EMPTY;
}

/** The value as an object, or undefined when absent (Go's nil pointer). */
export function optionalRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : NO_ITEMS;
}

export function integer(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function metadataOf(object: unknown): JsonRecord {
  return record(record(object).metadata);
}

export function specOf(object: unknown): JsonRecord {
  return record(record(object).spec);
}

export function statusOf(object: unknown): JsonRecord {
  return record(record(object).status);
}

export function nameOf(object: unknown): string {
  return text(metadataOf(object).name);
}
