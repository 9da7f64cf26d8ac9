import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../api/schemas/node.js';
import type { Pod } from '../../../api/schemas/pod.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allocationsIn, api, node, NODES, pod, PODS, type Api } from './allocation-api.js';

const POOL = 'podip:10.244.0.0/16';

describe('Pod IPs over HTTP', () => {
  let t: TestServer;
  let http: Api;
  let nodeCidr = '';
  const held = (name: string): number[] => allocationsIn(t.server, POOL).filter(([, owner]) => owner === name).map(([value]) => value);
  const offset = (ip: string): number => {
    const [, , c, d] = ip.split('.').map(Number);
    return (c ?? 0) * 256 + (d ?? 0);
  };
  before(async () => {
    t = await startTestServer({ podCidr: '10.244.0.0/16' });
    http = api(t.url);
    const created = await http.post<Node>(NODES, node('worker', {}, '192.168.1.10'));
    nodeCidr = created.body.spec?.podCIDR ?? '';
    await http.post(NODES, node('no-cidr-yet', { podCIDR: '' }));
  });
  after(async () => t.close());

  it('gives a Pod created on a Node an address of that Node\'s podCIDR, and the Node\'s InternalIP as hostIP', async () => {
    const { status, body } = await http.post<Pod>(PODS, pod('direct', 'worker'));
    assert.equal(status, 201);
    const ip = body.status?.podIP ?? '';
    assert.match(ip, /^10\.244\.0\.\d+$/, `in ${nodeCidr}`);
    assert.ok(!['10.244.0.0', '10.244.0.1', '10.244.0.255'].includes(ip));
    assert.deepEqual(body.status?.podIPs, [{ ip }]);
    assert.equal(body.status?.hostIP, '192.168.1.10');
    assert.deepEqual(body.status?.hostIPs, [{ ip: '192.168.1.10' }]);
    assert.deepEqual(held('direct'), [offset(ip)]);
  });

  it('gives an unscheduled Pod no address', async () => {
    const { body } = await http.post<Pod>(PODS, pod('waiting'));
    assert.equal(body.status?.podIP, undefined);
    assert.deepEqual(held('waiting'), []);
  });

  it('binds a Pod through the binding subresource with 201 Success, giving it an address in the same write', async () => {
    const { status, body } = await http.post(`${PODS}/waiting/binding`, {
      apiVersion: 'v1', kind: 'Binding', metadata: { name: 'waiting' }, target: { apiVersion: 'v1', kind: 'Node', name: 'worker' },
    });
    assert.equal(status, 201);
    assert.deepEqual(body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = (await http.get<Pod>(`${PODS}/waiting`)).body;
    assert.equal(bound.spec?.nodeName, 'worker');
    assert.match(bound.status?.podIP ?? '', /^10\.244\.0\./);
    assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
    assert.deepEqual(held('waiting'), [offset(bound.status?.podIP ?? '')]);
  });

  it('refuses to bind a bound Pod with 409', async () => {
    const { status, body } = await http.post(`${PODS}/waiting/binding`, { metadata: { name: 'waiting' }, target: { kind: 'Node', name: 'other' } });
    assert.equal(status, 409);
    assert.equal(body.reason, 'Conflict');
    assert.equal(body.message, 'Operation cannot be fulfilled on pods/binding "waiting": pod waiting is already assigned to node "worker"');
  });

  it('answers a binding for a missing Pod with 404 and a bad target with 422', async () => {
    const missing = await http.post(`${PODS}/nobody/binding`, { metadata: { name: 'nobody' }, target: { kind: 'Node', name: 'worker' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'pods "nobody" not found');
    await http.post(PODS, pod('target-test'));
    const wrongKind = await http.post(`${PODS}/target-test/binding`, { metadata: { name: 'target-test' }, target: { kind: 'Pod', name: 'worker' } });
    assert.equal(wrongKind.status, 422);
    assert.match(wrongKind.body.message ?? '', /target\.kind: Unsupported value: "Pod"/);
    const noName = await http.post(`${PODS}/target-test/binding`, { metadata: { name: 'target-test' }, target: { kind: 'Node' } });
    assert.equal(noName.status, 422);
    assert.match(noName.body.message ?? '', /target\.name: Required value/);
    const otherName = await http.post(`${PODS}/target-test/binding`, { metadata: { name: 'someone-else' }, target: { name: 'worker' } });
    assert.equal(otherName.status, 400);
    assert.equal((await http.get<Pod>(`${PODS}/target-test`)).body.spec?.nodeName, undefined);
  });

  it('leaves the address empty when the Node is unknown or has no podCIDR', async () => {
    const ghost = await http.post<Pod>(PODS, pod('on-ghost', 'ghost-node'));
    assert.equal(ghost.status, 201);
    assert.equal(ghost.body.status?.podIP, undefined);
    const bare = await http.post<Pod>(PODS, pod('on-bare', 'foreign'));
    assert.equal(bare.body.status?.podIP, undefined);
  });

  it('records an address the node agent reports, and refuses one another Pod holds', async () => {
    await http.post(PODS, pod('reported', 'worker'));
    const current = (await http.get<Pod>(`${PODS}/reported`)).body;
    const given = current.status?.podIP ?? '';
    const report = await http.put<Pod>(`${PODS}/reported/status`, { ...current, status: { ...current.status, podIP: '10.244.0.200', podIPs: [{ ip: '10.244.0.200' }] } });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    assert.deepEqual(held('reported'), [200]);
    assert.ok(!held('reported').includes(offset(given)), 'the address the server picked is released');
    const direct = (await http.get<Pod>(`${PODS}/direct`)).body;
    const clash = await http.put<Pod>(`${PODS}/direct/status`, { ...direct, status: { ...direct.status, podIP: '10.244.0.200', podIPs: [{ ip: '10.244.0.200' }] } });
    assert.equal(clash.status, 422);
    assert.equal(clash.body.message, 'Pod "direct" is invalid: status.podIP: Invalid value: "10.244.0.200": provided IP is already allocated');
  });

  it('keeps the address when a status write leaves it out', async () => {
    const current = (await http.get<Pod>(`${PODS}/direct`)).body;
    const ip = current.status?.podIP;
    const write = await http.put<Pod>(`${PODS}/direct/status`, { ...current, status: { phase: 'Running', qosClass: current.status?.qosClass } });
    assert.equal(write.status, 200, JSON.stringify(write.body));
    assert.equal(write.body.status?.podIP, ip);
    assert.equal(write.body.status?.phase, 'Running');
  });

  it('releases the address when the Pod is deleted, even after its Node is gone', async () => {
    await http.post(NODES, node('short-lived'));
    const created = await http.post<Pod>(PODS, pod('orphan', 'short-lived'));
    assert.ok(created.body.status?.podIP);
    assert.equal(held('orphan').length, 1);
    await http.delete(`${NODES}/short-lived`);
    // Grace period 0: with no agent to finish a graceful delete, the Pod would only be marked.
    assert.equal((await http.delete(`${PODS}/orphan?gracePeriodSeconds=0`)).status, 200);
    assert.deepEqual(held('orphan'), []);
    await http.delete(`${PODS}/direct?gracePeriodSeconds=0`);
    assert.deepEqual(held('direct'), []);
  });
});
