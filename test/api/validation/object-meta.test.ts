import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectMeta } from '../../../api/schemas/meta.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/identifiers.js';
import { carryOverSystemMetadata, validateObjectMeta, validateObjectMetaUpdate } from '../../../api/validation/object-meta.js';

const namespaced = { namespaced: true, nameRule: isDNS1123Subdomain };
const clusterScoped = { namespaced: false, nameRule: isDNS1123Label };

const SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

interface Case {
  name: string;
  meta: ObjectMeta;
  opts?: typeof namespaced;
  field: string;
  message: string;
}

const createCases: Case[] = [
  { name: 'requires a name when there is no generateName', meta: { namespace: 'default' }, field: 'metadata.name', message: 'Required value: name or generateName is required' },
  { name: 'rejects a name that breaks the kind\'s rule', meta: { name: 'Web', namespace: 'default' }, field: 'metadata.name', message: `Invalid value: "Web": ${SUBDOMAIN_MESSAGE}` },
  { name: 'checks a generateName prefix by the name rule', meta: { generateName: 'Web-', namespace: 'default' }, field: 'metadata.generateName', message: `Invalid value: "Web-": ${SUBDOMAIN_MESSAGE}` },
  { name: 'requires a namespace for a namespaced kind', meta: { name: 'web' }, field: 'metadata.namespace', message: 'Required value' },
  { name: 'checks the namespace as a DNS-1123 label', meta: { name: 'web', namespace: 'Prod' }, field: 'metadata.namespace', message: `Invalid value: "Prod": ${LABEL_MESSAGE}` },
  { name: 'forbids a namespace on a cluster-scoped kind', meta: { name: 'node-1', namespace: 'default' }, opts: clusterScoped, field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' },
  { name: 'uses the cluster-scoped kind\'s own name rule', meta: { name: 'a.b' }, opts: clusterScoped, field: 'metadata.name', message: `Invalid value: "a.b": ${LABEL_MESSAGE}` },
  {
    name: 'rejects a label key that is not a qualified name',
    meta: { name: 'web', namespace: 'default', labels: { '-app': 'x' } },
    field: 'metadata.labels',
    message: "Invalid value: \"-app\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  },
  {
    name: 'rejects a label value longer than 63 characters',
    meta: { name: 'web', namespace: 'default', labels: { app: 'x'.repeat(64) } },
    field: 'metadata.labels',
    message: `Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`,
  },
  {
    name: 'rejects an annotation key with a space',
    meta: { name: 'web', namespace: 'default', annotations: { 'a b': 'x' } },
    field: 'metadata.annotations',
    message: "Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  },
  {
    name: 'caps the total annotation size at 256 KiB',
    meta: { name: 'web', namespace: 'default', annotations: { big: 'x'.repeat(256 * 1024) } },
    field: 'metadata.annotations',
    message: 'Too long: may not be more than 262144 bytes',
  },
  {
    name: 'requires an owner reference uid',
    meta: { name: 'web', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' }] },
    field: 'metadata.ownerReferences.uid',
    message: 'Invalid value: "": must not be empty',
  },
  {
    name: 'requires an owner reference version',
    meta: { name: 'web', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/', kind: 'ReplicaSet', name: 'rs', uid: 'u' }] },
    field: 'metadata.ownerReferences.apiVersion',
    message: 'Invalid value: "apps/": version must not be empty',
  },
  {
    name: 'allows one controller owner only',
    meta: {
      name: 'web',
      namespace: 'default',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
        { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: true },
      ],
    },
    field: 'metadata.ownerReferences',
    message: 'Invalid value: [{"apiVersion":"v1","kind":"A","name":"a","uid":"1","controller":true},{"apiVersion":"v1","kind":"B","name":"b","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for A/a and B/b',
  },
  {
    name: 'rejects an unqualified finalizer that is not a standard one',
    meta: { name: 'web', namespace: 'default', finalizers: ['cleanup'] },
    field: 'metadata.finalizers[0]',
    message: 'Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
  },
  { name: 'rejects a negative generation', meta: { name: 'web', namespace: 'default', generation: -1 }, field: 'metadata.generation', message: 'Invalid value: -1: must be greater than or equal to 0' },
];

describe('validateObjectMeta', () => {
  for (const c of createCases) {
    it(c.name, () => {
      const errors = validateObjectMeta(c.meta, c.opts ?? namespaced);
      assert.equal(errors.causes[0]?.field, c.field);
      assert.equal(errors.causes[0]?.message, c.message);
    });
  }

  it('accepts a generateName ending in a dash, since a suffix follows it', () => {
    assert.deepEqual(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, namespaced).causes, []);
  });

  it('compares annotation keys case-insensitively', () => {
    assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default', annotations: { 'Example.com/Owner': 'me' } }, namespaced).causes, []);
  });

  it('accepts standard and domain-qualified finalizers', () => {
    const meta = { name: 'web', namespace: 'default', finalizers: ['kubernetes', 'example.com/cleanup', 'foregroundDeletion'] };
    assert.deepEqual(validateObjectMeta(meta, namespaced).causes, []);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = { name: 'web', namespace: 'default', uid: 'u-1', creationTimestamp: '2024-01-01T00:00:00Z', resourceVersion: '5' };

  const updateCases: { name: string; meta: ObjectMeta; oldMeta?: ObjectMeta; field: string; message: string }[] = [
    { name: 'keeps the name immutable', meta: { ...old, name: 'api' }, field: 'metadata.name', message: 'Invalid value: "api": field is immutable' },
    { name: 'keeps the namespace immutable', meta: { ...old, namespace: 'prod' }, field: 'metadata.namespace', message: 'Invalid value: "prod": field is immutable' },
    { name: 'keeps the uid immutable', meta: { ...old, uid: 'u-2' }, field: 'metadata.uid', message: 'Invalid value: "u-2": field is immutable' },
    {
      name: 'keeps the creation timestamp immutable',
      meta: { ...old, creationTimestamp: '2025-01-01T00:00:00Z' },
      field: 'metadata.creationTimestamp',
      message: 'Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    },
    {
      name: 'refuses new finalizers on an object being deleted',
      meta: { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a.io/x', 'b.io/y'] },
      oldMeta: { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a.io/x'] },
      field: 'metadata.finalizers',
      message: 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    },
  ];
  for (const c of updateCases) {
    it(c.name, () => {
      const errors = validateObjectMetaUpdate(c.meta, c.oldMeta ?? old);
      assert.equal(errors.causes[0]?.field, c.field);
      assert.equal(errors.causes[0]?.message, c.message);
    });
  }

  it('treats a uid or timestamp left out of the body as unchanged', () => {
    assert.deepEqual(validateObjectMetaUpdate({ name: 'web', namespace: 'default', labels: { a: 'b' } }, old).causes, []);
  });

  it('carries server-owned metadata over from the stored object', () => {
    const meta: ObjectMeta = { name: 'web', namespace: 'default', creationTimestamp: null };
    carryOverSystemMetadata(meta, { ...old, generation: 3 });
    assert.equal(meta.uid, 'u-1');
    assert.equal(meta.creationTimestamp, '2024-01-01T00:00:00Z');
    assert.equal(meta.generation, 3);
  });
});
