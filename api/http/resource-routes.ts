import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../errors.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import type { GenericRegistry, ObjectList, WriteMode } from '../resources/generic-registry.js';
import { groupVersionPath } from '../resources/resource-kind.js';
import type { KubeObject } from '../resources/strategy.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { enforceFieldValidation, type FieldValidationContext } from './field-validation.js';
import { firstValue, parseCreateQuery, parseDeleteQuery, parseListQuery, parsePatchQuery, parseUpdateQuery, type FieldValidationDirective, type Query } from './query-parameters.js';
import { representationFor, sendObject } from './negotiation.js';
import type { RouteTable } from './status.js';
import { serveWatch, type WatchStreamOptions } from './watch-stream.js';
import type { TableRenderer } from './table.js';
import { parseIncludeObject } from '../tables/include-object.js';

export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export interface ResourceRouteContext {
  hub: WatchHub;
  routes: RouteTable;
  watchOptions: WatchStreamOptions;
  /** Called after every successful write, so the hub delivers it at once. */
  afterWrite: () => void;
  tables: TableRenderer;
  /** Open watch streams, ended when the server closes. */
  activeWatches: Set<() => void>;
}

interface Params {
  namespace?: string;
  name?: string;
}

function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function sendList<T extends KubeObject>(request: FastifyRequest, reply: FastifyReply, registry: GenericRegistry<T>, list: ObjectList<T>, ctx: ResourceRouteContext): FastifyReply {
  const representation = representationFor(request, ctx.tables.supports(registry.kind.resource));
  if (representation === 'table') {
    const query = request.query as Query;
    return reply.type('application/json').send(ctx.tables.renderList(registry.kind.resource, list, firstValue(query, 'includeObject')));
  }
  const metadata: Record<string, unknown> = { resourceVersion: list.resourceVersion };
  if (list.continueToken) metadata.continue = list.continueToken;
  return sendObject(request, reply, { kind: registry.kind.listKind, apiVersion: registry.apiVersion, metadata, items: list.items });
}

function sendOne<T extends KubeObject>(request: FastifyRequest, reply: FastifyReply, registry: GenericRegistry<T>, object: T, ctx: ResourceRouteContext): FastifyReply {
  const representation = representationFor(request, ctx.tables.supports(registry.kind.resource));
  if (representation === 'table') {
    const query = request.query as Query;
    return reply.type('application/json').send(ctx.tables.renderList(registry.kind.resource, { items: [object], resourceVersion: object.metadata.resourceVersion ?? '' }, firstValue(query, 'includeObject')));
  }
  return sendObject(request, reply, object);
}

/** Applies a PATCH body of the request's content type to `current`. */
export function applyPatch<T extends KubeObject>(registry: GenericRegistry<T>, current: T, contentType: string, patch: unknown): T {
  switch (contentType) {
    case 'application/json-patch+json':
      return applyJsonPatch(current, patch) as T;
    case 'application/merge-patch+json':
      return applyMergePatch(current, patch) as T;
    case 'application/strategic-merge-patch+json':
      return applyStrategicMergePatch(current, patch, registry.kind.patchSchema) as T;
    case 'application/apply-patch+yaml':
      // Server-side apply, simplified: the applied configuration is merged into the
      // live object by the kind's merge keys. Field ownership is not tracked.
      return applyStrategicMergePatch(current, patch, registry.kind.patchSchema) as T;
    default:
      throw new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: ${PATCH_CONTENT_TYPES.join(', ')}`);
  }
}

/** Registers the Kubernetes REST paths of one kind. */
export function registerResourceRoutes<T extends KubeObject>(app: FastifyInstance, registry: GenericRegistry<T>, ctx: ResourceRouteContext): void {
  const kind = registry.kind;
  const base = groupVersionPath(kind);
  const collection = kind.namespaced ? `${base}/namespaces/:namespace/${kind.resource}` : `${base}/${kind.resource}`;
  const item = `${collection}/:name`;
  const tags = [kind.group ? `${kind.group}/${kind.version}` : `core/${kind.version}`];
  const schemaRef = { $ref: `${kind.kind}#` };
  const route = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, options: { summary: string; body?: boolean; operationId: string }, handler: (request: FastifyRequest, reply: FastifyReply) => unknown): void => {
    ctx.routes.add(url, method);
    app.route({
      method,
      url,
      schema: {
        tags,
        summary: options.summary,
        operationId: options.operationId,
        ...(options.body ? { body: schemaRef } : {}),
      },
      handler: async (request, reply) => handler(request, reply),
    });
  };
  const ns = (request: FastifyRequest): string => (kind.namespaced ? (request.params as Params).namespace ?? '' : '');
  const nameOf = (request: FastifyRequest): string => (request.params as Params).name ?? '';
  const written = <R>(value: R): R => {
    ctx.afterWrite();
    return value;
  };
  const Kind = kind.kind;
  const scope = kind.namespaced ? 'Namespaced' : '';
  const fields = (reply: FastifyReply, directive: FieldValidationDirective): FieldValidationContext => {
    const warnings: string[] = [];
    return {
      directive,
      schema: kind.schema,
      kind: Kind,
      apiVersion: registry.apiVersion,
      warn: (message) => {
        warnings.push(message);
        reply.header('Warning', warnings.map((warning) => `299 - ${JSON.stringify(warning)}`));
      },
    };
  };

  const listOrWatch = (namespace: string | undefined, forceWatch = false) => (request: FastifyRequest, reply: FastifyReply): unknown => {
    // A single-object watch path names the object; listOpts turns it into a field selector.
    const name = forceWatch ? (request.params as Params).name : undefined;
    const query = parseListQuery(request.query as Query, registry.supportedFields, name);
    if (query.watch || forceWatch) {
      const tableCapable = ctx.tables.supports(kind.resource);
      const representation = representationFor(request, tableCapable);
      const includeObject = firstValue(request.query as Query, 'includeObject');
      // A bad includeObject must be refused before the stream starts, not in the middle of it.
      if (representation === 'table') parseIncludeObject(includeObject);
      serveWatch(request, reply, {
        registry,
        hub: ctx.hub,
        namespace,
        query,
        options: ctx.watchOptions,
        // Rendered events are shared by the watchers that name the same representation.
        representation: representation === 'table' ? `table;includeObject=${includeObject ?? ''}` : representation,
        active: ctx.activeWatches,
        render: representation === 'table' ? (object) => ctx.tables.renderEvent(kind.resource, object, includeObject) : undefined,
      });
      return reply;
    }
    const list = registry.list(namespace, query);
    return sendList(request, reply, registry, list, ctx);
  };

  route('GET', collection, { summary: `list or watch objects of kind ${Kind}`, operationId: `list${scope}${Kind}` }, (request, reply) =>
    listOrWatch(kind.namespaced ? ns(request) : undefined)(request, reply));
  if (kind.namespaced) {
    route('GET', `${base}/${kind.resource}`, { summary: `list or watch objects of kind ${Kind} in all namespaces`, operationId: `list${Kind}ForAllNamespaces` }, (request, reply) =>
      listOrWatch(undefined)(request, reply));
  }
  // The deprecated watch/ prefix (`/api/v1/watch/namespaces/{ns}/pods[/{name}]`,
  // `/api/v1/watch/pods`, `/api/v1/watch/nodes[/{name}]`), which kube-apiserver
  // still serves and some clients (Ruby's kubeclient) use exclusively: always a
  // watch, GET only (other methods are 405 through the route table). Upstream's
  // OpenAPI lists them as deprecated; skiff's generated documents leave them out.
  const legacyWatch = (url: string, namespace: (request: FastifyRequest) => string | undefined): void => {
    ctx.routes.add(url, 'GET');
    app.route({ method: 'GET', url, schema: { hide: true }, handler: async (request, reply) => listOrWatch(namespace(request), true)(request, reply) });
  };
  const watchBase = `${base}/watch`;
  if (kind.namespaced) {
    legacyWatch(`${watchBase}/namespaces/:namespace/${kind.resource}`, ns);
    legacyWatch(`${watchBase}/namespaces/:namespace/${kind.resource}/:name`, ns);
    legacyWatch(`${watchBase}/${kind.resource}`, () => undefined);
  } else {
    legacyWatch(`${watchBase}/${kind.resource}`, () => undefined);
    legacyWatch(`${watchBase}/${kind.resource}/:name`, () => undefined);
  }
  route('POST', collection, { summary: `create a ${Kind}`, body: true, operationId: `create${scope}${Kind}` }, async (request, reply) => {
    const options = parseCreateQuery(request.query as Query);
    enforceFieldValidation(fields(reply, options.fieldValidation), request.body, 'decode');
    const object = written(await registry.grouped.create(ns(request), request.body, { dryRun: options.dryRun }));
    reply.code(201);
    return sendOne(request, reply, registry, object, ctx);
  });
  if (kind.verbs.includes('deletecollection')) {
    route('DELETE', collection, { summary: `delete collection of ${Kind}`, operationId: `deleteCollection${scope}${Kind}` }, async (request, reply) => {
      const query = parseListQuery(request.query as Query, registry.supportedFields);
      const options = parseDeleteQuery(request.query as Query, request.body);
      const list = written(await registry.grouped.deleteCollection(kind.namespaced ? ns(request) : undefined, { ...query, dryRun: options.dryRun }));
      return sendObject(request, reply, { kind: kind.listKind, apiVersion: registry.apiVersion, metadata: { resourceVersion: list.resourceVersion }, items: list.items });
    });
  }
  route('GET', item, { summary: `read the specified ${Kind}`, operationId: `read${scope}${Kind}` }, (request, reply) =>
    sendOne(request, reply, registry, registry.get(ns(request), nameOf(request)), ctx));

  const put = (mode: WriteMode) => async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const options = parseUpdateQuery(request.query as Query);
    enforceFieldValidation(fields(reply, options.fieldValidation), request.body, 'decode');
    const { object, created } = await registry.grouped.update(ns(request), nameOf(request), request.body, mode, { dryRun: options.dryRun });
    written(object);
    reply.code(created ? 201 : 200);
    return sendOne(request, reply, registry, object, ctx);
  };
  const patch = (mode: WriteMode) => async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const contentType = mediaType(request);
    // The content type is checked before the options are decoded, as upstream's patch handler does.
    if (!PATCH_CONTENT_TYPES.includes(contentType as (typeof PATCH_CONTENT_TYPES)[number])) {
      throw new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: ${PATCH_CONTENT_TYPES.join(', ')}`);
    }
    const { dryRun, fieldValidation } = parsePatchQuery(request.query as Query, contentType === 'application/apply-patch+yaml');
    const validation = fields(reply, fieldValidation);
    if (contentType === 'application/apply-patch+yaml') {
      const namespace = ns(request);
      const name = nameOf(request);
      if (mode === 'main' && !registry.exists(namespace, name)) {
        enforceFieldValidation(validation, request.body, 'patch');
        const object = written(await registry.grouped.create(namespace, { ...(request.body as object), metadata: { ...((request.body as { metadata?: object }).metadata ?? {}), name } }, { dryRun }));
        reply.code(201);
        return sendOne(request, reply, registry, object, ctx);
      }
    }
    const object = written(await registry.grouped.modify(ns(request), nameOf(request), (current) => {
      const patched = applyPatch(registry, current, contentType, request.body);
      enforceFieldValidation(validation, patched, 'patch');
      return patched;
    }, mode, { dryRun }));
    return sendOne(request, reply, registry, object, ctx);
  };

  route('PUT', item, { summary: `replace the specified ${Kind}`, body: true, operationId: `replace${scope}${Kind}` }, put('main'));
  route('PATCH', item, { summary: `partially update the specified ${Kind}`, operationId: `patch${scope}${Kind}` }, patch('main'));
  route('DELETE', item, { summary: `delete a ${Kind}`, operationId: `delete${scope}${Kind}` }, async (request, reply) => {
    const { preconditions, dryRun, gracePeriodSeconds } = parseDeleteQuery(request.query as Query, request.body);
    const object = written(await registry.grouped.delete(ns(request), nameOf(request), { preconditions, dryRun, gracePeriodSeconds }));
    return sendOne(request, reply, registry, object, ctx);
  });
  if (kind.subresources.includes('status')) {
    route('GET', `${item}/status`, { summary: `read status of the specified ${Kind}`, operationId: `read${scope}${Kind}Status` }, (request, reply) =>
      sendOne(request, reply, registry, registry.get(ns(request), nameOf(request)), ctx));
    route('PUT', `${item}/status`, { summary: `replace status of the specified ${Kind}`, body: true, operationId: `replace${scope}${Kind}Status` }, put('status'));
    route('PATCH', `${item}/status`, { summary: `partially update status of the specified ${Kind}`, operationId: `patch${scope}${Kind}Status` }, patch('status'));
  }
}
