import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent } from 'undici';
import { createCertificateAuthority, issueCertificate } from '../../../api/pki/certificates.js';
import { startSecureTestServer, requestJson, type SecureTestServer } from '../../support/secure-test-server.js';

const run = promisify(execFile);
const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

describe('TLS and authentication', () => {
  let cluster: SecureTestServer;
  let anonymous: Agent;

  before(async () => {
    cluster = await startSecureTestServer();
    anonymous = await cluster.client();
  });
  after(async () => {
    await cluster?.close();
  });

  it('serves HTTPS with a certificate curl verifies against the cluster CA', async () => {
    assert.match(cluster.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = await run('curl', ['--silent', '--show-error', '--fail', '--max-time', '10', '--cacert', cluster.caFile, `${cluster.url}/version`]);
    assert.equal(JSON.parse(stdout).gitVersion.startsWith('v1.'), true, stdout);
  });

  it('curl refuses the serving certificate without the cluster CA', async () => {
    await assert.rejects(run('curl', ['--silent', '--show-error', '--max-time', '10', `${cluster.url}/version`]), /certificate/i);
  });

  it('answers an unauthenticated request with upstream\'s 401 Status', async () => {
    for (const path of ['/api/v1/namespaces', '/api/v1/namespaces/default/pods', '/apis', '/openapi/v2', '/no/such/path']) {
      const response = await requestJson(`${cluster.url}${path}`, anonymous);
      assert.equal(response.status, 401, path);
      assert.deepEqual(response.body, UNAUTHORIZED, path);
    }
  });

  it('keeps /healthz, /livez, /readyz and /version open to anonymous requests', async () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) {
      const response = await requestJson(`${cluster.url}${path}`, anonymous);
      assert.equal(response.status, 200, `${path}: ${response.text}`);
    }
  });

  it('authenticates a client certificate signed by the cluster CA', async () => {
    const admin = await cluster.client({ user: 'system:admin', groups: ['system:masters'] });
    const response = await requestJson(`${cluster.url}/api/v1/namespaces`, admin);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.kind, 'NamespaceList');
  });

  it('refuses a client certificate from another CA with 401', async () => {
    const otherCa = await createCertificateAuthority('another-ca');
    const leaf = await issueCertificate(otherCa, { commonName: 'mallory', organizations: ['system:masters'], usage: 'client' });
    const agent = new Agent({ connect: { ca: cluster.pki.ca.cert, cert: leaf.cert, key: leaf.key } });
    try {
      const response = await requestJson(`${cluster.url}/api/v1/namespaces`, agent);
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, UNAUTHORIZED);
    } finally {
      await agent.close();
    }
  });

  it('refuses a bearer token no authenticator knows with 401', async () => {
    const response = await requestJson(`${cluster.url}/api/v1/namespaces`, anonymous, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, UNAUTHORIZED);
    const malformed = await requestJson(`${cluster.url}/version`, anonymous, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    assert.equal(malformed.status, 401, 'credentials that fail are refused even on public paths');
  });

  it('asks each bearer-token authenticator in turn', async () => {
    const tokens = await startSecureTestServer({
      tokenAuthenticators: [
        { authenticateToken: (token) => (token === 'first' ? { name: 'alice', groups: ['team'] } : undefined) },
        { authenticateToken: async (token) => (token === 'second' ? { name: 'bob', groups: [] } : undefined) },
      ],
    });
    try {
      const client = await tokens.client();
      for (const token of ['first', 'second']) {
        const response = await requestJson(`${tokens.url}/apis`, client, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 200, token);
      }
    } finally {
      await tokens.close();
    }
  });
});
