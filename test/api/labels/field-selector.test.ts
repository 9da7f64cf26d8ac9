import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../api/errors.js';
import { FieldSelector, escapeFieldValue, parseFieldSelector, unescapeFieldValue } from '../../../api/labels/field-selector.js';

const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase', 'spec.restartPolicy'];

type Fields = Record<string, string>;

function getter(fields: Fields): (field: string) => string | undefined {
  return (field) => fields[field];
}

interface ValidCase {
  selector: string;
  canonical: string;
  matches: Fields[];
  rejects: Fields[];
}

const valid: ValidCase[] = [
  { selector: '', canonical: '', matches: [{}, { 'metadata.name': 'x' }], rejects: [] },
  { selector: ',,', canonical: '', matches: [{}], rejects: [] },
  { selector: 'metadata.name=web', canonical: 'metadata.name=web', matches: [{ 'metadata.name': 'web' }], rejects: [{}, { 'metadata.name': 'db' }] },
  { selector: 'metadata.name==web', canonical: 'metadata.name=web', matches: [{ 'metadata.name': 'web' }], rejects: [{ 'metadata.name': '=web' }] },
  { selector: 'spec.nodeName!=n1', canonical: 'spec.nodeName!=n1', matches: [{}, { 'spec.nodeName': 'n2' }], rejects: [{ 'spec.nodeName': 'n1' }] },
  { selector: 'spec.nodeName=', canonical: 'spec.nodeName=', matches: [{}, { 'spec.nodeName': '' }], rejects: [{ 'spec.nodeName': 'n1' }] },
  { selector: 'spec.nodeName!=', canonical: 'spec.nodeName!=', matches: [{ 'spec.nodeName': 'n1' }], rejects: [{}] },
  {
    selector: 'status.phase=Running,metadata.namespace=default',
    canonical: 'metadata.namespace=default,status.phase=Running',
    matches: [{ 'status.phase': 'Running', 'metadata.namespace': 'default' }],
    rejects: [{ 'status.phase': 'Running', 'metadata.namespace': 'kube-system' }, { 'status.phase': 'Running' }],
  },
  { selector: 'metadata.name=a\\,b', canonical: 'metadata.name=a\\,b', matches: [{ 'metadata.name': 'a,b' }], rejects: [{ 'metadata.name': 'a' }] },
  { selector: 'metadata.name=a\\=b', canonical: 'metadata.name=a\\=b', matches: [{ 'metadata.name': 'a=b' }], rejects: [{ 'metadata.name': 'a\\=b' }] },
  { selector: 'metadata.name=a\\\\', canonical: 'metadata.name=a\\\\', matches: [{ 'metadata.name': 'a\\' }], rejects: [{ 'metadata.name': 'a' }] },
  {
    selector: 'metadata.name=a\\\\,status.phase=Pending',
    canonical: 'metadata.name=a\\\\,status.phase=Pending',
    matches: [{ 'metadata.name': 'a\\', 'status.phase': 'Pending' }],
    rejects: [{ 'metadata.name': 'a\\' }],
  },
  {
    selector: 'status.phase!=Failed,status.phase!=Succeeded',
    canonical: 'status.phase!=Failed,status.phase!=Succeeded',
    matches: [{ 'status.phase': 'Running' }, {}],
    rejects: [{ 'status.phase': 'Failed' }, { 'status.phase': 'Succeeded' }],
  },
  { selector: 'metadata.name=a!b', canonical: 'metadata.name=a!b', matches: [{ 'metadata.name': 'a!b' }], rejects: [] },
  { selector: 'spec.nodeName=Node With Spaces', canonical: 'spec.nodeName=Node With Spaces', matches: [{ 'spec.nodeName': 'Node With Spaces' }], rejects: [] },
];

const invalid: Array<{ selector: string; message: string }> = [
  { selector: 'metadata.name', message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'" },
  { selector: 'status.phase=Running,bogus', message: "invalid selector: 'status.phase=Running,bogus'; can't understand 'bogus'" },
  { selector: 'spec.host=n1', message: 'field label not supported: spec.host' },
  { selector: 'metadata.labels=x', message: 'field label not supported: metadata.labels' },
  { selector: 'metadata.name = x', message: 'field label not supported: metadata.name ' },
  { selector: '=x', message: 'field label not supported: ' },
  { selector: 'metadata.name=a=b', message: 'invalid field selector: unescaped character in value: 61' },
  { selector: 'metadata.name=a\\x', message: 'invalid field selector: invalid escape sequence: \\x' },
  { selector: 'metadata.name=a\\', message: 'invalid field selector: invalid escape sequence: \\' },
  // Every term is parsed before any field is checked: the syntax error wins.
  { selector: 'aaa.unknown=x,zzz', message: "invalid selector: 'aaa.unknown=x,zzz'; can't understand 'zzz'" },
  // Terms are checked in sorted order, as Kubernetes sorts them.
  { selector: 'zeta=1,alpha=2', message: 'field label not supported: alpha' },
];

describe('parseFieldSelector: valid selectors', () => {
  for (const c of valid) {
    it(`parses ${JSON.stringify(c.selector)} to ${JSON.stringify(c.canonical)} and matches field values`, () => {
      const selector = parseFieldSelector(c.selector, POD_FIELDS);
      assert.equal(selector.toString(), c.canonical);
      for (const f of c.matches) assert.equal(selector.matches(getter(f)), true, `should match ${JSON.stringify(f)}`);
      for (const f of c.rejects) assert.equal(selector.matches(getter(f)), false, `should not match ${JSON.stringify(f)}`);
    });
  }

  it('gives a canonical string that parses back to the same selector', () => {
    for (const c of valid) {
      assert.equal(parseFieldSelector(parseFieldSelector(c.selector, POD_FIELDS).toString(), POD_FIELDS).toString(), c.canonical);
    }
  });

  it('reports normalized requirements with unescaped values', () => {
    assert.deepEqual(parseFieldSelector('spec.nodeName!=n\\,1,metadata.name==x', POD_FIELDS).requirements, [
      { field: 'metadata.name', operator: 'Equals', value: 'x' },
      { field: 'spec.nodeName', operator: 'NotEquals', value: 'n,1' },
    ]);
  });

  it('is empty only when nothing is required', () => {
    assert.equal(parseFieldSelector('', POD_FIELDS).isEmpty(), true);
    assert.equal(parseFieldSelector(',', POD_FIELDS).isEmpty(), true);
    assert.equal(parseFieldSelector('metadata.name=x', POD_FIELDS).isEmpty(), false);
    assert.equal(FieldSelector.everything().isEmpty(), true);
  });

  it('accepts only the fields it is given', () => {
    assert.throws(() => parseFieldSelector('metadata.name=x', []), { message: 'field label not supported: metadata.name' });
    assert.equal(parseFieldSelector('spec.type=ClusterIP', ['spec.type']).toString(), 'spec.type=ClusterIP');
  });
});

describe('parseFieldSelector: invalid selectors', () => {
  for (const c of invalid) {
    it(`rejects ${JSON.stringify(c.selector)} with a BadRequest`, () => {
      assert.throws(
        () => parseFieldSelector(c.selector, POD_FIELDS),
        (err: unknown) => {
          assert.ok(err instanceof BadRequestError, `expected BadRequestError, got ${String(err)}`);
          assert.equal(err.message, c.message);
          return true;
        },
      );
    });
  }
});

describe('FieldSelector.exactValue', () => {
  it('gives the value an equality requires, for a direct lookup', () => {
    const selector = parseFieldSelector('metadata.name==web,spec.nodeName!=n1', POD_FIELDS);
    assert.equal(selector.exactValue('metadata.name'), 'web');
    assert.equal(selector.exactValue('spec.nodeName'), undefined);
    assert.equal(selector.exactValue('status.phase'), undefined);
  });

  it('gives the unescaped value', () => {
    assert.equal(parseFieldSelector('metadata.name=a\\,b', POD_FIELDS).exactValue('metadata.name'), 'a,b');
  });
});

describe('escapeFieldValue and unescapeFieldValue', () => {
  it('round-trip any value', () => {
    for (const value of ['', 'plain', 'a,b', 'a=b', 'a\\b', '\\,=\\\\', 'ünïcode,=']) {
      assert.equal(unescapeFieldValue(escapeFieldValue(value)), value);
    }
  });
});
