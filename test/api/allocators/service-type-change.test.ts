import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../api/schemas/service.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allocationsIn, api, service, SERVICES, type Api } from './allocation-api.js';

const CLUSTER_POOL = 'clusterip:10.96.0.0/16';

describe('Service type changes over HTTP', () => {
  let t: TestServer;
  let http: Api;
  const heldIPs = (name: string): number[] => allocationsIn(t.server, CLUSTER_POOL).filter(([, owner]) => owner === name).map(([value]) => value);
  const heldPorts = (name: string): number[] => allocationsIn(t.server, 'nodeport:TCP').filter(([, owner]) => owner === name).map(([value]) => value);
  const change = async (name: string, spec: Record<string, unknown>): Promise<Service> => {
    const { status, body } = await http.patch<Service>(`${SERVICES}/${name}`, { spec });
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };
  before(async () => {
    t = await startTestServer();
    http = api(t.url);
  });
  after(async () => t.close());

  it('walks ClusterIP → NodePort → ClusterIP → ExternalName → ClusterIP, allocating and releasing at each step', async () => {
    const created = await http.post<Service>(SERVICES, service('walker'));
    assert.equal(created.status, 201);
    const ip = created.body.spec?.clusterIP ?? '';
    assert.equal(heldIPs('walker').length, 1);
    assert.deepEqual(heldPorts('walker'), []);

    const asNodePort = await change('walker', { type: 'NodePort' });
    assert.equal(asNodePort.spec?.clusterIP, ip, 'the ClusterIP survives the change');
    const nodePort = asNodePort.spec?.ports?.[0]?.nodePort;
    assert.ok(nodePort && nodePort >= 30000);
    assert.deepEqual(heldPorts('walker'), [nodePort]);

    const backToClusterIP = await change('walker', { type: 'ClusterIP' });
    assert.equal(backToClusterIP.spec?.clusterIP, ip);
    assert.equal(backToClusterIP.spec?.ports?.[0]?.nodePort, undefined, 'nodePort is cleared');
    assert.deepEqual(heldPorts('walker'), [], 'nodePort is released');

    const asExternalName = await change('walker', { type: 'ExternalName', externalName: 'db.example.com' });
    assert.equal(asExternalName.spec?.clusterIP, undefined);
    assert.equal(asExternalName.spec?.clusterIPs, undefined);
    assert.deepEqual(heldIPs('walker'), [], 'the ClusterIP is released');

    const again = await change('walker', { type: 'ClusterIP', externalName: null });
    assert.match(again.spec?.clusterIP ?? '', /^10\.96\./, 'a new ClusterIP is allocated');
    assert.deepEqual(again.spec?.clusterIPs, [again.spec?.clusterIP]);
    assert.equal(heldIPs('walker').length, 1);
  });

  it('lets another Service take the address an ExternalName change released', async () => {
    await http.post(SERVICES, service('releaser', { clusterIP: '10.96.3.3' }));
    await change('releaser', { type: 'ExternalName', externalName: 'example.com' });
    const taker = await http.post<Service>(SERVICES, service('taker', { clusterIP: '10.96.3.3' }));
    assert.equal(taker.status, 201);
  });

  it('honours a requested address when an ExternalName Service becomes ClusterIP', async () => {
    await http.post(SERVICES, { metadata: { name: 'alias' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    const body = await change('alias', { type: 'ClusterIP', externalName: null, clusterIP: '10.96.4.4', ports: [{ port: 80 }] });
    assert.equal(body.spec?.clusterIP, '10.96.4.4');
    assert.deepEqual(heldIPs('alias'), [4 * 256 + 4]);
  });

  it('releases ClusterIP and nodePorts when a NodePort Service becomes ExternalName', async () => {
    await http.post(SERVICES, service('np-to-en', { type: 'NodePort' }));
    const body = await change('np-to-en', { type: 'ExternalName', externalName: 'example.com' });
    assert.equal(body.spec?.clusterIP, undefined);
    assert.equal(body.spec?.ports?.[0]?.nodePort, undefined);
    assert.deepEqual(heldIPs('np-to-en'), []);
    assert.deepEqual(heldPorts('np-to-en'), []);
  });

  it('keeps requested nodePorts when a Service becomes NodePort', async () => {
    await http.post(SERVICES, service('asked'));
    const body = await change('asked', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 32100 }] });
    assert.equal(body.spec?.ports?.[0]?.nodePort, 32100);
    assert.deepEqual(heldPorts('asked'), [32100]);
  });
});
