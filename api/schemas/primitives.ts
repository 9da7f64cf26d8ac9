import { Type, type TArray, type TUnion, type TInteger, type TNumber, type TString, type TUnsafe } from '@sinclair/typebox';

// The scalar and map shapes Kubernetes types are built from, written once so
// every kind spells them the same way in request validation and in OpenAPI.

/**
 * Vendor extensions these schemas carry. Ajv must be told about them (or run
 * with `strict: false`); they never change what validates.
 */
export const SCHEMA_EXTENSION_KEYWORDS = [
  'x-kubernetes-group-version-kind',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
] as const;

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The `x-kubernetes-group-version-kind` value kubectl explain looks a kind up by. */
export function groupVersionKind(group: string, version: string, kind: string): GroupVersionKind[] {
  return [{ group, version, kind }];
}

export function int32(description: string): TInteger {
  return Type.Integer({ format: 'int32', description });
}

export function int64(description: string): TInteger {
  return Type.Integer({ format: 'int64', description });
}

/**
 * IntOrString (targetPort, probe ports). An `anyOf`, not upstream's
 * `type: string, format: int-or-string`, because request validation must
 * accept both `8080` and `"http"`; the extension tells OpenAPI readers what it is.
 */
export function intOrString(description: string): TUnion<[TInteger, TString]> {
  return Type.Union([Type.Integer({ format: 'int32' }), Type.String()], {
    description,
    'x-kubernetes-int-or-string': true,
  });
}

/**
 * metav1.Time and MicroTime: RFC 3339 text. Null is accepted because Go
 * clients serialize a zero time as null (`kubectl expose` sends
 * `creationTimestamp: null`, kubelets send `lastProbeTime: null`). OpenAPI's
 * `nullable` (which ajv understands) rather than an anyOf keeps the field a
 * plain `<string>` in kubectl explain.
 */
export function time(description: string): TUnsafe<string | null> {
  return Type.Unsafe<string | null>({ type: 'string', format: 'date-time', nullable: true, description });
}

/** map[string]string: labels, annotations, selectors. */
export function stringMap(description: string): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' }, description });
}

/** map[string][]byte: each value base64 text on the wire (Secret.data, ConfigMap.binaryData). */
export function byteMap(description: string): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description });
}

/**
 * resource.Quantity: canonically a string ("100m", "1Gi"), but YAML manifests
 * often carry bare numbers (`cpu: 1`), which the Go decoder accepts too.
 */
export function quantity(description: string): TUnion<[TString, TNumber]> {
  return Type.Union([Type.String(), Type.Number()], { description, 'x-kubernetes-int-or-string': true });
}

/** map[ResourceName]Quantity: capacity, allocatable, requests, limits. */
export function quantityMap(description: string): TUnsafe<Record<string, string | number>> {
  return Type.Unsafe<Record<string, string | number>>({
    type: 'object',
    additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }], 'x-kubernetes-int-or-string': true },
    description,
  });
}

/**
 * A field skiff stores and returns but does not interpret (resources,
 * securityContext, nodeInfo …): any object, so clients may send whatever the
 * full Kubernetes type allows.
 */
export function looseObject(description: string): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });
}

/** A list of objects skiff does not interpret (volumes, containerStatuses …). */
export function looseObjectList(description: string): TUnsafe<Record<string, unknown>[]> {
  return Type.Unsafe<Record<string, unknown>[]>({
    type: 'array',
    items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    description,
  });
}

export function stringList(description: string): TArray<TString> {
  return Type.Array(Type.String(), { description });
}
