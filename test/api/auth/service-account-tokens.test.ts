import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import type { Agent } from 'undici';
import { kubeconfigFor } from '../../../cli/kubeconfig-command.js';
import { issueCertificate } from '../../../api/pki/certificates.js';
import { startSecureTestServer, requestJson, type SecureTestServer } from '../../support/secure-test-server.js';

const execFileAsync = promisify(execFile);

describe('ServiceAccounts and their tokens', () => {
  let cluster: SecureTestServer;
  let admin: Agent;
  let anonymous: Agent;
  let dir: string;
  let kubeconfig: string;

  async function kubectl(args: string[]): Promise<string> {
    const cacheDir = mkdtempSync(join(dir, 'cache-'));
    const { stdout } = await execFileAsync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout', '15s', ...args], { timeout: 30_000 });
    return stdout;
  }

  async function curlWithToken(token: string, path: string): Promise<{ code: number; body: Record<string, unknown> }> {
    const { stdout } = await execFileAsync('curl', ['--silent', '--max-time', '10', '--cacert', cluster.caFile, '-H', `Authorization: Bearer ${token}`, '-w', '\n%{http_code}', `${cluster.url}${path}`]);
    const lines = stdout.trimEnd().split('\n');
    const code = Number(lines.pop());
    return { code, body: JSON.parse(lines.join('\n')) as Record<string, unknown> };
  }

  /** Bounded wait for the controller's work to show. */
  async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} did not happen`);
  }

  async function defaultAccountUid(namespace: string): Promise<string | undefined> {
    const response = await requestJson(`${cluster.url}/api/v1/namespaces/${namespace}/serviceaccounts/default`, admin);
    return response.status === 200 ? String((response.body.metadata as { uid: string }).uid) : undefined;
  }

  before(async () => {
    cluster = await startSecureTestServer();
    admin = await cluster.client({ user: 'system:admin', groups: ['system:masters'] });
    anonymous = await cluster.client();
    dir = mkdtempSync(join(tmpdir(), 'skiff-sa-'));
    const leaf = await issueCertificate(cluster.pki.ca, { commonName: 'system:admin', organizations: ['system:masters'], usage: 'client' });
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(cluster.url, 'skiff', { ca: cluster.pki.ca.cert, clientCert: leaf.cert, clientKey: leaf.key }));
  });
  after(async () => {
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives every Namespace a default ServiceAccount, listed by kubectl as NAME SECRETS AGE', async () => {
    await eventually('default/default', () => defaultAccountUid('default'));
    const created = await requestJson(`${cluster.url}/api/v1/namespaces`, admin, { method: 'POST', body: { metadata: { name: 'team-a' } } });
    assert.equal(created.status, 201);
    await eventually('team-a/default', () => defaultAccountUid('team-a'));
    const table = await kubectl(['get', 'serviceaccounts', '-n', 'team-a']);
    assert.match(table, /^NAME\s+SECRETS\s+AGE\s*\ndefault\s+0\s+\S+\s*$/);
  });

  it('issues a token with kubectl create token that authenticates as the ServiceAccount until it is deleted', async () => {
    const uid = await eventually('default/default', () => defaultAccountUid('default'));
    const token = (await kubectl(['create', 'token', 'default'])).trim();
    const claims = decodeJwt(token);
    assert.equal(claims.sub, 'system:serviceaccount:default:default');
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'default', uid } });
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 3600, 'an hour by default');
    assert.equal(claims.nbf, claims.iat);
    assert.deepEqual(claims.aud, ['https://kubernetes.default.svc.cluster.local']);

    const accepted = await curlWithToken(token, '/api');
    assert.equal(accepted.code, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.kind, 'APIVersions');

    const deleted = await requestJson(`${cluster.url}/api/v1/namespaces/default/serviceaccounts/default`, admin, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    const refused = await curlWithToken(token, '/api');
    assert.equal(refused.code, 401);
    assert.equal(refused.body.reason, 'Unauthorized');

    // The controller makes a new default account: a new uid, so the old token stays dead.
    const newUid = await eventually('the recreated default account', async () => {
      const current = await defaultAccountUid('default');
      return current !== undefined && current !== uid ? current : undefined;
    });
    assert.notEqual(newUid, uid);
    assert.equal((await curlWithToken(token, '/api/v1/namespaces')).code, 401);
  });

  it('refuses an expired token', async () => {
    const uid = await eventually('team-a/default', () => defaultAccountUid('team-a'));
    const longAgo = new Date(Date.now() - 2 * 3600 * 1000);
    const { token } = await cluster.server.serviceAccountTokens.issue({ namespace: 'team-a', name: 'default', uid }, ['https://kubernetes.default.svc.cluster.local'], 600, longAgo);
    const response = await requestJson(`${cluster.url}/api/v1/namespaces`, anonymous, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 401);
    assert.equal(response.body.message, 'Unauthorized');
  });

  it('refuses a token signed with another key or issued for another audience', async () => {
    const uid = await eventually('team-a/default', () => defaultAccountUid('team-a'));
    const other = await startSecureTestServer();
    try {
      const foreign = await other.server.serviceAccountTokens.issue({ namespace: 'team-a', name: 'default', uid }, ['https://kubernetes.default.svc.cluster.local'], 600);
      assert.equal((await requestJson(`${cluster.url}/api/v1/namespaces`, anonymous, { headers: { authorization: `Bearer ${foreign.token}` } })).status, 401);
    } finally {
      await other.close();
    }
    const elsewhere = await cluster.server.serviceAccountTokens.issue({ namespace: 'team-a', name: 'default', uid }, ['vault'], 600);
    assert.equal((await requestJson(`${cluster.url}/api/v1/namespaces`, anonymous, { headers: { authorization: `Bearer ${elsewhere.token}` } })).status, 401);
  });

  it('validates a TokenRequest as upstream does', async () => {
    const url = `${cluster.url}/api/v1/namespaces/team-a/serviceaccounts/default/token`;
    const short = await requestJson(url, admin, { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 60 } } });
    assert.equal(short.status, 422);
    assert.equal(short.body.message, 'TokenRequest.authentication.k8s.io "default" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    const missing = await requestJson(`${cluster.url}/api/v1/namespaces/team-a/serviceaccounts/nobody/token`, admin, { method: 'POST', body: { spec: {} } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
    const issued = await requestJson(url, admin, { method: 'POST', body: { spec: { expirationSeconds: 1200, audiences: ['https://kubernetes.default.svc.cluster.local'] } } });
    assert.equal(issued.status, 201);
    assert.equal(issued.body.kind, 'TokenRequest');
    const status = issued.body.status as { token: string; expirationTimestamp: string };
    const claims = decodeJwt(status.token);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 1200);
    assert.equal(Date.parse(status.expirationTimestamp) / 1000, claims.exp);
  });
});
