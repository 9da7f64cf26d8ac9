import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { kubeconfigFor } from '../../../cli/kubeconfig-command.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

// The official JavaScript client (@kubernetes/client-node 1.4.0, the last
// release that runs on Node 20) against skiff, configured from the kubeconfig
// `skiff kubeconfig` prints: typed CRUD, label selectors, the patch types it
// sends, and errors as ApiException with a Status body.

const NAMESPACE = 'default';

function statusOf(error: unknown): { code: number; status: { kind: string; reason: string; message: string; code: number } } {
  assert.ok(error instanceof k8s.ApiException, `expected an ApiException, got ${String(error)}`);
  const exception = error as k8s.ApiException<string>;
  return { code: exception.code, status: JSON.parse(exception.body) as { kind: string; reason: string; message: string; code: number } };
}

function pod(name: string, labels: Record<string, string>): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
  };
}

describe('@kubernetes/client-node CoreV1Api against skiff', () => {
  let server: TestServer;
  let core: k8s.CoreV1Api;

  before(async () => {
    server = await startTestServer();
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfigFor(server.url));
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    await server?.close();
  });

  it('creates and reads a pod, with defaults and a parsed creation time', async () => {
    const created = await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('cn-1', { app: 'cn', tier: 'fe' }) });
    assert.equal(created.metadata?.name, 'cn-1');
    assert.equal(created.metadata?.namespace, NAMESPACE);
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal(created.spec?.containers[0]?.ports?.[0]?.protocol, 'TCP');
    assert.equal(created.status?.phase, 'Pending');

    const read = await core.readNamespacedPod({ name: 'cn-1', namespace: NAMESPACE });
    assert.equal(read.metadata?.uid, created.metadata?.uid);
    assert.deepEqual(read.metadata?.labels, { app: 'cn', tier: 'fe' });
  });

  it('lists pods by label selector, equality- and set-based', async () => {
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('cn-2', { app: 'cn', tier: 'be' }) });
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('other-1', { app: 'other' }) });
    const byApp = await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=cn' });
    assert.deepEqual(byApp.items.map((p) => p.metadata?.name), ['cn-1', 'cn-2']);
    assert.match(byApp.metadata?.resourceVersion ?? '', /^\d+$/);
    const bySet = await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app in (cn,other),tier!=fe' });
    assert.deepEqual(bySet.items.map((p) => p.metadata?.name), ['cn-2', 'other-1']);
    const all = await core.listPodForAllNamespaces({ labelSelector: 'app' });
    assert.deepEqual(all.items.map((p) => p.metadata?.name), ['cn-1', 'cn-2', 'other-1']);
  });

  it('patches a pod with a JSON patch by default and with a merge patch on request', async () => {
    const jsonPatched = await core.patchNamespacedPod({
      name: 'cn-1',
      namespace: NAMESPACE,
      body: [{ op: 'add', path: '/metadata/labels/release', value: 'v2' }, { op: 'remove', path: '/metadata/labels/tier' }],
    });
    assert.deepEqual(jsonPatched.metadata?.labels, { app: 'cn', release: 'v2' });

    const merged = await core.patchNamespacedPod(
      { name: 'cn-1', namespace: NAMESPACE, body: { metadata: { labels: { release: null, owner: 'team-a' }, annotations: { note: 'merged' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.metadata?.labels, { app: 'cn', owner: 'team-a' });
    assert.deepEqual(merged.metadata?.annotations, { note: 'merged' });
    assert.ok(Number(merged.metadata?.resourceVersion) > Number(jsonPatched.metadata?.resourceVersion));
  });

  it('deletes a pod and then reports it NotFound as a Status', async () => {
    const deleted = await core.deleteNamespacedPod({ name: 'cn-2', namespace: NAMESPACE });
    assert.equal(deleted.metadata?.name, 'cn-2');
    const error = await core.readNamespacedPod({ name: 'cn-2', namespace: NAMESPACE }).then(() => undefined, (e: unknown) => e);
    const { code, status } = statusOf(error);
    assert.equal(code, 404);
    assert.deepEqual([status.kind, status.reason, status.message, status.code], ['Status', 'NotFound', 'pods "cn-2" not found', 404]);
  });

  it('creates, reads, lists, patches and deletes a service', async () => {
    const created = await core.createNamespacedService({
      namespace: NAMESPACE,
      body: { metadata: { name: 'cn-svc', labels: { app: 'cn' } }, spec: { selector: { app: 'cn' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    assert.equal(created.spec?.type, 'ClusterIP');
    assert.equal(created.spec?.ports?.[0]?.protocol, 'TCP');
    assert.equal((await core.readNamespacedService({ name: 'cn-svc', namespace: NAMESPACE })).metadata?.uid, created.metadata?.uid);
    const listed = await core.listNamespacedService({ namespace: NAMESPACE, labelSelector: 'app=cn' });
    assert.deepEqual(listed.items.map((s) => s.metadata?.name), ['cn-svc']);

    const patched = await core.patchNamespacedService({
      name: 'cn-svc',
      namespace: NAMESPACE,
      body: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 9090 }],
    });
    assert.equal(patched.spec?.ports?.[0]?.targetPort, 9090);
    const merged = await core.patchNamespacedService(
      { name: 'cn-svc', namespace: NAMESPACE, body: { spec: { selector: { app: 'cn', tier: 'fe' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.spec?.selector, { app: 'cn', tier: 'fe' });

    await core.deleteNamespacedService({ name: 'cn-svc', namespace: NAMESPACE });
    const { code, status } = statusOf(await core.readNamespacedService({ name: 'cn-svc', namespace: NAMESPACE }).then(() => undefined, (e: unknown) => e));
    assert.equal(code, 404);
    assert.equal(status.message, 'services "cn-svc" not found');
  });

  it('reports an invalid service as a 422 Status with the field causes', async () => {
    const error = await core.createNamespacedService({ namespace: NAMESPACE, body: { metadata: { name: 'bad' }, spec: { selector: { app: 'x' } } } }).then(() => undefined, (e: unknown) => e);
    const { code, status } = statusOf(error);
    assert.equal(code, 422);
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.message, 'Service "bad" is invalid: spec.ports: Required value');
  });

  it('reports a create of an existing pod as 409 AlreadyExists', async () => {
    const error = await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('cn-1', { app: 'cn' }) }).then(() => undefined, (e: unknown) => e);
    const { code, status } = statusOf(error);
    assert.equal(code, 409);
    assert.deepEqual([status.reason, status.message], ['AlreadyExists', 'pods "cn-1" already exists']);
  });
});
