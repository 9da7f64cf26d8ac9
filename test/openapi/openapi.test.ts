import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { CLIENT_TYPES_PATH, generateClientTypes } from '../../openapi/write-client-types.js';
import { generateOpenApi } from '../../openapi/write-openapi.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const COMMITTED = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
const REQUEST_TIMEOUT_MS = 5000;

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface Spec {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
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

  it('matches the client types openapi-typescript generates from it (run `npm run openapi`)', async () => {
    const generated = await generateClientTypes(readCommitted());
    assert.ok(
      generated === readFileSync(CLIENT_TYPES_PATH, 'utf8'),
      'clients/client/generated/openapi.ts is out of date with openapi/openapi.json: run `npm run openapi` and commit the result',
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

describe('what generated clients read from openapi/openapi.json', () => {
  const spec = JSON.parse(readCommitted()) as Spec;
  const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])));
  const parameterNames = (operation: Operation | undefined): string[] => (operation?.parameters ?? []).map((p) => p.name);
  const schemaOf = (operation: Operation | undefined, code: string): unknown => operation?.responses?.[code]?.content?.['application/json']?.schema;
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it('declares a path parameter for every template segment and a response body for every operation', () => {
    for (const { path, method, operation } of operations) {
      const segments = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), segments.sort(), `${method.toUpperCase()} ${path} path parameters`);
      const bodies = Object.values(operation.responses ?? {}).filter((r) => r.content !== undefined);
      assert.ok(bodies.length > 0, `${method.toUpperCase()} ${path} declares a response body`);
    }
  });

  it('gives list operations their selectors, paging and watch parameters, and the List as the response', () => {
    const list = spec.paths['/api/v1/namespaces/{namespace}/pods']?.get;
    for (const name of ['labelSelector', 'fieldSelector', 'limit', 'continue', 'watch', 'resourceVersion', 'resourceVersionMatch', 'timeoutSeconds', 'allowWatchBookmarks', 'sendInitialEvents', 'pretty']) {
      assert.ok(parameterNames(list).includes(name), `list pods takes ${name}`);
    }
    assert.deepEqual(schemaOf(list, '200'), ref('PodList'));
    assert.deepEqual(schemaOf(spec.paths['/apis/discovery.k8s.io/v1/endpointslices']?.get, '200'), ref('EndpointSliceList'));
    assert.deepEqual((spec.components?.schemas?.PodList as { properties: { items: { items: unknown } } }).properties.items.items, ref('Pod'));
  });

  it('gives writes their parameters and bodies, and answers the kind or a Status', () => {
    const collection = spec.paths['/api/v1/namespaces/{namespace}/pods'];
    const item = spec.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    for (const operation of [collection?.post, item?.put, item?.patch]) {
      for (const name of ['dryRun', 'fieldManager', 'fieldValidation', 'pretty']) assert.ok(parameterNames(operation).includes(name), `${operation?.operationId} takes ${name}`);
      assert.deepEqual(schemaOf(operation, '200'), ref('Pod'));
      for (const code of ['400', '401', '403', '404', '409', '415', '422']) assert.deepEqual(schemaOf(operation, code), ref('Status'), `${operation?.operationId} answers ${code} with a Status`);
    }
    assert.deepEqual(schemaOf(collection?.post, '201'), ref('Pod'));
    assert.deepEqual(collection?.post?.requestBody?.content?.['application/json']?.schema, ref('Pod'));
    assert.deepEqual(Object.keys(item?.patch?.requestBody?.content ?? {}).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
    for (const name of ['dryRun', 'gracePeriodSeconds', 'propagationPolicy', 'orphanDependents', 'pretty']) assert.ok(parameterNames(item?.delete).includes(name), `delete pod takes ${name}`);
    assert.equal(item?.delete?.requestBody?.required, false, 'DeleteOptions may be left out');
    assert.deepEqual(schemaOf(item?.delete, '200'), ref('Pod'));
    assert.deepEqual(schemaOf(item?.get, '404'), ref('Status'));
    assert.ok(spec.components?.schemas?.Status, 'Status schema');
  });

  it('writes IntOrString as an integer or a string, without upstream\'s int-or-string format', () => {
    const text = readCommitted();
    assert.doesNotMatch(text, /"format": "int-or-string"/);
    const port = (spec.components?.schemas?.Service as { properties: { spec: { properties: { ports: { items: { properties: { targetPort: { anyOf?: { type: string }[] } } } } } } } })
      .properties.spec.properties.ports.items.properties.targetPort;
    assert.deepEqual(port.anyOf?.map((s) => s.type).sort(), ['integer', 'string']);
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
