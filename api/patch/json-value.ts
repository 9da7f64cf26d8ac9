// The JSON data model every patch operates on. Patches arrive as parsed JSON,
// so these are the only shapes a value can take.

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shape of a value as Go's encoding/json names it in its errors (`cannot unmarshal array into …`). */
export function jsonKind(value: unknown): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  return 'string';
}

/** A deep copy, so that no result ever shares a node with a caller's input. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
