import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import YAML from 'yaml';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { REQUEST_TIMEOUT_MS, assertStatus, get, podsPath, type WireObject } from '../resources/http-fixtures.js';

const POD_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: from-yaml
  labels:
    app: web
    # quoted so YAML does not read it as a number
    version: "1.0"
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
`;

/** supertest buffers and parses only JSON by default; YAML replies are read as text. */
const asText = (res: request.Response, callback: (error: Error | null, body: string) => void): void => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
  });
  res.on('end', () => callback(null, text));
};

describe('request and response formats', () => {
  let t: TestServer;
  let url: string;

  before(async () => {
    t = await startTestServer();
    url = t.url;
  });
  after(async () => {
    await t.close();
  });

  it('accepts a YAML request body (application/yaml) and answers in JSON by default', async () => {
    const response = await request(url).post(podsPath('default')).timeout(REQUEST_TIMEOUT_MS).set('Content-Type', 'application/yaml').send(POD_YAML);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.match(response.headers['content-type'] ?? '', /^application\/json/);
    const pod = response.body as WireObject;
    assert.deepEqual(pod.metadata.labels, { app: 'web', version: '1.0' });
    assert.equal((pod.spec?.containers as Array<{ ports: Array<{ containerPort: number }> }>)[0]!.ports[0]!.containerPort, 80);
  });

  it('answers in YAML when Accept asks for application/yaml, the same object as the JSON answer', async () => {
    const json = await get(url, `${podsPath('default')}/from-yaml`);
    const response = await request(url).get(`${podsPath('default')}/from-yaml`).timeout(REQUEST_TIMEOUT_MS)
      .set('Accept', 'application/yaml').buffer(true).parse(asText);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /^application\/yaml/);
    assert.deepEqual(YAML.parse(response.body as string), json);
  });

  it('lists in YAML', async () => {
    const response = await request(url).get(podsPath('default')).timeout(REQUEST_TIMEOUT_MS)
      .set('Accept', 'application/yaml').buffer(true).parse(asText);
    assert.equal(response.status, 200);
    const parsed = YAML.parse(response.body as string) as { kind: string; items: WireObject[] };
    assert.equal(parsed.kind, 'PodList');
    assert.deepEqual(parsed.items.map((p) => p.metadata.name), ['from-yaml']);
  });

  it('updates from a YAML body with PUT', async () => {
    const current = await get(url, `${podsPath('default')}/from-yaml`);
    const yamlBody = YAML.stringify({ ...current, metadata: { ...current.metadata, labels: { app: 'web', edited: 'yes' } } });
    const response = await request(url).put(`${podsPath('default')}/from-yaml`).timeout(REQUEST_TIMEOUT_MS)
      .set('Content-Type', 'application/yaml').send(yamlBody);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.metadata.labels, { app: 'web', edited: 'yes' });
  });

  it('sends errors as a YAML Status when Accept asks for YAML', async () => {
    const response = await request(url).get(`${podsPath('default')}/missing`).timeout(REQUEST_TIMEOUT_MS)
      .set('Accept', 'application/yaml').buffer(true).parse(asText);
    assert.equal(response.status, 404);
    assert.match(response.headers['content-type'] ?? '', /^application\/yaml/);
    assertStatus(YAML.parse(response.body as string), 404, 'NotFound');
  });

  it('answers JSON to an Accept of application/json or */*', async () => {
    for (const accept of ['application/json', '*/*', 'application/vnd.kubernetes.protobuf, application/json']) {
      const response = await request(url).get(podsPath('default')).timeout(REQUEST_TIMEOUT_MS).set('Accept', accept);
      assert.equal(response.status, 200, accept);
      assert.match(response.headers['content-type'] ?? '', /^application\/json/, accept);
      assert.equal(response.body.kind, 'PodList', accept);
    }
  });

  it('renders a meta.k8s.io/v1 Table when kubectl asks for one', async () => {
    const response = await request(url).get(podsPath('default')).timeout(REQUEST_TIMEOUT_MS)
      .set('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    assert.equal(response.status, 200);
    assert.equal(response.body.kind, 'Table');
    assert.equal(response.body.apiVersion, 'meta.k8s.io/v1');
    const columns = (response.body.columnDefinitions as Array<{ name: string }>).map((c) => c.name);
    assert.equal(columns[0], 'Name');
    assert.deepEqual((response.body.rows as Array<{ cells: unknown[] }>).map((r) => r.cells[0]), ['from-yaml']);
  });
});
