import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { kubeconfigFor } from '../../../cli/kubeconfig-command.js';
import { ServerProcess } from '../../support/server-process.js';

// client-node informers (list, then watch from the list's resourceVersion)
// on pods and services, across restarts of a real `skiff server` process on
// the same port and data file. While the server is down the informer's watch
// fails and it stops with an error; it is restarted the way client-node's
// documentation shows, and must then resume from its last resourceVersion,
// receive what changed, and end up holding exactly what the server holds.

const NAMESPACE = 'default';
const RETRY_MS = 200;

interface Tracked<T extends k8s.KubernetesObject> {
  informer: k8s.Informer<T> & k8s.ObjectCache<T>;
  events: string[];
  errors: number;
  stop(): Promise<void>;
}

function track<T extends k8s.KubernetesObject>(informer: k8s.Informer<T> & k8s.ObjectCache<T>): Tracked<T> {
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const tracked: Tracked<T> = {
    informer,
    events: [],
    errors: 0,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await informer.stop();
    },
  };
  for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) {
    informer.on(verb, (object: T) => tracked.events.push(`${verb} ${object.metadata?.name}`));
  }
  informer.on(k8s.ERROR, () => {
    tracked.errors += 1;
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!stopped) void informer.start().catch(() => undefined);
    }, RETRY_MS);
  });
  return tracked;
}

/** Names and resourceVersions, sorted: what "the cache matches the server" compares. */
function versions(objects: readonly k8s.KubernetesObject[]): string[] {
  return objects.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pod(name: string, labels: Record<string, string>): k8s.V1Pod {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
}

function service(name: string, app: string): k8s.V1Service {
  return { metadata: { name }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } };
}

describe('@kubernetes/client-node informers across skiff server restarts', () => {
  let server: ServerProcess;
  let core: k8s.CoreV1Api;
  let pods: Tracked<k8s.V1Pod>;
  let services: Tracked<k8s.V1Service>;
  let podLists = 0;

  const podsMatch = async () =>
    JSON.stringify(versions(pods.informer.list(NAMESPACE))) === JSON.stringify(versions((await core.listNamespacedPod({ namespace: NAMESPACE })).items));
  const servicesMatch = async () =>
    JSON.stringify(versions(services.informer.list(NAMESPACE))) === JSON.stringify(versions((await core.listNamespacedService({ namespace: NAMESPACE })).items));

  before(async () => {
    server = await ServerProcess.start();
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfigFor(server.url));
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('before-1', { app: 'inf' }) });
    pods = track(k8s.makeInformer(kc, `/api/v1/namespaces/${NAMESPACE}/pods`, () => {
      podLists += 1;
      return core.listNamespacedPod({ namespace: NAMESPACE });
    }));
    services = track(k8s.makeInformer(kc, `/api/v1/namespaces/${NAMESPACE}/services`, () => core.listNamespacedService({ namespace: NAMESPACE })));
    await pods.informer.start();
    await services.informer.start();
  });
  after(async () => {
    await pods?.stop();
    await services?.stop();
    await server?.stop();
  });

  it('lists existing objects and then follows changes over the watch', async () => {
    await eventually('the listed pod', () => pods.informer.get('before-1', NAMESPACE) !== undefined);
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('p-1', { app: 'inf' }) });
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('p-2', { app: 'inf' }) });
    await core.createNamespacedService({ namespace: NAMESPACE, body: service('s-1', 'inf') });
    await core.patchNamespacedPod({ name: 'p-1', namespace: NAMESPACE, body: [{ op: 'add', path: '/metadata/labels/step', value: 'one' }] });
    await eventually('pods in the cache to match the server', podsMatch);
    await eventually('services in the cache to match the server', servicesMatch);
    assert.equal(pods.informer.get('p-1', NAMESPACE)?.metadata?.labels?.step, 'one');
    assert.ok(pods.events.includes('add p-2'));
    assert.ok(pods.events.includes('update p-1'));
    assert.ok(services.events.includes('add s-1'));
  });

  it('resumes after a graceful restart and receives the changes made since', async () => {
    pods.events.length = 0;
    services.events.length = 0;
    const errorsBefore = pods.errors;
    const listsBefore = podLists;
    await server.restart();
    // Changes made before the informers reconnect reach them by resuming from
    // their last resourceVersion, which the restarted server still knows.
    await core.deleteNamespacedPod({ name: 'p-1', namespace: NAMESPACE });
    await core.patchNamespacedPod({ name: 'p-2', namespace: NAMESPACE, body: [{ op: 'add', path: '/metadata/labels/step', value: 'two' }] });
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('p-3', { app: 'inf' }) });
    await core.deleteNamespacedService({ name: 's-1', namespace: NAMESPACE });
    await core.createNamespacedService({ namespace: NAMESPACE, body: service('s-2', 'inf') });

    await eventually('pods in the cache to match the restarted server', podsMatch);
    await eventually('services in the cache to match the restarted server', servicesMatch);
    assert.ok(pods.errors > errorsBefore, 'the informer noticed the server was gone');
    assert.equal(pods.informer.get('p-1', NAMESPACE), undefined);
    assert.equal(pods.informer.get('p-2', NAMESPACE)?.metadata?.labels?.step, 'two');
    assert.ok(pods.events.includes('delete p-1'), pods.events.join(', '));
    assert.ok(pods.events.includes('update p-2'), pods.events.join(', '));
    assert.ok(pods.events.includes('add p-3'), pods.events.join(', '));
    assert.deepEqual(services.events.filter((e) => !e.startsWith('update')).sort(), ['add s-2', 'delete s-1']);
    // Resumed from its resourceVersion, not re-listed.
    assert.equal(podLists, listsBefore);
  });

  it('keeps following the server after the restart', async () => {
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod('after-1', { app: 'inf' }) });
    await core.deleteNamespacedPod({ name: 'p-2', namespace: NAMESPACE });
    await eventually('pods in the cache to match the server', podsMatch);
    assert.ok(pods.informer.get('after-1', NAMESPACE));
    assert.deepEqual(pods.informer.list(NAMESPACE).map((p) => p.metadata?.name).sort(), ['after-1', 'before-1', 'p-3']);
  });
});
