import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordIndex } from '../../../clients/dns/records.js';
import { clusterIPService, externalNameService, headlessService, slice } from './fixtures.js';

const zone = 'cluster.local';

describe('RecordIndex', () => {
  it('maps a ClusterIP service name to its IPv4 and IPv6 ClusterIPs by family', () => {
    const index = new RecordIndex(zone);
    index.upsertService(clusterIPService('default', 'web', ['10.96.0.10', 'fd00::10']));
    const records = index.lookup('web.default.svc.cluster.local');
    assert.deepEqual(records?.a, ['10.96.0.10']);
    assert.deepEqual(records?.aaaa, ['fd00::10']);
  });

  it('gives SRV records for named ports at _port._proto, targeting the service name', () => {
    const index = new RecordIndex(zone);
    index.upsertService(clusterIPService('default', 'web', '10.96.0.10', [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }]));
    assert.deepEqual(index.lookup('_http._tcp.web.default.svc.cluster.local')?.srv, [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    assert.equal(index.lookup('_dns._udp.web.default.svc.cluster.local')?.srv[0]?.port, 53);
    assert.ok(index.lookup('_tcp.web.default.svc.cluster.local'), 'the _proto name is an empty non-terminal');
    assert.equal(index.lookup('_dns._tcp.web.default.svc.cluster.local'), undefined);
    assert.equal(index.lookup('web.default.svc.cluster.local')?.srv.length, 3, 'the bare name answers SRV for every port');
  });

  it('answers a headless service with its ready endpoint addresses only', () => {
    const index = new RecordIndex(zone);
    index.upsertService(headlessService('default', 'db'));
    index.upsertEndpointSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.0.5' }, { ip: '10.244.0.6', ready: false }, { ip: '10.244.0.7', ready: true }]));
    assert.deepEqual(index.lookup('db.default.svc.cluster.local')?.a, ['10.244.0.5', '10.244.0.7']);
  });

  it('includes not-ready endpoints when the service publishes them', () => {
    const index = new RecordIndex(zone);
    index.upsertService(headlessService('default', 'db', [], true));
    index.upsertEndpointSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.0.6', ready: false }]));
    assert.deepEqual(index.lookup('db.default.svc.cluster.local')?.a, ['10.244.0.6']);
  });

  it('names headless endpoints by hostname, or by dashed address without one', () => {
    const index = new RecordIndex(zone);
    index.upsertService(headlessService('default', 'db'));
    index.upsertEndpointSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.0.5', hostname: 'db-0' }, { ip: '10.244.0.6' }]));
    assert.deepEqual(index.lookup('db-0.db.default.svc.cluster.local')?.a, ['10.244.0.5']);
    assert.deepEqual(index.lookup('10-244-0-6.db.default.svc.cluster.local')?.a, ['10.244.0.6']);
  });

  it('gives headless SRV one record per endpoint with the endpoint port and per-endpoint targets, weights shared', () => {
    const index = new RecordIndex(zone);
    index.upsertService(headlessService('default', 'db', [{ name: 'pg', port: 5432 }]));
    index.upsertEndpointSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.0.5', hostname: 'db-0' }, { ip: '10.244.0.6' }], [{ name: 'pg', port: 15432 }]));
    const srv = index.lookup('_pg._tcp.db.default.svc.cluster.local')?.srv;
    assert.deepEqual(srv, [
      { priority: 0, weight: 50, port: 15432, target: 'db-0.db.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 15432, target: '10-244-0-6.db.default.svc.cluster.local' },
    ]);
  });

  it('gives an ExternalName service a CNAME and nothing else', () => {
    const index = new RecordIndex(zone);
    index.upsertService(externalNameService('default', 'ext', 'example.org.'));
    assert.deepEqual(index.lookup('ext.default.svc.cluster.local'), { a: [], aaaa: [], srv: [], cname: 'example.org' });
  });

  it('indexes PTR names for ClusterIPs and for endpoint addresses', () => {
    const index = new RecordIndex(zone);
    index.upsertService(clusterIPService('default', 'web', '10.96.0.10'));
    index.upsertEndpointSlice(slice('default', 'web', 'web-1', [{ ip: '10.244.0.9' }]));
    assert.deepEqual(index.lookupPtr('10.0.96.10.in-addr.arpa'), ['web.default.svc.cluster.local']);
    assert.deepEqual(index.lookupPtr('9.0.244.10.in-addr.arpa'), ['10-244-0-9.web.default.svc.cluster.local']);
  });

  it('accepts slices before their service and applies them when it arrives', () => {
    const index = new RecordIndex(zone);
    index.upsertEndpointSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.0.5' }]));
    assert.equal(index.lookup('db.default.svc.cluster.local'), undefined);
    index.upsertService(headlessService('default', 'db'));
    assert.deepEqual(index.lookup('db.default.svc.cluster.local')?.a, ['10.244.0.5']);
  });

  it('removes every name and PTR of a deleted service and forgets an emptied namespace', () => {
    const index = new RecordIndex(zone);
    const service = headlessService('team', 'db', [{ name: 'pg', port: 5432 }]);
    index.upsertService(service);
    index.upsertEndpointSlice(slice('team', 'db', 'db-1', [{ ip: '10.244.0.5', hostname: 'db-0' }], [{ name: 'pg', port: 5432 }]));
    assert.ok(index.hasNamespace('team'));
    index.deleteService(service);
    assert.equal(index.lookup('db.team.svc.cluster.local'), undefined);
    assert.equal(index.lookup('db-0.db.team.svc.cluster.local'), undefined);
    assert.equal(index.lookup('_pg._tcp.db.team.svc.cluster.local'), undefined);
    assert.equal(index.lookupPtr('5.0.244.10.in-addr.arpa'), undefined);
    assert.ok(!index.hasNamespace('team'));
  });

  it('drops an endpoint when its slice is deleted or moved to another service', () => {
    const index = new RecordIndex(zone);
    index.upsertService(headlessService('default', 'a'));
    index.upsertService(headlessService('default', 'b'));
    const s = slice('default', 'a', 's1', [{ ip: '10.244.0.5' }]);
    index.upsertEndpointSlice(s);
    index.upsertEndpointSlice({ ...s, metadata: { ...s.metadata, labels: { 'kubernetes.io/service-name': 'b' } } });
    assert.deepEqual(index.lookup('a.default.svc.cluster.local')?.a, []);
    assert.deepEqual(index.lookup('b.default.svc.cluster.local')?.a, ['10.244.0.5']);
    index.deleteEndpointSlice(s);
    assert.deepEqual(index.lookup('b.default.svc.cluster.local')?.a, []);
  });

  it('keeps a PTR shared by two services until both are gone', () => {
    const index = new RecordIndex(zone);
    const a = headlessService('default', 'a');
    const b = headlessService('default', 'b');
    index.upsertService(a);
    index.upsertService(b);
    index.upsertEndpointSlice(slice('default', 'a', 'sa', [{ ip: '10.244.0.5' }]));
    index.upsertEndpointSlice(slice('default', 'b', 'sb', [{ ip: '10.244.0.5' }]));
    assert.equal(index.lookupPtr('5.0.244.10.in-addr.arpa')?.length, 2);
    index.deleteService(a);
    assert.deepEqual(index.lookupPtr('5.0.244.10.in-addr.arpa'), ['10-244-0-5.b.default.svc.cluster.local']);
  });

  it('counts every change in its version', () => {
    const index = new RecordIndex(zone);
    const before = index.version;
    index.upsertService(clusterIPService('default', 'web', '10.96.0.10'));
    assert.ok(index.version > before);
  });
});
