import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../api/schemas/service.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { allocationsIn, api, service, SERVICES, type Api } from './allocation-api.js';

describe('ClusterIP allocation over HTTP', () => {
  let t: TestServer;
  let http: Api;
  const pool = 'clusterip:10.96.0.0/16';
  before(async () => {
    t = await startTestServer({ serviceCidr: '10.96.0.0/16' });
    http = api(t.url);
  });
  after(async () => t.close());

  it('gives ClusterIP, NodePort and LoadBalancer Services an address from the service CIDR', async () => {
    for (const [name, type] of [['auto-cip', 'ClusterIP'], ['auto-np', 'NodePort'], ['auto-lb', 'LoadBalancer']] as const) {
      const { status, body } = await http.post<Service>(SERVICES, service(name, { type }));
      assert.equal(status, 201, JSON.stringify(body));
      const ip = body.spec?.clusterIP ?? '';
      assert.match(ip, /^10\.96\.\d+\.\d+$/);
      assert.deepEqual(body.spec?.clusterIPs, [ip]);
      assert.ok(allocationsIn(t.server, pool).some(([, owner]) => owner === name));
    }
  });

  it('gives a headless Service no address and records none', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('headless', { clusterIP: 'None' }));
    assert.equal(status, 201);
    assert.equal(body.spec?.clusterIP, 'None');
    assert.ok(!allocationsIn(t.server, pool).some(([, owner]) => owner === 'headless'));
  });

  it('refuses an IP family the service CIDR does not serve, allocating nothing', async () => {
    const { status, body } = await http.post<{ reason: string; details: { causes: Array<{ field: string; message: string }> } }>(
      SERVICES, service('v6-only', { ipFamilies: ['IPv6'] }));
    assert.equal(status, 422);
    assert.equal(body.reason, 'Invalid');
    assert.deepEqual(body.details.causes.map((c) => [c.field, c.message]), [['spec.ipFamilies[0]', 'Invalid value: "IPv6": not configured on this cluster']]);
    assert.ok(!allocationsIn(t.server, pool).some(([, owner]) => owner === 'v6-only'));
  });

  it('honours a requested free address', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('wanted', { clusterIP: '10.96.0.5' }));
    assert.equal(status, 201);
    assert.equal(body.spec?.clusterIP, '10.96.0.5');
    assert.deepEqual(body.spec?.clusterIPs, ['10.96.0.5']);
    assert.deepEqual(allocationsIn(t.server, pool).filter(([value]) => value === 5), [[5, 'wanted']]);
  });

  it('refuses an address another Service holds with 422 "provided IP is already allocated"', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('thief', { clusterIP: '10.96.0.5' }));
    assert.equal(status, 422);
    assert.equal(body.reason, 'Invalid');
    assert.equal(body.message, 'Service "thief" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.5": provided IP is already allocated');
    assert.deepEqual(body.details?.causes, [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: 'Invalid value: "10.96.0.5": provided IP is already allocated' }]);
    assert.equal((await http.get(`${SERVICES}/thief`)).status, 404);
  });

  it('refuses an address outside the range with 422 naming the range', async () => {
    const { status, body } = await http.post<Service>(SERVICES, service('outside', { clusterIP: '10.0.0.1' }));
    assert.equal(status, 422);
    assert.equal(body.message, 'Service "outside" is invalid: spec.clusterIPs[0]: Invalid value: "10.0.0.1": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16');
  });

  it('never hands out the network or the broadcast address, even on request', async () => {
    for (const ip of ['10.96.0.0', '10.96.255.255']) {
      const { status, body } = await http.post<Service>(SERVICES, service(`edge-${ip.split('.').pop()}`, { clusterIP: ip }));
      assert.equal(status, 422);
      assert.match(body.message ?? '', /provided IP is not in the valid range/);
    }
  });

  it('rolls the allocation back when the Service itself is refused', async () => {
    const before = allocationsIn(t.server, pool).length;
    const { status } = await http.post(SERVICES, service('Bad_Name', { clusterIP: '10.96.0.9' }));
    assert.equal(status, 422);
    const { status: again } = await http.post<Service>(SERVICES, service('good-name', { clusterIP: '10.96.0.9' }));
    assert.equal(again, 201);
    assert.equal(allocationsIn(t.server, pool).length, before + 1);
  });

  it('keeps the address across a refused clusterIP change and an accepted unrelated update', async () => {
    const created = await http.post<Service>(SERVICES, service('stable'));
    const ip = created.body.spec?.clusterIP;
    const refused = await http.patch(`${SERVICES}/stable`, { spec: { clusterIP: '10.96.0.77', clusterIPs: ['10.96.0.77'] } });
    assert.equal(refused.status, 422);
    const relabelled = await http.patch<Service>(`${SERVICES}/stable`, { metadata: { labels: { tier: 'web' } } });
    assert.equal(relabelled.status, 200);
    assert.equal(relabelled.body.spec?.clusterIP, ip);
    const replaced = { ...relabelled.body, spec: { ...relabelled.body.spec } };
    delete replaced.spec.clusterIP;
    delete replaced.spec.clusterIPs;
    const put = await http.put<Service>(`${SERVICES}/stable`, replaced);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.spec?.clusterIP, ip);
    assert.deepEqual(allocationsIn(t.server, pool).filter(([, owner]) => owner === 'stable').length, 1);
    assert.ok(!allocationsIn(t.server, pool).some(([value]) => value === 77));
  });

  it('releases the address when the Service is deleted', async () => {
    await http.post(SERVICES, service('doomed', { clusterIP: '10.96.1.1' }));
    assert.equal((await http.delete(`${SERVICES}/doomed`)).status, 200);
    assert.ok(!allocationsIn(t.server, pool).some(([, owner]) => owner === 'doomed'));
    const reuse = await http.post<Service>(SERVICES, service('heir', { clusterIP: '10.96.1.1' }));
    assert.equal(reuse.status, 201);
  });

  it('allocates nothing for a dry run', async () => {
    const before = allocationsIn(t.server, pool).length;
    const { status, body } = await http.post<Service>(`${SERVICES}?dryRun=All`, service('dry'));
    assert.equal(status, 201);
    assert.match(body.spec?.clusterIP ?? '', /^10\.96\./);
    assert.equal(allocationsIn(t.server, pool).length, before);
  });
});

describe('ClusterIP allocation in a nearly full range', () => {
  let t: TestServer;
  let http: Api;
  before(async () => {
    // A /29 holds 6 usable addresses: .1 to .6.
    t = await startTestServer({ serviceCidr: '10.96.0.0/29' });
    http = api(t.url);
  });
  after(async () => t.close());

  it('hands out every usable address exactly once, then answers 500 naming the full range', async () => {
    const ips = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const { status, body } = await http.post<Service>(SERVICES, service(`fill-${i}`));
      assert.equal(status, 201);
      ips.add(body.spec?.clusterIP ?? '');
    }
    assert.deepEqual([...ips].sort(), ['10.96.0.1', '10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    const { status, body } = await http.post<Service>(SERVICES, service('one-too-many'));
    assert.equal(status, 500);
    assert.equal(body.reason, 'InternalError');
    assert.equal(body.message, 'Internal error occurred: failed to allocate a serviceIP: range is full (10.96.0.0/29)');
    // The server is still well.
    assert.equal((await http.get(`${SERVICES}/fill-0`)).status, 200);
  });

  it('still creates headless and ExternalName Services in a full range', async () => {
    assert.equal((await http.post(SERVICES, service('headless-full', { clusterIP: 'None' }))).status, 201);
    assert.equal((await http.post(SERVICES, { metadata: { name: 'alias' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } })).status, 201);
  });

  it('finds the one address a deletion frees', async () => {
    const freed = (await http.get<Service>(`${SERVICES}/fill-3`)).body.spec?.clusterIP;
    assert.equal((await http.delete(`${SERVICES}/fill-3`)).status, 200);
    const { status, body } = await http.post<Service>(SERVICES, service('last-one'));
    assert.equal(status, 201);
    assert.equal(body.spec?.clusterIP, freed);
  });
});
