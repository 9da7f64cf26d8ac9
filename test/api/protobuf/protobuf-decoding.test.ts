import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf } from '../../../api/protobuf/envelope.js';
import { kindsWithMessages } from '../../../api/protobuf/kind-messages.js';
import { protobufSchemaRoot } from '../../../api/protobuf/schema-root.js';
import { BadRequestError } from '../../../api/errors.js';
import { KIND_SAMPLES } from './kind-samples.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const MAGIC = Buffer.from('k8s\0', 'latin1');

/** What a JSON body of the same object parses to. */
function jsonDecoding(object: unknown): unknown {
  return JSON.parse(JSON.stringify(object)) as unknown;
}

/** A body the way client-go builds it, from a wire message given field by field. */
function envelope(apiVersion: string, kind: string, messageName: string, wire: Record<string, unknown>, extra: Record<string, unknown> = {}): Buffer {
  const root = protobufSchemaRoot();
  const type = root.lookupType(messageName);
  const raw = type.encode(type.fromObject(wire)).finish();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  return Buffer.concat([MAGIC, unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, ...extra })).finish()]);
}

function rejects(body: Buffer, message: RegExp): void {
  assert.throws(() => decodeKubernetesProtobuf(body), (error: unknown) => error instanceof BadRequestError && message.test(error.message));
}

describe('Kubernetes protobuf bodies decode to the JSON of the same object', () => {
  for (const { apiVersion, kind } of kindsWithMessages()) {
    it(`round-trips a ${apiVersion} ${kind}`, () => {
      const sample = KIND_SAMPLES[`${apiVersion}/${kind}`];
      assert.ok(sample, `no sample object for ${apiVersion} ${kind}; add one to kind-samples.ts`);
      assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(sample)), jsonDecoding(sample));
    });
  }

  for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.bin'))) {
    it(`decodes the body kubectl sent for ${file.replace(/\.bin$/, '')} to kubectl's own JSON of it`, () => {
      const expected = JSON.parse(readFileSync(new URL(file.replace(/\.bin$/, '.json'), FIXTURES), 'utf8')) as { metadata: Record<string, unknown> };
      // kubectl's JSON spells the unset creation time as null; the protobuf body leaves it out.
      assert.equal(expected.metadata.creationTimestamp, null);
      delete expected.metadata.creationTimestamp;
      assert.deepEqual(decodeKubernetesProtobuf(readFileSync(new URL(file, FIXTURES))), expected);
    });
  }

  it('drops the zero scalars Go writes but omitempty leaves out of JSON, and keeps pointer and non-omitempty zeros', () => {
    const body = envelope('v1', 'Pod', 'k8s.io.api.core.v1.Pod', {
      metadata: { name: 'p', generateName: '', namespace: '', generation: 0, creationTimestamp: {} },
      spec: {
        containers: [{ name: '', image: 'nginx', stdin: false, ports: [{ containerPort: 80, hostPort: 0, protocol: '' }] }],
        automountServiceAccountToken: false, terminationGracePeriodSeconds: 0, nodeName: '', hostNetwork: false,
      },
      status: {},
    });
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: '', image: 'nginx', ports: [{ containerPort: 80 }] }], automountServiceAccountToken: false, terminationGracePeriodSeconds: 0 },
      status: {},
    });
  });

  it('maps IntOrString by its type, including an int 0 and an empty string', () => {
    const port = (targetPort: Record<string, unknown>) => envelope('v1', 'Service', 'k8s.io.api.core.v1.Service', { spec: { ports: [{ port: 80, targetPort }] } });
    const target = (body: Buffer) => ((decodeKubernetesProtobuf(body).spec as { ports: { targetPort: unknown }[] }).ports[0]!.targetPort);
    assert.equal(target(port({ type: 0, intVal: 8080 })), 8080);
    assert.equal(target(port({ type: 1, strVal: 'http' })), 'http');
    assert.equal(target(port({ type: 0, intVal: 0, strVal: '' })), 0);
    assert.equal(target(port({ type: 1, intVal: 0, strVal: '' })), '');
  });

  it('writes Time in whole seconds and MicroTime with six digits, in UTC', () => {
    const body = envelope('v1', 'Event', 'k8s.io.api.core.v1.Event', {
      metadata: { name: 'e', creationTimestamp: { seconds: 1136214245, nanos: 999000000 } },
      eventTime: { seconds: 1136214245, nanos: 5000 },
      firstTimestamp: { seconds: 0 },
    });
    const event = decodeKubernetesProtobuf(body);
    assert.equal((event.metadata as { creationTimestamp: string }).creationTimestamp, '2006-01-02T15:04:05Z');
    assert.equal(event.eventTime, '2006-01-02T15:04:05.000005Z');
    assert.equal(event.firstTimestamp, '1970-01-01T00:00:00Z');
  });

  it('rejects a body without the k8s\\0 magic', () => {
    rejects(Buffer.from('{"kind":"Namespace"}'), /start with the bytes "k8s\\x00"/);
    rejects(Buffer.from('k8s'), /start with the bytes/);
  });

  it('rejects a truncated envelope and a truncated message', () => {
    const whole = encodeKubernetesProtobuf(KIND_SAMPLES['v1/Service']!);
    rejects(whole.subarray(0, whole.length - 20), /could not be decoded as a runtime.Unknown envelope/);
    const root = protobufSchemaRoot();
    const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    const inner = root.lookupType('k8s.io.api.core.v1.Service').encode({ metadata: { name: 'web', labels: { a: 'b' } } }).finish();
    const cut = Buffer.concat([MAGIC, unknown.encode(unknown.fromObject({ typeMeta: { apiVersion: 'v1', kind: 'Service' }, raw: inner.subarray(0, inner.length - 3) })).finish()]);
    rejects(cut, /could not be decoded as a v1 Service/);
  });

  it('rejects a kind without a schema, a missing kind, and encoded or foreign content', () => {
    rejects(envelope('v1', 'PersistentVolume', 'k8s.io.api.core.v1.Namespace', {}), /no kind "PersistentVolume" is registered for version "v1"/);
    rejects(envelope('apps/v1', 'Pod', 'k8s.io.api.core.v1.Pod', {}), /no kind "Pod" is registered for version "apps\/v1"/);
    rejects(envelope('v1', '', 'k8s.io.api.core.v1.Pod', {}), /'Kind' is missing/);
    rejects(envelope('v1', 'Pod', 'k8s.io.api.core.v1.Pod', {}, { contentEncoding: 'gzip' }), /content encoding "gzip" is not supported/);
    rejects(envelope('v1', 'Pod', 'k8s.io.api.core.v1.Pod', {}, { contentType: 'application/json' }), /content of type "application\/json"/);
  });
});
