import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../../support/test-server.js';
import { ClusterClient, nodeBody, ns, podBody, type WireObject } from '../cluster-client.js';

// Three servers on one SQLite file, as operators run several API servers on
// one store: each serves every request, and only the holder of the
// controllers' Lease schedules pods.

const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/skiff-controller-manager';
const FAST = { leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 100 };
const nodeOf = (pod: WireObject | undefined): string | undefined => (pod?.spec as { nodeName?: string } | undefined)?.nodeName;

describe('controllers under leader election', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-election-'));
  const dataPath = join(dir, 'skiff.db');
  const servers: TestServer[] = [];
  let apiOnly: TestServer;

  before(async () => {
    servers.push(await startTestServer({ dataPath, leaderElection: FAST }));
    servers.push(await startTestServer({ dataPath, leaderElection: FAST }));
    apiOnly = await startTestServer({ dataPath, leaderElection: FAST, controllers: false });
  });
  after(async () => {
    for (const server of [...servers, apiOnly]) await server?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the controllers on exactly one server, named in the Lease', async () => {
    const leaders = servers.filter((s) => s.server.leadingControllers);
    assert.equal(leaders.length, 1);
    assert.equal(apiOnly.server.leadingControllers, false);
    const lease = await new ClusterClient(apiOnly.url).get(LEASE);
    assert.equal((lease?.spec as { holderIdentity?: string }).holderIdentity, leaders[0]!.server.controllerIdentity);
  });

  it('moves the controllers to the other server when the leader stops, and they keep working', async () => {
    const api = new ClusterClient(apiOnly.url);
    await api.create('/api/v1/namespaces', { metadata: { name: 'failover' } });
    await api.create('/api/v1/nodes', nodeBody('n1', true));
    const paths = ns('failover');
    await api.create(paths.pods, podBody('before'));
    await api.waitFor('the leader to schedule the first pod', () => api.get(paths.pod('before')), (pod) => nodeOf(pod) === 'n1');

    const leader = servers.find((s) => s.server.leadingControllers)!;
    const other = servers.find((s) => s !== leader)!;
    await leader.close();
    servers.splice(servers.indexOf(leader), 1);
    await api.waitFor('the other server to lead', async () => other.server.leadingControllers, (leading) => leading);
    await api.create(paths.pods, podBody('after'));
    await api.waitFor('the new leader to schedule the second pod', () => api.get(paths.pod('after')), (pod) => nodeOf(pod) === 'n1');
    const lease = await api.get(LEASE);
    assert.equal((lease?.spec as { holderIdentity?: string }).holderIdentity, other.server.controllerIdentity);
    assert.equal(apiOnly.server.leadingControllers, false);
  });
});
