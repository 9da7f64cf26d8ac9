import { BadRequestError } from '../errors.js';
import type { FieldValidationDirective } from './query-parameters.js';

// Server-side field validation (the `fieldValidation` query parameter,
// GA since Kubernetes 1.27). The Kubernetes API server decodes bodies into Go
// structs, so a field the type does not have can never be stored: it is
// dropped, and the directive only decides whether the client hears of it.
// kubectl relies on this: once the OpenAPI document advertises the parameter,
// `kubectl apply` stops validating manifests itself and sends
// `fieldValidation=Strict`, trusting the server to refuse typos.

// The directive itself is parsed with the other write options in query-parameters.ts.

type Schema = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Removes, in place, every field of `value` its JSON schema does not declare,
 * and returns their paths in upstream's notation (`spec.containers[0].foo`),
 * in document order. Schemas marked `x-kubernetes-preserve-unknown-fields`
 * and maps keep whatever they hold.
 */
export function dropUnknownFields(schema: unknown, value: unknown, path = ''): string[] {
  if (!isRecord(schema) || schema['x-kubernetes-preserve-unknown-fields'] === true) return [];
  if (Array.isArray(value)) {
    return value.flatMap((element, index) => dropUnknownFields(schema.items, element, `${path}[${index}]`));
  }
  if (!isRecord(value)) return [];
  const properties = schema.properties as Record<string, Schema> | undefined;
  const extra = schema.additionalProperties;
  const unknown: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const declared = properties?.[key];
    if (declared) {
      unknown.push(...dropUnknownFields(declared, field, child(path, key)));
    } else if (isRecord(extra)) {
      unknown.push(...dropUnknownFields(extra, field, child(path, key)));
    } else if (properties && extra !== true) {
      unknown.push(child(path, key));
      delete value[key];
    }
  }
  return unknown;
}

export interface FieldValidationContext {
  directive: FieldValidationDirective;
  /** The kind's schema, by which fields are known. */
  schema: unknown;
  kind: string;
  apiVersion: string;
  /** Where a Warn directive's warnings go (the response's Warning header). */
  warn: (message: string) => void;
}

/**
 * Applies the directive to a decoded body (create, update) or to the result of
 * a patch: drops the unknown fields, then refuses, warns or stays silent.
 */
export function enforceFieldValidation(context: FieldValidationContext, value: unknown, stage: 'decode' | 'patch'): void {
  const unknown = dropUnknownFields(context.schema, value);
  if (unknown.length === 0 || context.directive === 'Ignore') return;
  const problems = unknown.map((path) => `unknown field ${JSON.stringify(path)}`);
  if (context.directive === 'Warn') {
    for (const problem of problems) context.warn(problem);
    return;
  }
  const strict = `strict decoding error: ${problems.join(', ')}`;
  throw new BadRequestError(stage === 'decode' ? `${context.kind} in version ${JSON.stringify(context.apiVersion.split('/').pop())} cannot be handled as a ${context.kind}: ${strict}` : strict);
}
