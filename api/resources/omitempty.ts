import { GO_STRUCT_FIELDS, KIND_GO_TYPES, type OmitRule } from './omitempty-fields.js';

// Drops the fields kube-apiserver would never write back: an omitempty field
// of a kind's Go type that holds its zero value. Upstream gets this for free
// from decoding into Go structs (`"name": ""` and no name are the same value);
// skiff keeps JSON as sent, so it prunes once where a body is decoded and then
// stores, lists and watches only what upstream would.

interface Field {
  readonly omit: OmitRule | null;
  readonly struct: StructFields | null;
}
type StructFields = ReadonlyMap<string, Field>;

/** Prunes one object of a kind in place. */
export type OmitEmptyPruner = (object: Record<string, unknown>) => void;

function isEmpty(rule: OmitRule, value: unknown): boolean {
  if (value === null) return true;
  switch (rule) {
    case 'string': return value === '';
    case 'number': return value === 0;
    case 'boolean': return value === false;
    case 'list': return Array.isArray(value) && value.length === 0;
    case 'map': return typeof value === 'object' && !Array.isArray(value) && isEmptyObject(value as object);
    case 'pointer': return false;
  }
}

function isEmptyObject(value: object): boolean {
  for (const _key in value) return false;
  return true;
}

// Maps, not the table's plain objects: a body's keys (`constructor`, `__proto__`)
// must never resolve to Object.prototype members.
const compiled = new Map<string, Map<string, Field>>();

function compile(typeName: string): StructFields {
  const existing = compiled.get(typeName);
  if (existing) return existing;
  const fields = new Map<string, Field>();
  compiled.set(typeName, fields); // before the loop: recursive types (JSON schema props) terminate
  const source = GO_STRUCT_FIELDS[typeName];
  if (!source) throw new Error(`no Go type ${typeName} in GO_STRUCT_FIELDS`);
  for (const [name, field] of Object.entries(source)) {
    if (typeof field === 'string') fields.set(name, { omit: field, struct: null });
    else fields.set(name, { omit: field[0], struct: compile(field[1]) });
  }
  return fields;
}

function pruneStruct(object: Record<string, unknown>, fields: StructFields): void {
  for (const key in object) {
    const field = fields.get(key);
    if (!field) continue;
    const value = object[key];
    if (field.omit !== null && isEmpty(field.omit, value)) {
      delete object[key];
      continue;
    }
    if (field.struct === null || value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object' && !Array.isArray(item)) pruneStruct(item as Record<string, unknown>, field.struct);
    } else {
      pruneStruct(value as Record<string, unknown>, field.struct);
    }
  }
}

/** The pruner for a kind skiff knows the Go type of, or undefined (then nothing is pruned). */
export function omitEmptyPruner(kind: string): OmitEmptyPruner | undefined {
  if (!Object.hasOwn(KIND_GO_TYPES, kind)) return undefined;
  const typeName = KIND_GO_TYPES[kind]!;
  const fields = compile(typeName);
  return (object) => pruneStruct(object, fields);
}
