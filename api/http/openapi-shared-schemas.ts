import type { FastifyInstance } from 'fastify';
import { listOf } from '../schemas/list.js';
import { DeleteOptionsSchema, StatusSchema } from '../schemas/meta.js';
import type { ResourceKind } from '../resources/resource-kind.js';
import type { KubeObject } from '../resources/strategy.js';

/** Component names of the documentation-only schemas, as `#/components/schemas/<name>` of /openapi.json. */
export const DOCUMENT_SCHEMAS = {
  status: 'Status',
  deleteOptions: 'DeleteOptions',
  mergePatch: 'Patch',
  jsonPatch: 'JsonPatch',
} as const;

/** A JSON Patch (RFC 6902) document: what `application/json-patch+json` bodies carry. */
const JSON_PATCH_SCHEMA = {
  description: 'A JSON Patch document (RFC 6902): operations applied in order to the stored object.',
  type: 'array',
  items: {
    type: 'object',
    required: ['op', 'path'],
    properties: {
      op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: { type: 'string', description: 'A JSON Pointer to the field the operation changes.' },
      from: { type: 'string', description: 'The JSON Pointer a move or copy reads from.' },
      value: { description: 'The value an add, replace or test uses.' },
    },
  },
};

/** Merge, strategic merge and apply patches are partial objects of the kind, fields left open. */
const MERGE_PATCH_SCHEMA = {
  description: 'A merge patch (RFC 7386), a strategic merge patch or an apply configuration: a partial object of the kind.',
  type: 'object',
  additionalProperties: true,
};

/**
 * Registers the schemas the routes name: each kind by its kind name (the
 * request bodies refer to them, and validation resolves those references) and,
 * for the OpenAPI document only, each kind's List, Status, DeleteOptions and the
 * patch bodies. @fastify/swagger emits every shared schema as a component
 * named by its $id; no route validates or serializes with the document-only ones.
 */
export function registerSharedSchemas(app: FastifyInstance, kinds: readonly ResourceKind<KubeObject>[]): void {
  for (const kind of kinds) {
    app.addSchema({ ...kind.schema, $id: kind.kind });
    const list = listOf(kind.schema, kind.listKind);
    // Items point at the kind's component instead of repeating it.
    app.addSchema({ ...list, $id: kind.listKind, properties: { ...list.properties, items: { ...list.properties.items, items: { $ref: `${kind.kind}#` } } } });
  }
  app.addSchema({ ...StatusSchema, $id: DOCUMENT_SCHEMAS.status });
  app.addSchema({ ...DeleteOptionsSchema, $id: DOCUMENT_SCHEMAS.deleteOptions });
  app.addSchema({ ...MERGE_PATCH_SCHEMA, $id: DOCUMENT_SCHEMAS.mergePatch });
  app.addSchema({ ...JSON_PATCH_SCHEMA, $id: DOCUMENT_SCHEMAS.jsonPatch });
}
