import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePodSecurity } from '../../../api/admission/pod-security-policy.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const pod = (name: string, container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { nodeName: 'bound-node', containers: [{ name: 'c', image: 'nginx', ...container }], ...spec },
});

const RESTRICTED_OK = {
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
};

test('baseline refuses what breaks it and allows a plain pod', () => {
  assert.deepEqual(evaluatePodSecurity('baseline', pod('p')), []);
  const results = evaluatePodSecurity('baseline', pod('p', { securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CHOWN'] } }, ports: [{ containerPort: 80, hostPort: 8080 }] },
    { hostNetwork: true, hostPID: true, volumes: [{ name: 'root', hostPath: { path: '/' } }] }));
  assert.deepEqual(results.map((r) => `${r.reason} (${r.detail})`), [
    'non-default capabilities (container "c" must not include "NET_ADMIN" in securityContext.capabilities.add)',
    'host namespaces (hostNetwork=true, hostPID=true)',
    'hostPath volumes (volume "root")',
    'hostPort (container "c" uses hostPort 8080)',
    'privileged (container "c" must not set securityContext.privileged=true)',
  ]);
  assert.deepEqual(evaluatePodSecurity('privileged', pod('p', { securityContext: { privileged: true } })), []);
});

test('restricted needs the hardened fields and allows a pod that sets them', () => {
  assert.deepEqual(evaluatePodSecurity('restricted', pod('p', RESTRICTED_OK)), []);
  assert.deepEqual(evaluatePodSecurity('restricted', pod('p', { securityContext: { ...RESTRICTED_OK.securityContext, runAsUser: 0 } }, { volumes: [{ name: 'v', emptyDir: {} }, { name: 'h', hostPath: { path: '/' } }] })).map((r) => r.reason),
    ['restricted volume types', 'runAsUser=0']);
});

let server: TestServer;
before(async () => {
  server = await startTestServer({ memory: true });
  for (const [name, level] of [['base', 'baseline'], ['strict', 'restricted']]) {
    const response = await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } }) });
    assert.equal(response.status, 201);
  }
});
after(() => server.close());

const post = (namespace: string, body: unknown) => fetch(`${server.url}/api/v1/namespaces/${namespace}/pods`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('a privileged pod in a baseline namespace is refused with upstream message', async () => {
  const response = await post('base', pod('priv', { securityContext: { privileged: true } }));
  assert.equal(response.status, 403);
  const status = await response.json() as { message: string; reason: string; details: unknown };
  assert.equal(status.reason, 'Forbidden');
  assert.equal(status.message, 'pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)');
  assert.deepEqual(status.details, { name: 'priv', kind: 'pods' });
  assert.equal((await fetch(`${server.url}/api/v1/namespaces/base/pods/priv`)).status, 404);
  assert.equal((await post('base', pod('plain'))).status, 201);
  assert.equal((await post('default', pod('priv', { securityContext: { privileged: true } }))).status, 201, 'an unlabelled namespace is privileged');
});

test('a restricted namespace lists every missing setting in upstream order', async () => {
  const response = await post('strict', pod('x'));
  assert.equal(response.status, 403);
  const status = await response.json() as { message: string };
  assert.equal(status.message, 'pods "x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
  assert.equal((await post('strict', pod('hardened', RESTRICTED_OK))).status, 201);
});
