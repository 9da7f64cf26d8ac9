import type { ResourceKind } from '../resources/resource-kind.js';
import type { KubeObject } from '../resources/strategy.js';
import { DOCUMENT_SCHEMAS } from './openapi-shared-schemas.js';
import {
  actionOf,
  METHODS,
  operationTargets,
  parametersFor,
  pathParameters,
  type Action,
  type JsonSchema,
  type OpenApiDocument,
} from './openapi-v3-document.js';

// /openapi.json is the document generic OpenAPI generators read
// (openapi-typescript, openapi-generator). The routes' schemas only carry what
// fastify validates — the path and the create/replace body — so each resource
// operation is completed here, for the document alone, with what
// kube-apiserver accepts and answers: its query parameters, its patch and
// delete bodies, the kind or its List on success and a Status on failure.
// Unlike the kubectl-facing documents under /openapi/v3 this one keeps plain
// JSON Schema types (IntOrString stays an anyOf of integer and string), which
// generators map to types without knowing Kubernetes' formats.

const POD_PATH = '/api/v1/namespaces/{namespace}/pods/{name}';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema): JsonSchema => ({ 'application/json': { schema } });

/** Why each Status code is answered, in the words of its Kubernetes reason. */
const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'BadRequest: the request or one of its parameters is malformed',
  401: 'Unauthorized: the request carries no valid credentials',
  403: 'Forbidden: the user may not do this',
  404: 'NotFound: the object, or the namespace it belongs to, does not exist',
  409: 'AlreadyExists or Conflict: the name is taken, or the object changed since the resourceVersion sent',
  410: 'Expired: the resourceVersion or continue token is older than the retained history',
  415: 'UnsupportedMediaType: the body is in a format this operation does not take',
  422: 'Invalid: the object fails validation; details.causes names each field',
};

/** The failures each action can answer, each with a Status body. */
export const ERROR_CODES: Record<Action, readonly number[]> = {
  get: [401, 403, 404],
  list: [400, 401, 403, 410],
  post: [400, 401, 403, 404, 409, 415, 422],
  put: [400, 401, 403, 404, 409, 415, 422],
  patch: [400, 401, 403, 404, 409, 415, 422],
  delete: [400, 401, 403, 404, 409],
  deletecollection: [400, 401, 403, 410],
};

/** `{code: {description, content: Status}}` for each code. */
export function statusResponses(codes: readonly number[]): Record<string, JsonSchema> {
  return Object.fromEntries(codes.map((code) => [String(code), { description: STATUS_DESCRIPTIONS[code] ?? 'Failure', content: json(ref(DOCUMENT_SCHEMAS.status)) }]));
}

function successResponses(action: Action, kind: string, list: string): Record<string, JsonSchema> {
  const one = (description: string): JsonSchema => ({ description, content: json(ref(kind)) });
  switch (action) {
    case 'list':
    case 'deletecollection':
      return { 200: { description: 'OK', content: json(ref(list)) } };
    case 'get':
      return { 200: one('OK') };
    case 'post':
      return { 200: one('OK'), 201: one('Created'), 202: one('Accepted') };
    case 'put':
    case 'patch':
      return { 200: one('OK'), 201: one('Created') };
    case 'delete':
      return { 200: one('OK: the object as it was deleted, or as it waits for its finalizers'), 202: one('Accepted') };
  }
}

function requestBody(action: Action, kind: string): JsonSchema | undefined {
  switch (action) {
    case 'post':
    case 'put':
      return { required: true, content: json(ref(kind)) };
    case 'patch': {
      const merge = { schema: ref(DOCUMENT_SCHEMAS.mergePatch) };
      return {
        required: true,
        content: {
          'application/json-patch+json': { schema: ref(DOCUMENT_SCHEMAS.jsonPatch) },
          'application/merge-patch+json': merge,
          'application/strategic-merge-patch+json': merge,
          'application/apply-patch+yaml': merge,
        },
      };
    }
    case 'delete':
      // Optional: kube-apiserver reads DeleteOptions from the body or from the query.
      return { required: false, content: json(ref(DOCUMENT_SCHEMAS.deleteOptions)) };
    default:
      return undefined;
  }
}

/**
 * Objects skiff stores without interpreting (`x-kubernetes-preserve-unknown-fields`)
 * are written as open maps, which generators type as records of unknown values
 * rather than as empty objects.
 */
function openUninterpretedObjects(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const item of schema) openUninterpretedObjects(item);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as JsonSchema;
  if (node['x-kubernetes-preserve-unknown-fields'] === true && node.type === 'object' && !('properties' in node) && !('additionalProperties' in node)) {
    node.additionalProperties = true;
  }
  for (const value of Object.values(node)) openUninterpretedObjects(value);
}

/**
 * Completes every resource operation of @fastify/swagger's document in place
 * (its `transformObject` hook) and returns it.
 */
export function completeResourceOperations(document: OpenApiDocument, kinds: readonly ResourceKind<KubeObject>[]): OpenApiDocument {
  const targets = operationTargets(kinds);
  for (const [path, item] of Object.entries(document.paths)) {
    const target = targets.get(path);
    if (!target) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const action = actionOf(method, target.scope);
      const body = requestBody(action, target.kind.kind);
      operation.parameters = [...pathParameters(operation, target.kind.kind), ...parametersFor(action)];
      if (body) operation.requestBody = body;
      operation.responses = { ...successResponses(action, target.kind.kind, target.kind.listKind), ...statusResponses(ERROR_CODES[action]) };
    }
  }
  // pods/binding answers a Status, as kube-apiserver's BindingREST does, not the Binding it took.
  const binding = document.paths[`${POD_PATH}/binding`]?.post;
  if (binding) {
    binding.parameters = [...pathParameters(binding, 'Pod'), ...parametersFor('post')];
    binding.responses = { 201: { description: 'Created', content: json(ref(DOCUMENT_SCHEMAS.status)) }, ...statusResponses(ERROR_CODES.post) };
  }
  documentOtherOperations(document);
  openUninterpretedObjects(document.components?.schemas);
  return document;
}

/**
 * The routes that are not a kind's REST paths — TokenRequest, the access
 * reviews, pods/log — answer an object (or, for logs, text) that has no
 * registered schema here; say so, so that generators still type a body.
 */
function documentOtherOperations(document: OpenApiDocument): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const declared = Object.values(operation.responses ?? {}).some((response) => (response as { content?: unknown }).content !== undefined);
      if (declared) continue;
      const logs = method === 'get' && String(operation.operationId ?? '').toLowerCase().includes('log');
      const body = logs
        ? { 'text/plain': { schema: { type: 'string' } } }
        : json({ type: 'object', additionalProperties: true });
      operation.responses = { [method === 'post' ? 201 : 200]: { description: method === 'post' ? 'Created' : 'OK', content: body }, ...statusResponses(ERROR_CODES.post) };
    }
  }
}
