import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../api/schemas/service.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allocationsIn, api, service, SERVICES, type Api } from './allocation-api.js';

const nodePorts = (svc: Service): Array<number | undefined> => (svc.spec?.ports ?? []).map((p) => p.nodePort);
const held = (t: TestServer, protocol: string, name: string): number[] =>
  allocationsIn(t.server, `nodeport:${protocol}`).filter(([, owner]) => owner === name).map(([value]) => value).sort();

describe('NodePort allocation over HTTP', () => {
  let t: TestServer;
  let http: Api;
  before(async () => {
    t = await startTestServer({ nodePortRange: { from: 30000, to: 32767 } });
    http = api(t.url);
  });
  after(async () => t.close());

  it('gives each port of a NodePort Service a nodePort from the range', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('web', {
      type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }],
    }));
    assert.equal(status, 201);
    const ports = nodePorts(body);
    assert.equal(new Set(ports).size, 2);
    for (const port of ports) assert.ok(port !== undefined && port >= 30000 && port <= 32767, String(port));
    assert.deepEqual(held(t, 'TCP', 'web'), [...ports].sort());
  });

  it('honours a requested free nodePort and refuses a taken one with 422', async () => {
    const first = await http.post<Service>(SERVICES, service('first', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(first.status, 201);
    assert.deepEqual(nodePorts(first.body), [30080]);
    const second = await http.post<Service>(SERVICES, service('second', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(second.status, 422);
    assert.equal(second.body.message, 'Service "second" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  });

  it('refuses a nodePort outside the range with 422 naming the range', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('low', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }));
    assert.equal(status, 422);
    assert.equal(body.message, 'Service "low" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('lets the same number serve TCP for one Service and UDP for another', async () => {
    const tcp = await http.post(SERVICES, service('dns-tcp', { type: 'NodePort', ports: [{ port: 53, protocol: 'TCP', nodePort: 30053 }] }));
    const udp = await http.post(SERVICES, service('dns-udp', { type: 'NodePort', ports: [{ port: 53, protocol: 'UDP', nodePort: 30053 }] }));
    assert.equal(tcp.status, 201);
    assert.equal(udp.status, 201);
    assert.deepEqual(held(t, 'TCP', 'dns-tcp'), [30053]);
    assert.deepEqual(held(t, 'UDP', 'dns-udp'), [30053]);
  });

  it('gives ports that differ only in protocol the same automatic nodePort', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('dns', {
      type: 'NodePort', ports: [{ name: 'dns-udp', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
    }));
    assert.equal(status, 201);
    const [udp, tcp] = nodePorts(body);
    assert.equal(udp, tcp);
    assert.deepEqual(held(t, 'UDP', 'dns'), [udp]);
    assert.deepEqual(held(t, 'TCP', 'dns'), [tcp]);
  });

  it('refuses two ports of one Service with the same protocol and nodePort', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('twice', {
      type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 31000 }, { name: 'b', port: 81, nodePort: 31000 }],
    }));
    assert.equal(status, 422);
    assert.match(body.message ?? '', /spec\.ports\[1\]\.nodePort: Duplicate value: 31000/);
    assert.deepEqual(held(t, 'TCP', 'twice'), []);
  });

  it('keeps nodePorts across unrelated updates, including a PUT that leaves them out', async () => {
    const created = await http.post<Service>(SERVICES, service('keeper', { type: 'NodePort' }));
    const [port] = nodePorts(created.body);
    const patched = await http.patch<Service>(`${SERVICES}/keeper`, { metadata: { labels: { a: 'b' } } });
    assert.deepEqual(nodePorts(patched.body), [port]);
    const body = structuredClone(patched.body);
    for (const p of body.spec?.ports ?? []) delete p.nodePort;
    const put = await http.put<Service>(`${SERVICES}/keeper`, body);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(nodePorts(put.body), [port]);
    assert.deepEqual(held(t, 'TCP', 'keeper'), [port]);
  });

  it('releases the nodePort of a removed port and keeps the others', async () => {
    const created = await http.post<Service>(SERVICES, service('trim', {
      type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }],
    }));
    const [keep, drop] = nodePorts(created.body);
    const patched = await http.patch<Service>(`${SERVICES}/trim`, { spec: { ports: [{ name: 'a', port: 80, nodePort: keep }] } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(nodePorts(patched.body), [keep]);
    assert.deepEqual(held(t, 'TCP', 'trim'), [keep]);
    assert.notEqual(keep, drop);
  });

  it('moves a nodePort the user changes: the old one is released, the new one claimed', async () => {
    await http.post(SERVICES, service('mover', { type: 'NodePort', ports: [{ port: 80, nodePort: 31500 }] }));
    const moved = await http.patch<Service>(`${SERVICES}/mover`, { spec: { ports: [{ port: 80, nodePort: 31501 }] } }, 'application/merge-patch+json');
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(held(t, 'TCP', 'mover'), [31501]);
    const taken = await http.post(SERVICES, service('taker', { type: 'NodePort', ports: [{ port: 80, nodePort: 31500 }] }));
    assert.equal(taken.status, 201);
  });

  it('refuses to move a nodePort onto one another Service holds, and keeps the old one', async () => {
    await http.post(SERVICES, service('blocked', { type: 'NodePort', ports: [{ port: 80, nodePort: 31600 }] }));
    const { status, body } = await http.patch<Service>(`${SERVICES}/blocked`, { spec: { ports: [{ port: 80, nodePort: 30080 }] } });
    assert.equal(status, 422);
    assert.equal(body.message, 'Service "blocked" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    assert.deepEqual(held(t, 'TCP', 'blocked'), [31600]);
  });

  it('releases every nodePort when the Service is deleted', async () => {
    await http.post(SERVICES, service('gone', { type: 'NodePort', ports: [{ name: 't', port: 80, nodePort: 31700 }, { name: 'u', port: 81, protocol: 'UDP', nodePort: 31701 }] }));
    assert.deepEqual(held(t, 'TCP', 'gone'), [31700]);
    assert.deepEqual(held(t, 'UDP', 'gone'), [31701]);
    await http.delete(`${SERVICES}/gone`);
    assert.deepEqual(held(t, 'TCP', 'gone'), []);
    assert.deepEqual(held(t, 'UDP', 'gone'), []);
  });

  it('gives LoadBalancer ports nodePorts unless allocateLoadBalancerNodePorts is false', async () => {
    const lb = await http.post<Service>(SERVICES, service('lb', { type: 'LoadBalancer' }));
    assert.equal(lb.status, 201);
    assert.ok(nodePorts(lb.body)[0]);
    const bare = await http.post<Service>(SERVICES, service('lb-bare', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }));
    assert.equal(bare.status, 201);
    assert.deepEqual(nodePorts(bare.body), [undefined]);
    assert.deepEqual(held(t, 'TCP', 'lb-bare'), []);
  });

  it('gives a LoadBalancer with externalTrafficPolicy Local a health-check nodePort, released with the Service', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }));
    assert.equal(status, 201, JSON.stringify(body));
    const check = body.spec?.healthCheckNodePort;
    assert.ok(check && check >= 30000 && check <= 32767);
    assert.deepEqual(held(t, 'TCP', 'local'), [check, nodePorts(body)[0]].sort());
    await http.delete(`${SERVICES}/local`);
    assert.deepEqual(held(t, 'TCP', 'local'), []);
  });
});

describe('NodePort allocation in a nearly full range', () => {
  let t: TestServer;
  let http: Api;
  before(async () => {
    t = await startTestServer({ nodePortRange: { from: 30000, to: 30003 } });
    http = api(t.url);
  });
  after(async () => t.close());

  it('hands out each port once, answers a full range with 500 naming it, and reuses a released port', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { status, body } = await http.post<Service>(SERVICES, service(`np-${i}`, { type: 'NodePort' }));
      assert.equal(status, 201);
      ports.push(nodePorts(body)[0] ?? 0);
    }
    assert.deepEqual(ports.sort(), [30000, 30001, 30002, 30003]);
    const full = await http.post<Service>(SERVICES, service('np-full', { type: 'NodePort' }));
    assert.equal(full.status, 500);
    assert.equal(full.body.message, 'Internal error occurred: failed to allocate a nodePort: range is full (30000-30003)');
    // The failed create left no ClusterIP behind.
    assert.ok(!allocationsIn(t.server, 'clusterip:10.96.0.0/16').some(([, owner]) => owner === 'np-full'));
    const freed = nodePorts((await http.get<Service>(`${SERVICES}/np-2`)).body)[0];
    await http.delete(`${SERVICES}/np-2`);
    const again = await http.post<Service>(SERVICES, service('np-again', { type: 'NodePort' }));
    assert.equal(again.status, 201);
    assert.deepEqual(nodePorts(again.body), [freed]);
    // UDP has its own pool, still empty.
    const udp = await http.post<Service>(SERVICES, service('np-udp', { type: 'NodePort', ports: [{ port: 53, protocol: 'UDP' }] }));
    assert.equal(udp.status, 201);
  });
});
