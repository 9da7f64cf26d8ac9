import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { generateOpenApi } from '../../openapi/write-openapi.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const COMMITTED = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
const REQUEST_TIMEOUT_MS = 5000;

interface Spec {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; requestBody?: unknown }>>;
  components?: { schemas?: Record<string, unknown> };
}

const readCommitted = (): string => readFileSync(COMMITTED, 'utf8');

/** The validator dereferences in place; give it a copy. */
const validate = async (spec: unknown): Promise<void> => {
  await SwaggerParser.validate(structuredClone(spec) as Parameters<typeof SwaggerParser.validate>[0]);
};

describe('openapi/openapi.json', () => {
  it('matches what the routes generate (run `npm run openapi` after changing a route or schema)', async () => {
    const generated = await generateOpenApi();
    const committed = readCommitted();
    assert.ok(
      generated === committed,
      'openapi/openapi.json is out of date with the routes and schemas: run `npm run openapi` and commit the result',
    );
  });

  it('is a valid OpenAPI 3 document', async () => {
    const spec = JSON.parse(readCommitted()) as Spec;
    assert.match(spec.openapi, /^3\./);
    await validate(spec);
  });

  it('describes every verb of the four core kinds, with the request body schema from the same source as validation', () => {
    const spec = JSON.parse(readCommitted()) as Spec;
    const expect = (path: string, methods: string[]): void => {
      const item = spec.paths[path];
      assert.ok(item, `${path} documented`);
      for (const method of methods) assert.ok(item[method], `${method.toUpperCase()} ${path} documented`);
    };
    expect('/api/v1/namespaces', ['get', 'post']);
    expect('/api/v1/namespaces/{name}', ['get', 'put', 'patch', 'delete']);
    expect('/api/v1/nodes', ['get', 'post']);
    expect('/api/v1/nodes/{name}', ['get', 'put', 'patch', 'delete']);
    expect('/api/v1/nodes/{name}/status', ['get', 'put', 'patch']);
    expect('/api/v1/namespaces/{namespace}/pods', ['get', 'post', 'delete']);
    expect('/api/v1/namespaces/{namespace}/pods/{name}', ['get', 'put', 'patch', 'delete']);
    expect('/api/v1/namespaces/{namespace}/pods/{name}/status', ['get', 'put', 'patch']);
    expect('/api/v1/pods', ['get']);
    expect('/api/v1/namespaces/{namespace}/services', ['get', 'post']);
    expect('/api/v1/namespaces/{namespace}/services/{name}', ['get', 'put', 'patch', 'delete']);
    expect('/api/v1/services', ['get']);
    for (const kind of ['Namespace', 'Node', 'Pod', 'Service']) assert.ok(spec.components?.schemas?.[kind], `${kind} schema`);
    assert.ok(JSON.stringify(spec.paths['/api/v1/namespaces/{namespace}/pods']?.post?.requestBody).includes('Pod'), 'create pod takes a Pod');
  });
});

describe('the served specification', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ memory: true });
  });
  after(async () => {
    await t.close();
  });

  it('serves the whole document at /openapi.json, the same as the committed file', async () => {
    const response = await request(t.url).get('/openapi.json').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(response.body, JSON.parse(readCommitted()));
  });

  it('serves an index at /openapi/v3 and a valid document per group version, as kubectl reads them', async () => {
    const index = await request(t.url).get('/openapi/v3').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(index.status, 200);
    const paths = index.body.paths as Record<string, { serverRelativeURL: string }>;
    assert.match(paths['api/v1']?.serverRelativeURL ?? '', /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);

    const core = await request(t.url).get(paths['api/v1']!.serverRelativeURL).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(core.status, 200);
    const document = core.body as Spec;
    assert.ok(document.paths['/api/v1/namespaces/{namespace}/pods'], 'pods in api/v1');
    assert.ok(Object.keys(document.paths).every((path) => path.startsWith('/api/v1/')), 'only api/v1 paths');
    await validate(document);

    const plain = await request(t.url).get('/openapi/v3/api/v1').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(plain.status, 200);
    assert.deepEqual(plain.body, document);
    const missing = await request(t.url).get('/openapi/v3/apis/apps/v1').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.kind, 'Status');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(t.url).get('/docs').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /^text\/html/);
    assert.match(response.text, /<title>Swagger UI<\/title>/);
  });
});
