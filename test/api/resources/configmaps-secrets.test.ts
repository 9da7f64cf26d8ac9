import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { REQUEST_TIMEOUT_MS, type WireStatus } from './http-fixtures.js';

const CM = '/api/v1/namespaces/default/configmaps';
const SECRETS = '/api/v1/namespaces/default/secrets';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('ConfigMaps and Secrets over HTTP', () => {
  let t: TestServer;
  const post = (path: string, body: unknown) => request(t.url).post(path).send(body as object).timeout(REQUEST_TIMEOUT_MS);
  const invalid = async (path: string, body: unknown): Promise<WireStatus> => {
    const response = await post(path, body);
    assert.equal(response.status, 422, JSON.stringify(response.body));
    return response.body as WireStatus;
  };

  before(async () => {
    t = await startTestServer({ memory: true });
  });
  after(async () => {
    await t.close();
  });

  it('creates, reads, lists, patches and deletes a ConfigMap', async () => {
    const created = await post(CM, { metadata: { name: 'app' }, data: { 'app.properties': 'a=1' }, binaryData: { logo: b64('\u0000\u0001') } });
    assert.equal(created.status, 201);
    assert.equal(created.body.kind, 'ConfigMap');
    assert.equal(created.body.apiVersion, 'v1');
    const read = await request(t.url).get(`${CM}/app`).timeout(REQUEST_TIMEOUT_MS);
    assert.deepEqual(read.body.data, { 'app.properties': 'a=1' });
    const patched = await request(t.url).patch(`${CM}/app`).set('content-type', 'application/merge-patch+json').send({ data: { extra: 'x' } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.data, { 'app.properties': 'a=1', extra: 'x' });
    const list = await request(t.url).get(CM).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(list.body.kind, 'ConfigMapList');
    assert.deepEqual(list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['app']);
    assert.equal((await request(t.url).delete(`${CM}/app`).timeout(REQUEST_TIMEOUT_MS)).status, 200);
    assert.equal((await request(t.url).get(`${CM}/app`).timeout(REQUEST_TIMEOUT_MS)).status, 404);
  });

  it('refuses bad ConfigMap keys, a key in both maps, and more than 1 MiB', async () => {
    const keys = await invalid(CM, { metadata: { name: 'bad-keys' }, data: { 'a/b': '1', '..x': '2' } });
    assert.deepEqual(keys.details?.causes?.map((c) => c.field).sort(), ['data[..x]', 'data[a/b]']);
    assert.match(keys.message, /data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/);
    assert.match(keys.message, /data\[\.\.x\]: Invalid value: "\.\.x": must not start with '\.\.'/);
    const both = await invalid(CM, { metadata: { name: 'both' }, data: { k: 'v' }, binaryData: { k: b64('v') } });
    assert.match(both.message, /data\[k\]: Invalid value: "k": duplicate of key present in binaryData/);
    const big = await invalid(CM, { metadata: { name: 'big' }, data: { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(600 * 1024) } });
    assert.match(big.message, /Too long: may not be more than 1048576 bytes/);
  });

  it('freezes the data of an immutable ConfigMap but not its metadata', async () => {
    assert.equal((await post(CM, { metadata: { name: 'frozen' }, data: { k: 'v' }, immutable: true })).status, 201);
    const change = await request(t.url).patch(`${CM}/frozen`).set('content-type', 'application/merge-patch+json').send({ data: { k: 'w' } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(change.status, 422);
    assert.match(change.body.message, /data: Forbidden: field is immutable when `immutable` is set/);
    const thaw = await request(t.url).patch(`${CM}/frozen`).set('content-type', 'application/merge-patch+json').send({ immutable: false }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(thaw.status, 422);
    assert.match(thaw.body.message, /immutable: Forbidden/);
    const label = await request(t.url).patch(`${CM}/frozen`).set('content-type', 'application/merge-patch+json').send({ metadata: { labels: { a: 'b' } } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(label.status, 200);
  });

  it('defaults a Secret to Opaque and merges stringData into data, never returning it', async () => {
    const created = await post(SECRETS, { metadata: { name: 'creds' }, data: { user: b64('admin') }, stringData: { password: 's3cr3t', user: 'root' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.type, 'Opaque');
    assert.deepEqual(created.body.data, { user: b64('root'), password: b64('s3cr3t') });
    assert.equal(created.body.stringData, undefined);
    const read = await request(t.url).get(`${SECRETS}/creds`).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(read.body.stringData, undefined);
    assert.deepEqual(read.body.data, { user: b64('root'), password: b64('s3cr3t') });
    const patched = await request(t.url).patch(`${SECRETS}/creds`).set('content-type', 'application/merge-patch+json').send({ stringData: { token: 't' } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(patched.status, 200);
    assert.equal(patched.body.data.token, b64('t'));
    assert.equal(patched.body.stringData, undefined);
  });

  it('validates Secret types as upstream does', async () => {
    const tls = await invalid(SECRETS, { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } });
    assert.match(tls.message, /data\[tls\.key\]: Required value/);
    assert.equal((await post(SECRETS, { metadata: { name: 'tls-ok' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } })).status, 201);
    const sa = await invalid(SECRETS, { metadata: { name: 'sa' }, type: 'kubernetes.io/service-account-token' });
    assert.match(sa.message, /metadata\.annotations\[kubernetes\.io\/service-account\.name\]: Required value/);
    const basic = await invalid(SECRETS, { metadata: { name: 'basic' }, type: 'kubernetes.io/basic-auth', data: {} });
    assert.equal(basic.details?.causes?.length, 2);
    const docker = await invalid(SECRETS, { metadata: { name: 'docker' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'not json' } });
    assert.match(docker.message, /data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>"/);
    const ssh = await invalid(SECRETS, { metadata: { name: 'ssh' }, type: 'kubernetes.io/ssh-auth', data: {} });
    assert.match(ssh.message, /data\[ssh-privatekey\]: Required value/);
    assert.equal((await post(SECRETS, { metadata: { name: 'custom' }, type: 'example.com/anything' })).status, 201);
  });

  it('refuses to change a Secret type, and data that is not base64', async () => {
    const change = await request(t.url).patch(`${SECRETS}/creds`).set('content-type', 'application/merge-patch+json').send({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(change.status, 422);
    assert.match(change.body.message, /type: Invalid value: "kubernetes\.io\/tls": field is immutable/);
    const notBase64 = await request(t.url).patch(`${SECRETS}/creds`).set('content-type', 'application/merge-patch+json').send({ data: { bad: 'no!' } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(notBase64.status, 400);
    assert.equal(notBase64.body.kind, 'Status');
    const created = await post(SECRETS, { metadata: { name: 'bad-b64' }, data: { bad: '***' } });
    assert.equal(created.status, 400);
  });

  it('serves both kinds in discovery and in the OpenAPI document', async () => {
    const discovery = await request(t.url).get('/api/v1').timeout(REQUEST_TIMEOUT_MS);
    const resources = discovery.body.resources as Array<{ name: string; kind: string; shortNames?: string[]; namespaced: boolean }>;
    const configmaps = resources.find((r) => r.name === 'configmaps');
    assert.deepEqual([configmaps?.kind, configmaps?.shortNames, configmaps?.namespaced], ['ConfigMap', ['cm'], true]);
    assert.equal(resources.find((r) => r.name === 'secrets')?.kind, 'Secret');
    const openapi = await request(t.url).get('/openapi/v3/api/v1').timeout(REQUEST_TIMEOUT_MS);
    const schemas = Object.keys(openapi.body.components?.schemas ?? {});
    assert.ok(schemas.includes('io.k8s.api.core.v1.ConfigMap'), schemas.join(','));
    assert.ok(schemas.includes('io.k8s.api.core.v1.Secret'));
    assert.ok(Object.keys(openapi.body.paths).includes('/api/v1/namespaces/{namespace}/secrets/{name}'));
  });
});
