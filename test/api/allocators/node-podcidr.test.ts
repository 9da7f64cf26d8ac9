import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../api/schemas/node.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allocationsIn, api, node, NODES, type Api } from './allocation-api.js';

describe('Node podCIDR allocation over HTTP', () => {
  let t: TestServer;
  let http: Api;
  const pool = 'podcidr:10.244.0.0/22';
  before(async () => {
    // A /22 holds four /24s.
    t = await startTestServer({ podCidr: '10.244.0.0/22', nodeCidrMaskSize: 24 });
    http = api(t.url);
  });
  after(async () => t.close());

  it('gives a registering Node the next free /24 of the pod CIDR', async () => {
    const first = await http.post<Node>(NODES, node('n1'));
    assert.equal(first.status, 201);
    assert.equal(first.body.spec?.podCIDR, '10.244.0.0/24');
    assert.deepEqual(first.body.spec?.podCIDRs, ['10.244.0.0/24']);
    const second = await http.post<Node>(NODES, node('n2'));
    assert.equal(second.body.spec?.podCIDR, '10.244.1.0/24');
    assert.deepEqual(allocationsIn(t.server, pool), [[0, 'n1'], [1, 'n2']]);
  });

  it('records a podCIDR a Node brings, and refuses one another Node holds', async () => {
    const own = await http.post<Node>(NODES, node('n3', { podCIDR: '10.244.3.0/24' }));
    assert.equal(own.status, 201);
    assert.equal(own.body.spec?.podCIDR, '10.244.3.0/24');
    assert.ok(allocationsIn(t.server, pool).some(([value, owner]) => value === 3 && owner === 'n3'));
    const clash = await http.post<Node>(NODES, node('n4', { podCIDR: '10.244.3.0/24' }));
    assert.equal(clash.status, 422);
    assert.equal(clash.body.message, 'Node "n4" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.3.0/24": provided CIDR is already allocated');
  });

  it('keeps the podCIDR across status heartbeats', async () => {
    const current = (await http.get<Node>(`${NODES}/n1`)).body;
    const heartbeat = await http.put<Node>(`${NODES}/n1/status`, { ...current, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    assert.equal(heartbeat.status, 200, JSON.stringify(heartbeat.body));
    assert.equal(heartbeat.body.spec?.podCIDR, '10.244.0.0/24');
    assert.deepEqual(allocationsIn(t.server, pool).filter(([, owner]) => owner === 'n1'), [[0, 'n1']]);
  });

  it('admits a Node without a podCIDR when the pod CIDR is exhausted, and gives one once a subnet is free', async () => {
    const third = await http.post<Node>(NODES, node('n5'));
    assert.equal(third.body.spec?.podCIDR, '10.244.2.0/24');
    const late = await http.post<Node>(NODES, node('late'));
    assert.equal(late.status, 201);
    assert.equal(late.body.spec?.podCIDR, undefined);
    assert.equal(late.body.spec?.podCIDRs, undefined);
    assert.equal((await http.delete(`${NODES}/n2`)).status, 200);
    assert.ok(!allocationsIn(t.server, pool).some(([, owner]) => owner === 'n2'), 'deletion releases the subnet');
    const relabelled = await http.patch<Node>(`${NODES}/late`, { metadata: { labels: { zone: 'a' } } });
    assert.equal(relabelled.status, 200);
    assert.equal(relabelled.body.spec?.podCIDR, '10.244.1.0/24');
  });

  it('leaves a podCIDR outside the cluster pod CIDR to the Node', async () => {
    const foreign = await http.post<Node>(NODES, node('foreign', { podCIDR: '192.168.7.0/24' }));
    assert.equal(foreign.status, 201);
    assert.equal(foreign.body.spec?.podCIDR, '192.168.7.0/24');
    assert.ok(!allocationsIn(t.server, pool).some(([, owner]) => owner === 'foreign'));
  });
});
