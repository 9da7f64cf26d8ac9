import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { groupVersionPath, type ResourceKind } from '../resources/resource-kind.js';
import type { KubeObject } from '../resources/strategy.js';
import { groupVersionDocument, type OpenApiDocument, type OpenApiPathItem } from './openapi-v3-document.js';
import type { RouteTable } from './status.js';

/** The group-version a path belongs to, in the form Kubernetes uses under /openapi/v3: `api/v1`, `apis/discovery.k8s.io/v1`. */
export function groupVersionOfPath(path: string): string | undefined {
  const core = /^\/api\/(v[0-9a-z]+)(\/|$)/.exec(path);
  if (core) return `api/${core[1]}`;
  const named = /^\/apis\/([^/]+)\/(v[0-9a-z]+)(\/|$)/.exec(path);
  if (named) return `apis/${named[1]}/${named[2]}`;
  return undefined;
}

/**
 * Serves the generated specification whole (/openapi.json) and split by group
 * version under /openapi/v3, the layout and conventions kubectl reads for
 * validation and explain (see openapi-v3-document.ts).
 * The documents are built once, on first request, from the routes' schemas.
 */
export function registerOpenApiRoutes(app: FastifyInstance, routes: RouteTable, kinds: readonly ResourceKind<KubeObject>[]): void {
  let cache: { full: string; index: string; parts: Map<string, { hash: string; body: string }> } | undefined;
  const build = (): NonNullable<typeof cache> => {
    if (cache) return cache;
    const spec = app.swagger() as unknown as OpenApiDocument;
    const byGroupVersion = new Map<string, Record<string, OpenApiPathItem>>();
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      const gv = groupVersionOfPath(path);
      if (!gv) continue;
      let paths = byGroupVersion.get(gv);
      if (!paths) byGroupVersion.set(gv, (paths = {}));
      paths[path] = item;
    }
    const parts = new Map<string, { hash: string; body: string }>();
    const index: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, paths] of [...byGroupVersion.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const served = kinds.filter((kind) => groupVersionOfPath(groupVersionPath(kind)) === gv);
      const body = JSON.stringify(groupVersionDocument(spec, paths, served));
      const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
      parts.set(gv, { hash, body });
      index[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
    }
    cache = { full: JSON.stringify(spec), index: JSON.stringify({ paths: index }), parts };
    return cache;
  };
  const hidden = { schema: { hide: true } };
  routes.add('/openapi.json', 'GET');
  app.get('/openapi.json', hidden, async (_request, reply) => reply.type('application/json').send(build().full));
  routes.add('/openapi/v3', 'GET');
  app.get('/openapi/v3', hidden, async (_request, reply) => reply.type('application/json').send(build().index));
  routes.add('/openapi/v3/*', 'GET');
  app.get('/openapi/v3/*', hidden, async (request, reply) => {
    const gv = (request.params as { '*': string })['*'].replace(/\/$/, '');
    const part = build().parts.get(gv);
    if (!part) {
      return reply.code(404).type('application/json').send(JSON.stringify({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404,
        message: `the server could not find the requested resource: no OpenAPI document for ${gv}`,
      }));
    }
    // Documents are addressed by hash, so a client may cache them forever.
    reply.header('Cache-Control', 'public, immutable');
    reply.header('Etag', `"${part.hash}"`);
    return reply.type('application/json').send(part.body);
  });
}
