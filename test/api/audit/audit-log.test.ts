import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SkiffServer } from '../../../api/server.js';
import { microTime, sourceIPs, type AuditEvent } from '../../../api/audit/audit-event.js';
import { REQUEST_TIMEOUT_MS } from '../resources/http-fixtures.js';

const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('audit log', () => {
  let dir: string;
  let path: string;
  let server: SkiffServer;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-audit-'));
    path = join(dir, 'audit.log');
    server = await SkiffServer.create({ host: '127.0.0.1', port: 0, dataPath: ':memory:', logLevel: 'silent', auditLogPath: path });
    url = await server.listen();
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one audit.k8s.io/v1 Event per request with verb, object, user and code', async () => {
    const cm = '/api/v1/namespaces/default/configmaps';
    const ids: string[] = [];
    const track = (response: request.Response): request.Response => {
      ids.push(String(response.headers['audit-id']));
      return response;
    };
    track(await request(url).post(cm).set('User-Agent', 'audit-test/1.0').set('X-Forwarded-For', '203.0.113.7').send({ metadata: { name: 'settings' }, data: { a: '1' } }).timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).get(`${cm}/settings`).timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).patch(`${cm}/settings`).set('content-type', 'application/merge-patch+json').send({ data: { b: '2' } }).timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).get(`${cm}/missing`).timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).get('/api/v1/configmaps').timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).get(`${cm}?watch=true&timeoutSeconds=1`).timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).delete(`${cm}/settings`).timeout(REQUEST_TIMEOUT_MS));
    track(await request(url).get('/readyz').set('Audit-ID', 'caller-chosen-id').timeout(REQUEST_TIMEOUT_MS));
    await server.close();

    const events = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    assert.deepEqual(events.map((e) => [e.verb, e.objectRef?.resource, e.objectRef?.namespace, e.objectRef?.name, e.responseStatus.code]), [
      ['create', 'configmaps', 'default', undefined, 201],
      ['get', 'configmaps', 'default', 'settings', 200],
      ['patch', 'configmaps', 'default', 'settings', 200],
      ['get', 'configmaps', 'default', 'missing', 404],
      ['list', 'configmaps', undefined, undefined, 200],
      ['watch', 'configmaps', 'default', undefined, 200],
      ['delete', 'configmaps', 'default', 'settings', 200],
      ['get', undefined, undefined, undefined, 200],
    ]);
    assert.deepEqual(events.map((e) => e.auditID), [...ids.slice(0, 5), events[5]!.auditID, ids[6], 'caller-chosen-id']);
    assert.equal(new Set(events.map((e) => e.auditID)).size, events.length);
    for (const event of events) {
      assert.deepEqual([event.kind, event.apiVersion, event.level, event.stage], ['Event', 'audit.k8s.io/v1', 'Metadata', 'ResponseComplete']);
      assert.deepEqual(event.user, { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
      assert.match(event.requestReceivedTimestamp, MICRO_TIME);
      assert.match(event.stageTimestamp, MICRO_TIME);
      assert.ok(event.requestReceivedTimestamp <= event.stageTimestamp);
      assert.ok(event.sourceIPs?.includes('127.0.0.1'));
    }
    const created = events[0]!;
    assert.equal(created.requestURI, '/api/v1/namespaces/default/configmaps');
    assert.deepEqual(created.objectRef, { resource: 'configmaps', namespace: 'default', apiVersion: 'v1' });
    assert.deepEqual(created.sourceIPs, ['203.0.113.7', '127.0.0.1']);
    assert.equal(created.userAgent, 'audit-test/1.0');
    assert.equal(events[5]!.requestURI, '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1');
    assert.equal(events[7]!.requestURI, '/readyz');
    assert.equal(events[7]!.objectRef, undefined);
    assert.deepEqual(events[1]!.responseStatus, { metadata: {}, code: 200 });
    assert.deepEqual(events[3]!.responseStatus, { metadata: {}, status: 'Failure', message: 'configmaps "missing" not found', reason: 'NotFound', code: 404 });
  });
});

describe('audit log with inflight limits', () => {
  it('audits a request the limits refuse, with its 429', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-audit-'));
    const path = join(dir, 'audit.log');
    const server = await SkiffServer.create({
      host: '127.0.0.1', port: 0, dataPath: ':memory:', logLevel: 'silent', auditLogPath: path,
      inflight: { maxRequestsInflight: 10, maxMutatingRequestsInflight: 1, maxWatchesPerConnection: 10 },
    });
    try {
      const url = await server.listen();
      const { hostname, port } = new URL(url);
      // A write whose body is withheld holds the one mutating slot.
      const socket = connect(Number(port), hostname);
      const body = JSON.stringify({ metadata: { name: 'held' } });
      socket.write(`POST /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      const answered = new Promise<string>((resolve) => {
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).once('end', () => resolve(text));
      });
      for (let i = 0; i < 200 && server.inflight?.mutating !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const refused = await request(url).post('/api/v1/namespaces/default/configmaps').send({ metadata: { name: 'x' } }).timeout(REQUEST_TIMEOUT_MS);
      assert.equal(refused.status, 429);
      socket.end(body);
      assert.match(await answered, /^HTTP\/1\.1 201 /);
      await server.close();
      const events = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditEvent);
      assert.deepEqual(events.map((e) => [e.verb, e.objectRef?.resource, e.responseStatus.code, e.responseStatus.reason]), [['create', 'configmaps', 429, 'TooManyRequests'], ['create', 'namespaces', 201, undefined]]);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('audit event fields', () => {
  it('prints MicroTime with six fractional digits', () => {
    assert.equal(microTime(new Date('2024-05-01T10:00:00.123Z')), '2024-05-01T10:00:00.123000Z');
  });

  it('lists forwarded addresses, then X-Real-Ip, then the peer, each once', () => {
    assert.deepEqual(sourceIPs('10.0.0.1, 10.0.0.2', '10.0.0.3', '::ffff:127.0.0.1'), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '127.0.0.1']);
    assert.deepEqual(sourceIPs(undefined, undefined, '::1'), ['::1']);
    assert.deepEqual(sourceIPs('127.0.0.1', undefined, '127.0.0.1'), ['127.0.0.1']);
  });
});
