import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKubernetesProtobuf } from '../../../api/protobuf/envelope.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

// Kubernetes protobuf request bodies over real HTTP: a decoded body takes the
// JSON path (creation, updates, delete options, kind checks), answers are
// JSON, and a body that does not decode is a 400 Status, never a 500.

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const CLIENT_GO_ACCEPT = 'application/vnd.kubernetes.protobuf,application/json';
const SERVICES = '/api/v1/namespaces/default/services';

interface Reply {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

describe('Kubernetes protobuf request bodies', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ memory: true });
  });
  after(async () => {
    await t?.close();
  });

  async function send(method: string, path: string, body: Uint8Array | string, contentType = PROTOBUF): Promise<Reply> {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { 'Content-Type': contentType, Accept: CLIENT_GO_ACCEPT },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.json() as Record<string, unknown> };
  }

  function assertStatus(reply: Reply, code: number, reason: string, message: RegExp): void {
    assert.equal(reply.status, code, JSON.stringify(reply.body));
    assert.match(reply.contentType, /^application\/json/);
    assert.equal(reply.body.kind, 'Status');
    assert.equal(reply.body.code, code);
    assert.equal(reply.body.reason, reason);
    assert.match(String(reply.body.message), message);
  }

  it('creates a Pod from a protobuf body and answers in JSON', async () => {
    const reply = await send('POST', '/api/v1/namespaces/default/pods', encodeKubernetesProtobuf({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pb-pod', labels: { app: 'pb' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } }, readinessProbe: { httpGet: { path: '/', port: 'http' } } }] },
    }));
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.match(reply.contentType, /^application\/json/);
    const spec = reply.body.spec as { containers: { image: string; resources: unknown; readinessProbe: { httpGet: { port: unknown } } }[] };
    assert.equal(spec.containers[0]!.image, 'nginx:1.27');
    // Requests default to limits, as for a JSON body.
    assert.deepEqual(spec.containers[0]!.resources, { limits: { cpu: '500m' }, requests: { cpu: '500m' } });
    assert.equal(spec.containers[0]!.readinessProbe.httpGet.port, 'http');
    assert.deepEqual((reply.body.metadata as { labels: unknown }).labels, { app: 'pb' });
  });

  it('updates a Service with a protobuf PUT carrying the resourceVersion', async () => {
    const created = await send('POST', SERVICES, encodeKubernetesProtobuf({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'pb-svc' }, spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'pb' } },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const next = structuredClone(created.body) as { metadata: { labels?: Record<string, string> }; spec: { ports: { targetPort: unknown }[] } };
    next.metadata.labels = { tier: 'front' };
    next.spec.ports[0]!.targetPort = 'http';
    const updated = await send('PUT', `${SERVICES}/pb-svc`, encodeKubernetesProtobuf(next as Record<string, unknown>));
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual((updated.body.metadata as { labels: unknown }).labels, { tier: 'front' });
    assert.equal((updated.body.spec as { ports: { targetPort: unknown }[] }).ports[0]!.targetPort, 'http');
    assert.equal((updated.body.spec as { clusterIP: string }).clusterIP, (created.body.spec as { clusterIP: string }).clusterIP);
  });

  it('honours DeleteOptions sent as protobuf', async () => {
    await send('POST', '/api/v1/namespaces', encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pb-delete' } }));
    const wrongUid = await send('DELETE', '/api/v1/namespaces/pb-delete', encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'not-the-uid' } }));
    assertStatus(wrongUid, 409, 'Conflict', /Precondition failed: UID in precondition: not-the-uid/);
    const dryRun = await send('DELETE', '/api/v1/namespaces/pb-delete', encodeKubernetesProtobuf({ apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', dryRun: ['All'] }));
    assert.equal(dryRun.status, 200, JSON.stringify(dryRun.body));
    const still = await fetch(`${t.url}/api/v1/namespaces/pb-delete`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(still.status, 200);
    assert.equal(((await still.json()) as { status: { phase: string } }).status.phase, 'Active');
  });

  it('answers 400 for a body that is not Kubernetes protobuf', async () => {
    assertStatus(await send('POST', '/api/v1/namespaces', Buffer.from('\x00\x01garbage bytes')), 400, 'BadRequest', /start with the bytes "k8s\\x00"/);
  });

  it('answers 400 for a truncated body', async () => {
    const whole = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pb-cut', labels: { a: 'b' } } });
    assertStatus(await send('POST', '/api/v1/namespaces', whole.subarray(0, whole.length - 6)), 400, 'BadRequest', /could not be decoded as a runtime.Unknown envelope/);
  });

  it('answers 400 for a body of another kind or version than the URL, as for JSON', async () => {
    const namespace = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pb-wrong' } });
    assertStatus(await send('POST', SERVICES, namespace), 400, 'BadRequest', /Namespace in version "v1" cannot be handled as a Service/);
    const lease = encodeKubernetesProtobuf({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'pb-wrong' } });
    assertStatus(await send('POST', SERVICES, lease), 400, 'BadRequest', /the API version in the data \(coordination.k8s.io\/v1\) does not match the expected API version \(v1\)/);
  });

  it('answers 400 for a kind it has no schema for', async () => {
    const configMap = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, ...Buffer.from('Container')])]);
    assertStatus(await send('POST', SERVICES, configMap), 400, 'BadRequest', /no kind "Container" is registered for version "v1"/);
  });

  it('answers 415 to a protobuf PATCH, since no patch type is protobuf', async () => {
    const body = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'pb-svc' } });
    assertStatus(await send('PATCH', `${SERVICES}/pb-svc`, body), 415, 'UnsupportedMediaType', /accepted media types include: application\/json-patch\+json/);
    assertStatus(await send('PATCH', `${SERVICES}/pb-svc`, 'garbage'), 415, 'UnsupportedMediaType', /unknown format/);
  });
});
