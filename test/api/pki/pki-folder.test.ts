import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterPki } from '../../../api/pki/pki-folder.js';
import { resolveServerCredentials, SecurityFlagError } from '../../../api/pki/server-credentials.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the PKI folder', () => {
  it('makes a CA, a serving certificate for every name the server is reached by, and a signing pair', async () => {
    const dir = tempDir();
    const flags = { host: '192.0.2.7', dataPath: join(dir, 'skiff.db'), serviceCidr: '10.43.0.0/16', insecureServeHttp: false };
    const credentials = await resolveServerCredentials(flags);
    assert.equal(credentials.pkiDir, join(dir, 'pki'), 'beside the data file');
    const serving = new X509Certificate(credentials.config.tls!.cert);
    assert.equal(serving.subjectAltName, [
      'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local',
      'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:192.0.2.7', 'IP Address:10.43.0.1',
    ].join(', '));
    assert.ok(serving.verify(new X509Certificate(readFileSync(join(dir, 'pki', 'ca.crt'))).publicKey), 'signed by the cluster CA');
    assert.equal(statSync(join(dir, 'pki', 'ca.key')).mode & 0o777, 0o600, 'private keys readable by the owner only');
    assert.match(credentials.config.serviceAccountKeys!.privateKey, /BEGIN PRIVATE KEY/);
  });

  it('reuses what it made, and reissues only the serving certificate when a name is new', async () => {
    const dir = tempDir();
    const first = await ensureClusterPki(dir, { hosts: ['127.0.0.1'] });
    const again = await ensureClusterPki(dir, { hosts: ['127.0.0.1'] });
    assert.deepEqual(again, first);
    const moved = await ensureClusterPki(dir, { hosts: ['skiff.example'] });
    assert.deepEqual(moved.ca, first.ca);
    assert.deepEqual(moved.serviceAccount, first.serviceAccount);
    assert.notEqual(moved.serving.cert, first.serving.cert);
    assert.ok(new X509Certificate(moved.serving.cert).checkHost('skiff.example'));
  });

  it('serves certificates given by --tls-cert-file, --tls-private-key-file and --client-ca-file instead', async () => {
    const dir = tempDir();
    const own = await ensureClusterPki(join(dir, 'own'), { hosts: ['skiff.example'] });
    writeFileSync(join(dir, 'tls.crt'), own.serving.cert);
    writeFileSync(join(dir, 'tls.key'), own.serving.key);
    writeFileSync(join(dir, 'clients.crt'), own.ca.cert);
    const base = { host: '127.0.0.1', dataPath: join(dir, 'skiff.db'), serviceCidr: '10.96.0.0/16', insecureServeHttp: false };
    const credentials = await resolveServerCredentials({ ...base, tlsCertFile: join(dir, 'tls.crt'), tlsPrivateKeyFile: join(dir, 'tls.key'), clientCaFile: join(dir, 'clients.crt') });
    assert.deepEqual(credentials.config.tls, { cert: own.serving.cert, key: own.serving.key, clientCa: own.ca.cert });
    await assert.rejects(resolveServerCredentials({ ...base, tlsCertFile: join(dir, 'tls.crt') }), /--tls-cert-file and --tls-private-key-file go together/);
  });

  it('uses a temporary folder for :memory:', async () => {
    const credentials = await resolveServerCredentials({ host: '127.0.0.1', dataPath: ':memory:', serviceCidr: '10.96.0.0/16', insecureServeHttp: false });
    dirs.push(credentials.pkiDir!);
    assert.equal(credentials.temporaryPkiDir, true);
    assert.ok(credentials.pkiDir!.startsWith(tmpdir()));
  });

  it('refuses --insecure-serve-http on a host other than loopback', async () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const ok = await resolveServerCredentials({ host, dataPath: ':memory:', serviceCidr: '10.96.0.0/16', insecureServeHttp: true });
      assert.equal(ok.config.tls, undefined, host);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'skiff.example']) {
      await assert.rejects(resolveServerCredentials({ host, dataPath: ':memory:', serviceCidr: '10.96.0.0/16', insecureServeHttp: true }), SecurityFlagError, host);
    }
  });
});
