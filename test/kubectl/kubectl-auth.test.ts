import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubectlSession } from './kubectl-harness.js';
import { TOKEN_FILE } from '../api/auth/token-users.js';
import { startTlsFront, type TlsFront } from './tls-front.js';

// `kubectl auth can-i` and `kubectl auth whoami` with a bearer token in the
// kubeconfig, as a user of a secured cluster runs them.

function tokenKubeconfig(server: string, token: string): string {
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: skiff',
    'clusters:', '- name: skiff', '  cluster:', `    server: ${server}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: u', '  user:', `    token: ${token}`,
    'contexts:', '- name: skiff', '  context:', '    cluster: skiff', '    user: u', '    namespace: default',
  ].join('\n');
}

describe('kubectl auth against skiff with token users', () => {
  let kubectl: KubectlSession;
  let dir: string;
  let bob: string;
  let admin: string;
  let front: TlsFront | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-auth-'));
    const tokens = join(dir, 'tokens.csv');
    writeFileSync(tokens, `${TOKEN_FILE}\n`);
    kubectl = await KubectlSession.start({ tokenAuthFile: tokens });
    front = await startTlsFront(kubectl.server.url, dir);
    bob = kubectl.file('bob.kubeconfig', tokenKubeconfig(front.url, 'bob-token'));
    admin = kubectl.file('admin.kubeconfig', tokenKubeconfig(front.url, 'admin-token'));
    // kubectl's `create rolebinding` generator sends protobuf, which skiff does not decode; a manifest does the same.
    const binding = kubectl.file('binding.yaml', [
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata:', '  name: bob-view', '  namespace: default',
      'roleRef:', '  apiGroup: rbac.authorization.k8s.io', '  kind: ClusterRole', '  name: view',
      'subjects:', '- apiGroup: rbac.authorization.k8s.io', '  kind: User', '  name: bob',
    ].join('\n'));
    await kubectl.ok(['--kubeconfig', admin, 'apply', '-f', binding]);
  });
  after(async () => {
    await front?.close();
    await kubectl?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('can-i answers yes for what view allows and no for the rest', async () => {
    assert.equal((await kubectl.ok(['--kubeconfig', bob, 'auth', 'can-i', 'list', 'pods'])).trim(), 'yes');
    assert.equal((await kubectl.ok(['--kubeconfig', bob, 'auth', 'can-i', 'get', 'endpointslices.discovery.k8s.io'])).trim(), 'yes');
    const no = await kubectl.run(['--kubeconfig', bob, 'auth', 'can-i', 'delete', 'pods']);
    assert.equal(no.code, 1);
    assert.equal(no.stdout.trim(), 'no');
    const elsewhere = await kubectl.run(['--kubeconfig', bob, 'auth', 'can-i', 'list', 'pods', '-n', 'kube-system']);
    assert.equal(elsewhere.stdout.trim(), 'no');
    assert.equal((await kubectl.ok(['--kubeconfig', admin, 'auth', 'can-i', 'delete', 'pods'])).trim(), 'yes');
  });

  it('a viewer is refused delete by kubectl with upstream message', async () => {
    const pod = kubectl.file('pod.yaml', ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: web', '    image: nginx'].join('\n'));
    await kubectl.ok(['--kubeconfig', admin, 'apply', '-f', pod]);
    const stderr = await kubectl.fails(['--kubeconfig', bob, 'delete', 'pod', 'web']);
    assert.match(stderr, /Error from server \(Forbidden\): pods "web" is forbidden: User "bob" cannot delete resource "pods" in API group "" in the namespace "default"/);
    assert.match(await kubectl.ok(['--kubeconfig', bob, 'get', 'pods']), /^NAME\s+READY\s+STATUS/);
  });

  it('whoami prints the token user and groups', async () => {
    const stdout = await kubectl.ok(['--kubeconfig', bob, 'auth', 'whoami']);
    assert.match(stdout, /Username\s+bob/);
    assert.match(stdout, /UID\s+2/);
    assert.match(stdout, /Groups\s+\[system:authenticated\]/);
    const json = JSON.parse(await kubectl.ok(['--kubeconfig', bob, 'auth', 'whoami', '-o', 'json'])) as { kind: string; status: { userInfo: { username: string } } };
    assert.equal(json.kind, 'SelfSubjectReview');
    assert.equal(json.status.userInfo.username, 'bob');
  });

  it('an admin asks about another subject with a SubjectAccessReview; bob may not', async () => {
    const review = kubectl.file('sar.json', JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
      spec: { user: 'bob', resourceAttributes: { namespace: 'default', verb: 'watch', resource: 'pods' } },
    }));
    const answer = JSON.parse(await kubectl.ok(['--kubeconfig', admin, 'create', '--validate=false', '-f', review, '-o', 'json'])) as { status: { allowed: boolean } };
    assert.equal(answer.status.allowed, true);
    const stderr = await kubectl.fails(['--kubeconfig', bob, 'create', '--validate=false', '-f', review]);
    assert.match(stderr, /subjectaccessreviews\.authorization\.k8s\.io is forbidden: User "bob" cannot create resource "subjectaccessreviews" in API group "authorization\.k8s\.io" at the cluster scope/);
  });
});
