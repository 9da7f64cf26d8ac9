import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SkiffServer } from '../../../api/server.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { REQUEST_TIMEOUT_MS } from '../resources/http-fixtures.js';

describe('health and version endpoints', () => {
  let t: TestServer;

  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.close();
  });

  for (const path of ['/healthz', '/livez', '/readyz']) {
    it(`GET ${path} answers 200 ok`, async () => {
      const response = await request(t.url).get(path).timeout(REQUEST_TIMEOUT_MS);
      assert.equal(response.status, 200);
      assert.equal(response.text, 'ok');
    });
  }

  it('GET /version has the Kubernetes version shape, minor "32"', async () => {
    const response = await request(t.url).get('/version').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /^application\/json/);
    const version = response.body as Record<string, unknown>;
    assert.equal(version.major, '1');
    assert.equal(version.minor, '32');
    assert.match(String(version.gitVersion), /^v1\.32\.\d+/);
    for (const field of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) {
      assert.equal(typeof version[field], 'string', field);
    }
  });
});

describe('readiness', () => {
  it('is 503 until the server listens, then 200', async () => {
    const server = await SkiffServer.create({ host: '127.0.0.1', port: 0, dataPath: ':memory:', logLevel: 'silent' });
    try {
      const early = await server.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(early.statusCode, 503);
      const healthy = await server.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(healthy.statusCode, 200, 'alive before ready');
      const url = await server.listen();
      const ready = await request(url).get('/readyz').timeout(REQUEST_TIMEOUT_MS);
      assert.equal(ready.status, 200);
    } finally {
      await server.close();
    }
  });
});
