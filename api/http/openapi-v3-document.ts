import type { TSchema } from '@sinclair/typebox';
import type { PatchSchema } from '../patch/patch-schema.js';
import { listOf } from '../schemas/list.js';
import { DeleteOptionsSchema, StatusSchema } from '../schemas/meta.js';
import { groupVersionPath, type ResourceKind } from '../resources/resource-kind.js';
import type { KubeObject } from '../resources/strategy.js';

// The per-group-version documents under /openapi/v3, shaped the way the
// Kubernetes API server shapes them, because kubectl reads them by those
// conventions rather than as generic OpenAPI:
//
// - `kubectl create|apply|replace` looks for the PATCH operation carrying the
//   kind's `x-kubernetes-group-version-kind` and a `fieldValidation` query
//   parameter; without it kubectl falls back to /openapi/v2, which skiff does
//   not serve, and refuses to run without --validate=false.
// - `kubectl apply` builds its strategic merge patch from the document's
//   `x-kubernetes-patch-strategy` and `x-kubernetes-patch-merge-key`; a list
//   without them is atomic to kubectl, which then re-sends it on every apply
//   and never reports `unchanged`.
// - `kubectl explain` finds the kind through an operation's
//   `x-kubernetes-group-version-kind`, then the component carrying the same
//   extension, and names each field's type after the last dot of the `$ref`
//   it follows (`spec <PodSpec>`). Named types therefore live in
//   `components.schemas` under their upstream definition names and fields
//   point at them with `allOf: [{$ref}]`, as upstream documents do.

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  [key: string]: unknown;
  parameters?: JsonSchema[];
}

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info: unknown;
  paths: Record<string, OpenApiPathItem>;
  components?: { schemas?: Record<string, JsonSchema> };
  [key: string]: unknown;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

const REF = '#/components/schemas/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

/** Types upstream writes as named string components; skiff's schemas spell them as anyOf for request validation. */
const SCALAR_COMPONENTS: Record<string, JsonSchema> = {
  [INT_OR_STRING]: {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  },
  [QUANTITY]: {
    description: 'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors. Serialized as a string such as "100m", "1Gi" or "0.5"; a bare number is accepted too.',
    type: 'string',
  },
  [PATCH]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ref(name: string): JsonSchema {
  return { $ref: `${REF}${name}` };
}

/** The scalar component an anyOf stands for, if it is one of upstream's string-serialized types. */
function scalarComponentOf(schema: JsonSchema): string | undefined {
  if (!Array.isArray(schema.anyOf) || schema['x-kubernetes-int-or-string'] !== true) return undefined;
  const types = (schema.anyOf as unknown[]).map((s) => (isObject(s) ? s.type : undefined));
  if (types.includes('integer') && types.includes('string')) return INT_OR_STRING;
  if (types.includes('number') && types.includes('string')) return QUANTITY;
  return undefined;
}

/**
 * A plain copy of a kind's schema with its strategic-merge metadata written
 * where upstream writes it: on the field, beside its type.
 */
function withPatchMetadata(schema: TSchema, patch: PatchSchema): JsonSchema {
  const plain = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  for (const [path, strategy] of Object.entries(patch.fields)) {
    let node: JsonSchema | undefined = plain;
    for (const segment of path.split('.')) {
      // List elements are transparent in patch-schema paths.
      while (node && isObject(node.items)) node = node.items;
      const properties: unknown = node?.properties;
      node = isObject(properties) && isObject(properties[segment]) ? properties[segment] : undefined;
    }
    // Lists are atomic unless marked, so upstream writes only the merging strategies.
    if (!node || strategy.patchStrategy === 'replace') continue;
    node['x-kubernetes-patch-strategy'] = strategy.patchStrategy;
    if (strategy.patchMergeKey) node['x-kubernetes-patch-merge-key'] = strategy.patchMergeKey;
  }
  return plain;
}

/** Extensions that describe a field's use rather than its type, kept on the field when its type is hoisted. */
const FIELD_EXTENSIONS = ['x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key'] as const;

function withoutDescription(schema: JsonSchema): string {
  const { description: _description, ...rest } = schema;
  return JSON.stringify(rest);
}

/**
 * `components.schemas` built from TypeBox schemas: every titled sub-schema
 * becomes a component named by its title, and the places that used it
 * reference it instead.
 */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};
  /** Each registered name's source schema, description aside, to tell a reuse from a clash. */
  private readonly shapes = new Map<string, string>();

  /** Adds a titled top-level schema and returns its component name. */
  add(schema: TSchema | JsonSchema): string {
    const plain = JSON.parse(JSON.stringify(schema)) as JsonSchema;
    const name = typeof plain.title === 'string' ? plain.title : undefined;
    if (!name) throw new Error('a top-level OpenAPI component needs a title');
    if (this.register(plain) === undefined) throw new Error(`two different schemas are titled ${name}`);
    return name;
  }

  /** Registers a titled schema; undefined when another, different schema already holds its name. */
  private register(schema: JsonSchema): string | undefined {
    const { title, ...body } = schema;
    const name = String(title);
    const shape = withoutDescription(body);
    const existing = this.shapes.get(name);
    if (existing !== undefined) return existing === shape ? name : undefined;
    this.shapes.set(name, shape);
    // Reserve the name first: a named type may refer to itself.
    this.schemas[name] = {};
    this.schemas[name] = this.lower(body);
    return name;
  }

  /** A schema in a field position: named types and scalars become `allOf: [{$ref}]` with the field's own description. */
  private field(schema: JsonSchema): JsonSchema {
    const extensions: JsonSchema = {};
    const type: JsonSchema = { ...schema };
    for (const key of FIELD_EXTENSIONS) {
      if (key in type) extensions[key] = type[key];
      delete type[key];
    }
    const target = this.target(type);
    if (!target) return { ...this.lower(type), ...extensions };
    const component = this.schemas[target];
    const description = typeof type.description === 'string' && type.description !== component?.description ? type.description : undefined;
    return { allOf: [ref(target)], ...(description ? { description } : {}), ...extensions };
  }

  /** A schema in an element position (array items, map values, alternatives): a bare `$ref` for named types. */
  private element(schema: JsonSchema): JsonSchema {
    const target = this.target(schema);
    return target ? ref(target) : this.lower(schema);
  }

  /** The component a schema should be replaced by, registering it if needed. */
  private target(schema: JsonSchema): string | undefined {
    const scalar = scalarComponentOf(schema);
    if (scalar) {
      this.schemas[scalar] ??= SCALAR_COMPONENTS[scalar]!;
      return scalar;
    }
    if (typeof schema.title === 'string') return this.register(schema);
    return undefined;
  }

  /** Rewrites a schema's children; the schema itself stays inline. */
  lower(schema: JsonSchema): JsonSchema {
    const { title: _title, ...out } = schema;
    if (isObject(out.properties)) {
      out.properties = Object.fromEntries(Object.entries(out.properties).map(([key, value]) => [key, isObject(value) ? this.field(value) : value]));
    }
    if (isObject(out.items)) out.items = this.element(out.items);
    if (isObject(out.additionalProperties)) out.additionalProperties = this.element(out.additionalProperties);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => (isObject(s) ? this.element(s) : s));
    }
    return out;
  }
}

export interface OperationTarget {
  kind: ResourceKind<KubeObject>;
  /** Where the path sits: the collection, the all-namespaces list, one object, or a subresource of one. */
  scope: 'collection' | 'all-namespaces' | 'item' | 'status';
}

export function operationTargets(kinds: readonly ResourceKind<KubeObject>[]): Map<string, OperationTarget> {
  const targets = new Map<string, OperationTarget>();
  for (const kind of kinds) {
    const base = groupVersionPath(kind);
    const collection = kind.namespaced ? `${base}/namespaces/{namespace}/${kind.resource}` : `${base}/${kind.resource}`;
    targets.set(collection, { kind, scope: 'collection' });
    if (kind.namespaced) targets.set(`${base}/${kind.resource}`, { kind, scope: 'all-namespaces' });
    targets.set(`${collection}/{name}`, { kind, scope: 'item' });
    targets.set(`${collection}/{name}/status`, { kind, scope: 'status' });
  }
  return targets;
}

export function actionOf(method: HttpMethod, scope: OperationTarget['scope']): Action {
  const onCollection = scope === 'collection' || scope === 'all-namespaces';
  switch (method) {
    case 'get':
      return onCollection ? 'list' : 'get';
    case 'delete':
      return onCollection ? 'deletecollection' : 'delete';
    default:
      return method;
  }
}

function query(name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): JsonSchema {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const PRETTY = query('pretty', "If 'true', then the output is pretty printed.");
const DRY_RUN = query('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.');
const FIELD_VALIDATION = query('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown fields. Valid values are: - Ignore: unknown fields are silently dropped from the object. - Warn: a warning is sent for each unknown field that is dropped from the object. This is the default. - Strict: the request fails with a BadRequest error if any unknown fields are present.');
const FORCE = query('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', 'boolean');
const LIST_PARAMETERS = [
  query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag.', 'boolean'),
  query('continue', 'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue).'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('limit', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.', 'integer'),
  query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from. Defaults to unset.'),
  query('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls: Exact or NotOlderThan. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set.'),
  query('sendInitialEvents', '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic "Bookmark" event will be sent.', 'boolean'),
  query('timeoutSeconds', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', 'integer'),
  query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
];

const DELETE_PARAMETERS = [
  query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately.', 'integer'),
  query('orphanDependents', 'Deprecated: please use the PropagationPolicy. Should the dependent objects be orphaned.', 'boolean'),
  query('propagationPolicy', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
];

export function parametersFor(action: Action): JsonSchema[] {
  switch (action) {
    case 'list':
      return [...LIST_PARAMETERS, PRETTY];
    case 'get':
      return [PRETTY];
    case 'post':
    case 'put':
      return [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, PRETTY];
    case 'patch':
      return [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE, PRETTY];
    case 'delete':
      return [DRY_RUN, ...DELETE_PARAMETERS, PRETTY];
    case 'deletecollection':
      return [...LIST_PARAMETERS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), DRY_RUN, ...DELETE_PARAMETERS, PRETTY];
  }
}

export function pathParameters(operation: OpenApiOperation, kind: string): JsonSchema[] {
  return (operation.parameters ?? [])
    .filter((p) => p.in === 'path')
    .map((p) => ({
      ...p,
      description: p.name === 'namespace' ? 'object name and auth scope, such as for teams and projects' : `name of the ${kind}`,
      schema: { type: 'string', uniqueItems: true },
    }));
}

function jsonContent(schema: JsonSchema): JsonSchema {
  return { 'application/json': { schema } };
}

function responsesFor(action: Action, kindRef: JsonSchema, listRef: JsonSchema): JsonSchema {
  const ok = (schema: JsonSchema) => ({ description: 'OK', content: jsonContent(schema) });
  switch (action) {
    case 'list':
    case 'deletecollection':
      return { 200: ok(listRef) };
    case 'post':
      return { 200: ok(kindRef), 201: { description: 'Created', content: jsonContent(kindRef) } };
    case 'put':
    case 'patch':
      return { 200: ok(kindRef), 201: { description: 'Created', content: jsonContent(kindRef) } };
    default:
      return { 200: ok(kindRef) };
  }
}

function requestBodyFor(action: Action, kindRef: JsonSchema): JsonSchema | undefined {
  switch (action) {
    case 'post':
    case 'put':
      return { required: true, content: { '*/*': { schema: kindRef } } };
    case 'patch': {
      const patch = { schema: ref(PATCH) };
      return {
        required: true,
        content: {
          'application/apply-patch+yaml': patch,
          'application/json-patch+json': patch,
          'application/merge-patch+json': patch,
          'application/strategic-merge-patch+json': patch,
        },
      };
    }
    case 'delete':
      return { content: { '*/*': { schema: ref('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions') } } };
    default:
      return undefined;
  }
}

export const METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * The Kubernetes-shaped OpenAPI v3 document of one group version, from the
 * generated specification's paths of that group version and the kinds served
 * there.
 */
export function groupVersionDocument(
  spec: Pick<OpenApiDocument, 'openapi' | 'info'>,
  paths: Record<string, OpenApiPathItem>,
  kinds: readonly ResourceKind<KubeObject>[],
): OpenApiDocument {
  const components = new Components();
  const names = new Map<ResourceKind<KubeObject>, { kind: string; list: string }>();
  for (const kind of kinds) {
    const schema = withPatchMetadata(kind.schema, kind.patchSchema);
    names.set(kind, { kind: components.add(schema), list: components.add(listOf(schema as unknown as TSchema, kind.listKind)) });
  }
  components.add(StatusSchema);
  components.add(DeleteOptionsSchema);
  components.schemas[PATCH] ??= SCALAR_COMPONENTS[PATCH]!;

  const targets = operationTargets(kinds);
  const outPaths: Record<string, OpenApiPathItem> = {};
  for (const [path, item] of Object.entries(paths)) {
    const target = targets.get(path);
    if (!target) continue;
    const name = names.get(target.kind)!;
    const out: OpenApiPathItem = {};
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const action = actionOf(method, target.scope);
      const requestBody = requestBodyFor(action, ref(name.kind));
      out[method] = {
        ...(operation.summary ? { description: operation.summary } : {}),
        ...(operation.operationId ? { operationId: operation.operationId } : {}),
        ...(Array.isArray(operation.tags) ? { tags: operation.tags } : {}),
        parameters: [...pathParameters(operation, target.kind.kind), ...parametersFor(action)],
        ...(requestBody ? { requestBody } : {}),
        responses: responsesFor(action, ref(name.kind), ref(name.list)),
        'x-kubernetes-action': action,
        'x-kubernetes-group-version-kind': { group: target.kind.group, version: target.kind.version, kind: target.kind.kind },
      };
    }
    outPaths[path] = out;
  }
  return { openapi: spec.openapi, info: spec.info, paths: outPaths, components: { schemas: components.schemas } };
}
