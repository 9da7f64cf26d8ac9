import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubectlSession, rowNamed, tableRows } from './kubectl-harness.js';

// ConfigMaps and Secrets through kubectl: `apply -f` (the `create secret`
// generators send protobuf) and `get` with the columns kubectl prints.

const AGE = /^\d+(s|m\d*s?|h\d*m?|d\d*h?)$/;

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
  b: "2"
binaryData:
  c: AAE=
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: hunter2
---
apiVersion: v1
kind: Secret
metadata:
  name: web-tls
type: kubernetes.io/tls
data:
  tls.crt: Y2VydA==
  tls.key: a2V5
`;

describe('kubectl with ConfigMaps and Secrets', () => {
  let kubectl: KubectlSession;

  before(async () => {
    kubectl = await KubectlSession.start();
  });
  after(async () => {
    await kubectl?.close();
  });

  it('apply -f creates them and get secret,configmap prints their columns', async () => {
    const applied = await kubectl.ok(['apply', '-f', kubectl.file('config.yaml', MANIFESTS)]);
    assert.match(applied, /^configmap\/settings created$/m);
    assert.match(applied, /^secret\/creds created$/m);
    const out = await kubectl.ok(['get', 'secret,configmap']);
    const headers = tableRows(out).filter((row) => row[0] === 'NAME');
    assert.deepEqual(headers, [['NAME', 'TYPE', 'DATA', 'AGE'], ['NAME', 'DATA', 'AGE']]);
    const creds = rowNamed(out, 'secret/creds');
    assert.deepEqual(creds?.slice(0, 3), ['secret/creds', 'Opaque', '1']);
    assert.match(creds?.[3] ?? '', AGE);
    assert.deepEqual(rowNamed(out, 'secret/web-tls')?.slice(0, 3), ['secret/web-tls', 'kubernetes.io/tls', '2']);
    const settings = rowNamed(out, 'configmap/settings');
    assert.deepEqual(settings?.slice(0, 2), ['configmap/settings', '3']);
    assert.match(settings?.[2] ?? '', AGE);
  });

  it('reads the stringData value back from data, and get cm uses the short name', async () => {
    const password = await kubectl.ok(['get', 'secret', 'creds', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(password, 'base64').toString(), 'hunter2');
    const cms = await kubectl.ok(['get', 'cm', 'settings', '-o', 'jsonpath={.data.a}']);
    assert.equal(cms, '1');
  });

  it('shows a refused Secret with upstream wording', async () => {
    const bad = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: half-tls\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: c\n';
    const result = await kubectl.run(['apply', '-f', kubectl.file('bad.yaml', bad)]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Secret "half-tls" is invalid: data\[tls\.key\]: Required value/);
  });
});
