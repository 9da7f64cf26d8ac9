import protobuf from 'protobufjs';
import { BadRequestError } from '../errors.js';

// Kubernetes maps its protobuf messages to JSON its own way, not protobuf's
// canonical JSON: field names are the Go JSON tags, a few messages stand for a
// JSON scalar (IntOrString, Quantity, Time, MicroTime, FieldsV1), embedded Go
// structs are separate messages on the wire but inline in JSON, and a zero
// scalar disappears from JSON unless its Go field is a pointer or lacks
// omitempty. Go writes every non-pointer scalar to the wire, so "present on
// the wire" does not mean "present in JSON"; the schema's (emitZero) option
// says which zeros stay. This file is the one place that knows all of that.

type Json = unknown;
type JsonObject = Record<string, Json>;
type WireMessage = Record<string, unknown>;

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const FIELDS_V1 = `${META}.FieldsV1`;
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';

const INT_OR_STRING_STRING = 1;
const NOT_SPECIAL = Symbol('not special');

function isInline(field: protobuf.Field): boolean {
  return field.options?.['(inline)'] === true;
}

function emitsZero(field: protobuf.Field): boolean {
  return field.options?.['(emitZero)'] === true;
}

function has(message: WireMessage, name: string): boolean {
  return Object.hasOwn(message, name) && message[name] !== null && message[name] !== undefined;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  // int64 values arrive as Long; Kubernetes' int64 fields (seconds, generations) fit a double.
  return Number(String(value));
}

function scalarToJson(field: protobuf.Field, value: unknown): Json {
  switch (field.type) {
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return toNumber(value);
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value;
  }
}

function isZero(value: Json): boolean {
  return value === '' || value === 0 || value === false;
}

/** RFC 3339 in UTC, with `fraction` digits of sub-second precision (Time has none, MicroTime six). */
function formatTime(seconds: number, nanos: number, fraction: number): string {
  const whole = new Date(seconds * 1000);
  if (Number.isNaN(whole.getTime())) throw new BadRequestError(`the protobuf body holds a timestamp out of range: ${seconds}s`);
  const base = whole.toISOString().slice(0, 19);
  if (fraction === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Messages that stand for one JSON scalar; undefined means "absent" (a zero Time). */
function specialToJson(fullName: string, message: WireMessage): Json | undefined {
  switch (fullName) {
    case TIME:
    case MICRO_TIME:
      // Go writes a zero time as an empty message, which reads back as zero.
      if (!has(message, 'seconds') && !has(message, 'nanos')) return undefined;
      return formatTime(toNumber(message.seconds ?? 0), fullName === TIME ? 0 : toNumber(message.nanos ?? 0), fullName === TIME ? 0 : 6);
    case INT_OR_STRING:
      return toNumber(message.type ?? 0) === INT_OR_STRING_STRING ? String(message.strVal ?? '') : toNumber(message.intVal ?? 0);
    case QUANTITY:
      return String(message.string ?? '0');
    case FIELDS_V1: {
      const raw = Buffer.from((message.Raw as Uint8Array | undefined) ?? new Uint8Array()).toString('utf8');
      if (raw === '') return {};
      try {
        return JSON.parse(raw) as Json;
      } catch {
        throw new BadRequestError('the protobuf body holds a managedFields entry whose fieldsV1 is not JSON');
      }
    }
    default:
      return NOT_SPECIAL;
  }
}

function valueToJson(field: protobuf.Field, value: unknown): Json | undefined {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return messageToJson(type, value as WireMessage);
  return scalarToJson(field, value);
}

/** A decoded message as the JSON object Kubernetes would write for it. */
export function messageToJson(type: protobuf.Type, message: WireMessage): Json | undefined {
  const special = specialToJson(type.fullName, message);
  if (special !== NOT_SPECIAL) return special;
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, valueToJson(field, v)]));
    } else if (field.repeated) {
      const items = (value ?? []) as unknown[];
      if (items.length > 0) out[field.name] = items.map((item) => valueToJson(field, item));
    } else if (has(message, field.name)) {
      const converted = valueToJson(field, value);
      if (converted === undefined) continue;
      if (isInline(field)) Object.assign(out, converted);
      else if (field.resolvedType instanceof protobuf.Type || emitsZero(field) || !isZero(converted)) out[field.name] = converted;
    }
  }
  return out;
}

function parseTime(value: Json, fieldName: string): { seconds: number; nanos: number } {
  const text = String(value);
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) throw new BadRequestError(`${fieldName}: not an RFC 3339 time: ${text}`);
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return { seconds: Math.floor(millis / 1000), nanos: Number(fraction.padEnd(9, '0').slice(0, 9)) };
}

/** The wire form of a JSON scalar that a special message stands for. */
function specialFromJson(fullName: string, value: Json, fieldName: string): WireMessage | typeof NOT_SPECIAL {
  switch (fullName) {
    case TIME: return { seconds: parseTime(value, fieldName).seconds };
    case MICRO_TIME: return parseTime(value, fieldName);
    case INT_OR_STRING: return typeof value === 'string' ? { type: INT_OR_STRING_STRING, strVal: value } : { type: 0, intVal: value };
    case QUANTITY: return { string: String(value) };
    case FIELDS_V1: return { Raw: Buffer.from(JSON.stringify(value)) };
    default: return NOT_SPECIAL;
  }
}

function valueFromJson(field: protobuf.Field, value: Json): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return messageFromJson(type, value);
  if (field.type === 'bytes') return Buffer.from(String(value), 'base64');
  return value;
}

/**
 * The inverse: a Kubernetes JSON object as the plain object protobufjs
 * encodes for `type`. Skiff answers in JSON, so this serves encoding tests
 * and, later, protobuf responses.
 */
export function messageFromJson(type: protobuf.Type, json: Json): WireMessage {
  const special = specialFromJson(type.fullName, json, type.name);
  if (special !== NOT_SPECIAL) return special;
  const object = (json ?? {}) as JsonObject;
  const out: WireMessage = {};
  for (const field of type.fieldsArray) {
    if (isInline(field)) {
      out[field.name] = valueFromJson(field, object);
      continue;
    }
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    if (field instanceof protobuf.MapField) {
      out[field.name] = Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, valueFromJson(field, v)]));
    } else if (field.repeated) {
      out[field.name] = (value as Json[]).map((item) => valueFromJson(field, item));
    } else {
      out[field.name] = valueFromJson(field, value);
    }
  }
  return out;
}
