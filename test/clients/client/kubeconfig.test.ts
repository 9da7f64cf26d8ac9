import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { KubeClient, clientOptionsFor } from '../../../clients/client/client.js';
import { KubeconfigError, loadKubeconfig } from '../../../clients/client/kubeconfig.js';
import { namespaces } from '../../../clients/client/resources.js';
import { ApiStatusError } from '../../../clients/client/api-status-error.js';
import { resolveAgentConfig } from '../../../clients/agent/agent-config.js';
import { kubeconfigFor } from '../../../cli/kubeconfig-command.js';
import { issueCertificate } from '../../../api/pki/certificates.js';
import { startSecureTestServer, requestJson, type SecureTestServer } from '../../support/secure-test-server.js';

describe('the client library with a kubeconfig', () => {
  let cluster: SecureTestServer;
  let dir: string;

  before(async () => {
    cluster = await startSecureTestServer();
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubeconfig-'));
  });
  after(async () => {
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function listWith(path: string): Promise<string[]> {
    const client = new KubeClient(clientOptionsFor(loadKubeconfig(path)));
    try {
      return (await client.list(namespaces)).items.map((ns) => ns.metadata?.name ?? '');
    } finally {
      await client.close();
    }
  }

  it('connects with the CA and client certificate of an inline kubeconfig', async () => {
    const leaf = await issueCertificate(cluster.pki.ca, { commonName: 'system:node:n1', organizations: ['system:nodes'], usage: 'client' });
    const path = join(dir, 'inline');
    writeFileSync(path, kubeconfigFor(cluster.url, 'skiff', { ca: cluster.pki.ca.cert, clientCert: leaf.cert, clientKey: leaf.key }));
    assert.ok((await listWith(path)).includes('kube-system'));
  });

  it('reads certificate files relative to the kubeconfig and sends a bearer token', async () => {
    const admin = await cluster.client({ user: 'system:admin', groups: ['system:masters'] });
    const created = await requestJson(`${cluster.url}/api/v1/namespaces/default/serviceaccounts`, admin, { method: 'POST', body: { metadata: { name: 'reader' } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // RBAC: the account may read, through the view role, everywhere.
    const bound = await requestJson(`${cluster.url}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`, admin, { method: 'POST', body: {
      metadata: { name: 'reader-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }],
    } });
    assert.equal(bound.status, 201, JSON.stringify(bound.body));
    const issued = await requestJson(`${cluster.url}/api/v1/namespaces/default/serviceaccounts/reader/token`, admin, { method: 'POST', body: {} });
    const token = (issued.body.status as { token: string }).token;
    writeFileSync(join(dir, 'ca.pem'), cluster.pki.ca.cert);
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const path = join(dir, 'with-files');
    writeFileSync(path, YAML.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'sa',
      clusters: [{ name: 'c', cluster: { server: cluster.url, 'certificate-authority': 'ca.pem' } }],
      users: [{ name: 'u', user: { tokenFile: 'token' } }],
      contexts: [{ name: 'sa', context: { cluster: 'c', user: 'u' } }],
    }));
    const connection = loadKubeconfig(path);
    assert.equal(connection.token, token);
    // A binding takes effect once the server's policy cache has seen it, as upstream's.
    let names: string[] = [];
    for (let attempt = 0; attempt < 50 && !names.includes('default'); attempt++) {
      names = await listWith(path).catch(() => []);
      if (!names.includes('default')) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(names.includes('default'));
  });

  it('gets the 401 Status without credentials', async () => {
    const path = join(dir, 'anonymous');
    writeFileSync(path, kubeconfigFor(cluster.url, 'skiff', { ca: cluster.pki.ca.cert }));
    await assert.rejects(listWith(path), (error: unknown) => error instanceof ApiStatusError && error.status.reason === 'Unauthorized' && error.message === 'Unauthorized');
  });

  it('names what is missing in a broken kubeconfig', () => {
    const path = join(dir, 'broken');
    writeFileSync(path, YAML.stringify({ 'current-context': 'nowhere', contexts: [] }));
    assert.throws(() => loadKubeconfig(path), (error: unknown) => error instanceof KubeconfigError && /no context named "nowhere"/.test(error.message));
    assert.throws(() => resolveAgentConfig({ kubeconfig: path, mode: 'userspace', node: 'n1' }, false), /--kubeconfig: .*no context named "nowhere"/);
  });

  it('gives skiff agent its server and credentials from --kubeconfig', async () => {
    const path = join(dir, 'inline');
    const config = resolveAgentConfig({ kubeconfig: path, server: 'http://127.0.0.1:1', mode: 'userspace', node: 'n1' }, false);
    assert.equal(config.server, cluster.url);
    assert.match(config.connection.cert ?? '', /BEGIN CERTIFICATE/);
  });
});
