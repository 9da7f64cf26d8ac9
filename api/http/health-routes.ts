import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { RouteTable } from './status.js';

/** The Kubernetes version skiff implements; kubectl's dispatcher picks its client by this minor. */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0' } as const;

/** Documents a plain-text answer in the OpenAPI document only; the handlers send their text as is. */
function textResponses(codes: Record<number, string>): { swaggerTransform: SwaggerTransform } {
  return {
    swaggerTransform: ({ schema, url }) => ({
      schema: { ...schema, produces: ['text/plain'], response: Object.fromEntries(Object.entries(codes).map(([code, description]) => [code, { description, type: 'string' }])) },
      url,
    }),
  };
}

export function registerHealthRoutes(app: FastifyInstance, routes: RouteTable, isReady: () => boolean): void {
  const versionInfo = {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    gitVersion: `${KUBERNETES_VERSION.gitVersion}+skiff`,
    gitCommit: 'skiff',
    gitTreeState: 'clean',
    buildDate: '2026-11-25T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
  for (const url of ['/healthz', '/livez']) {
    routes.add(url, 'GET');
    app.get(url, { schema: { tags: ['health'], summary: 'liveness' }, config: textResponses({ 200: 'ok' }) }, async (_request, reply) => reply.type('text/plain').send('ok'));
  }
  routes.add('/readyz', 'GET');
  app.get('/readyz', { schema: { tags: ['health'], summary: 'readiness' }, config: textResponses({ 200: 'ok', 503: 'not ready' }) }, async (_request, reply) => {
    if (!isReady()) return reply.code(503).type('text/plain').send('not ready');
    return reply.type('text/plain').send('ok');
  });
  routes.add('/version', 'GET');
  app.get('/version', {
    schema: { tags: ['version'], summary: 'the Kubernetes version this server implements' },
    // The answer is documented, not serialized by a schema: the handler sends the JSON text itself.
    config: {
      swaggerTransform: ({ schema, url }) => ({
        schema: { ...schema, response: { 200: { description: 'version.Info', type: 'object', required: Object.keys(versionInfo), properties: Object.fromEntries(Object.keys(versionInfo).map((key) => [key, { type: 'string' }])) } } },
        url,
      }),
    },
  }, async (_request, reply) =>
    reply.type('application/json').send(JSON.stringify(versionInfo)));
}
