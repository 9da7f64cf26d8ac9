import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Agent as UndiciAgent, type Dispatcher } from 'undici';
import { NodeLease } from '../../../../clients/agent/node/node-lease.js';
import { NodeRegistration } from '../../../../clients/agent/node/node-registration.js';
import { readHostInfo } from '../../../../clients/agent/node/host-info.js';
import { KubeClient } from '../../../../clients/client/client.js';
import { Informer } from '../../../../clients/client/informer.js';
import { endpointSlices, nodes, pods, services } from '../../../../clients/client/resources.js';
import type { Pod } from '../../../../clients/client/types.js';
import { startTokenServer, type TokenServer } from '../../../api/auth/token-users.js';

// The agent's own requests — register the Node, renew the Lease, watch
// Services, EndpointSlices and its Pods, report Pod status — all pass the Node
// authorizer and NodeRestriction when made with n1's credentials.

let server: TokenServer;
let dispatcher: Dispatcher;
let client: KubeClient;

function bearer(token: string): Dispatcher {
  return new UndiciAgent().compose((dispatch) => (options, handler) =>
    dispatch({ ...options, headers: { ...(options.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } }, handler));
}

before(async () => {
  server = await startTokenServer();
  dispatcher = bearer('n1-token');
  client = new KubeClient({ server: server.url, dispatcher });
});
after(async () => {
  await client.close();
  await dispatcher.close();
  await server.close();
});

test('the client speaks as n1: another node\'s Node is refused', async () => {
  await assert.rejects(client.create(nodes, { metadata: { name: 'n9' } }), /node "n1" is not allowed to modify node "n9"/);
});

test('the agent registers, heartbeats, watches and reports status on node credentials', async () => {
  const registration = new NodeRegistration({ client, identity: { name: 'n1', ips: ['127.0.0.1'] }, host: await readHostInfo() });
  const node = await registration.register();
  assert.equal(node.metadata.name, 'n1');
  const lease = await new NodeLease({ client, nodeName: 'n1', leaseDurationSeconds: 40, owner: () => registration.ownerReference() }).renew();
  assert.equal(lease.metadata.name, 'n1');

  const created = await server.as('admin-token', 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'mine' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
  assert.equal(created.status, 201);
  const informers = [
    new Informer(client, services),
    new Informer(client, endpointSlices),
    new Informer(client, nodes),
    new Informer(client, pods, { fieldSelector: 'spec.nodeName=n1' }),
  ];
  try {
    for (const informer of informers) informer.start();
    await Promise.all(informers.map((informer) => informer.waitForSync()));
    const mine = informers[3]!.list() as Pod[];
    assert.deepEqual(mine.map((p) => p.metadata.name), ['mine']);
    const pod = await client.get(pods, 'mine', { namespace: 'default' });
    const updated = await client.updateStatus(pods, { ...pod, status: { ...pod.status, phase: 'Running' } });
    assert.equal(updated.status?.phase, 'Running');
  } finally {
    await Promise.all(informers.map((informer) => informer.stop()));
  }
});
