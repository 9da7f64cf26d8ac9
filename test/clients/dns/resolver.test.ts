import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordIndex } from '../../../clients/dns/records.js';
import { Rcode, resolveQuestion } from '../../../clients/dns/resolver.js';
import { clusterIPService, externalNameService, headlessService, slice } from './fixtures.js';

function index(): RecordIndex {
  const idx = new RecordIndex('cluster.local');
  idx.upsertService(clusterIPService('default', 'web', ['10.96.0.10', 'fd00::10'], [{ name: 'http', port: 80 }]));
  idx.upsertService(headlessService('default', 'db', [{ name: 'pg', port: 5432 }]));
  idx.upsertEndpointSlice(slice('default', 'db', 'db-1', [{ ip: '10.244.0.5', hostname: 'db-0' }, { ip: '10.244.0.6' }], [{ name: 'pg', port: 5432 }]));
  idx.upsertService(externalNameService('default', 'ext', 'example.org'));
  return idx;
}

const ttl = 5;

describe('resolveQuestion', () => {
  it('answers A with the ClusterIP, keeping the asker\'s spelling of the name', () => {
    const r = resolveQuestion({ name: 'WEB.default.svc.cluster.local', type: 'A', class: 'IN' }, index(), ttl);
    assert.equal(r.rcode, Rcode.NOERROR);
    assert.deepEqual(r.answers, [{ type: 'A', name: 'WEB.default.svc.cluster.local', class: 'IN', ttl: 5, data: '10.96.0.10' }]);
    assert.ok(r.authoritative);
  });

  it('answers AAAA with the IPv6 ClusterIP', () => {
    const r = resolveQuestion({ name: 'web.default.svc.cluster.local', type: 'AAAA' }, index(), ttl);
    assert.deepEqual(r.answers.map((a) => a.type === 'AAAA' && a.data), ['fd00::10']);
  });

  it('answers SRV with the target\'s addresses in the additional section', () => {
    const r = resolveQuestion({ name: '_pg._tcp.db.default.svc.cluster.local', type: 'SRV' }, index(), ttl);
    assert.equal(r.answers.length, 2);
    const additional = r.additionals.map((a) => `${a.name} ${a.type} ${a.type === 'A' ? a.data : ''}`).sort();
    assert.deepEqual(additional, ['10-244-0-6.db.default.svc.cluster.local A 10.244.0.6', 'db-0.db.default.svc.cluster.local A 10.244.0.5']);
  });

  it('answers CNAME for an ExternalName service whatever the type asked', () => {
    for (const type of ['A', 'AAAA', 'SRV', 'CNAME', 'TXT']) {
      const r = resolveQuestion({ name: 'ext.default.svc.cluster.local', type }, index(), ttl);
      assert.deepEqual(r.answers.map((a) => `${a.type} ${a.type === 'CNAME' ? a.data : ''}`), ['CNAME example.org'], type);
    }
  });

  it('answers PTR for a ClusterIP and for an endpoint address', () => {
    const clusterIP = resolveQuestion({ name: '10.0.96.10.in-addr.arpa', type: 'PTR' }, index(), ttl);
    assert.deepEqual(clusterIP.answers.map((a) => a.type === 'PTR' && a.data), ['web.default.svc.cluster.local']);
    const endpoint = resolveQuestion({ name: '5.0.244.10.in-addr.arpa', type: 'PTR' }, index(), ttl);
    assert.deepEqual(endpoint.answers.map((a) => a.type === 'PTR' && a.data), ['db-0.db.default.svc.cluster.local']);
  });

  it('answers NXDOMAIN with the zone SOA for an unknown name in the domain', () => {
    const r = resolveQuestion({ name: 'nope.default.svc.cluster.local', type: 'A' }, index(), ttl);
    assert.equal(r.rcode, Rcode.NXDOMAIN);
    assert.equal(r.authorities[0]?.type, 'SOA');
    assert.equal(r.authorities[0]?.name, 'cluster.local');
    assert.ok(!r.forwardable);
  });

  it('answers NODATA (NOERROR, no answers, SOA) for a name without records of the type', () => {
    for (const question of [
      { name: 'web.default.svc.cluster.local', type: 'TXT' },
      { name: 'db.default.svc.cluster.local', type: 'AAAA' },
      { name: '_tcp.web.default.svc.cluster.local', type: 'SRV' },
      { name: 'default.svc.cluster.local', type: 'A' },
      { name: 'svc.cluster.local', type: 'A' },
      { name: 'cluster.local', type: 'A' },
    ]) {
      const r = resolveQuestion(question, index(), ttl);
      assert.equal(r.rcode, Rcode.NOERROR, question.name);
      assert.deepEqual(r.answers, [], question.name);
      assert.equal(r.authorities[0]?.type, 'SOA', question.name);
    }
  });

  it('answers NXDOMAIN for a namespace with no services', () => {
    assert.equal(resolveQuestion({ name: 'empty.svc.cluster.local', type: 'A' }, index(), ttl).rcode, Rcode.NXDOMAIN);
  });

  it('answers the SOA at the zone apex', () => {
    const r = resolveQuestion({ name: 'cluster.local', type: 'SOA' }, index(), ttl);
    assert.equal(r.answers[0]?.type, 'SOA');
  });

  it('refuses names outside the served zones and marks them forwardable', () => {
    const r = resolveQuestion({ name: 'example.org', type: 'A' }, index(), ttl);
    assert.equal(r.rcode, Rcode.REFUSED);
    assert.ok(r.forwardable);
    assert.ok(!r.authoritative);
  });

  it('answers NXDOMAIN for unknown reverse names, forwardable to an upstream', () => {
    const r = resolveQuestion({ name: '1.1.168.192.in-addr.arpa', type: 'PTR' }, index(), ttl);
    assert.equal(r.rcode, Rcode.NXDOMAIN);
    assert.equal(r.authorities[0]?.name, 'in-addr.arpa');
    assert.ok(r.forwardable);
  });

  it('refuses classes other than IN', () => {
    assert.equal(resolveQuestion({ name: 'web.default.svc.cluster.local', type: 'A', class: 'CH' }, index(), ttl).rcode, Rcode.REFUSED);
  });

  it('uses the configured TTL on answers and as the SOA minimum', () => {
    const r = resolveQuestion({ name: 'nope.cluster.local', type: 'A' }, index(), 30);
    const soa = r.authorities[0];
    assert.equal(soa?.type === 'SOA' && soa.ttl, 30);
    assert.equal(soa?.type === 'SOA' && soa.data.minimum, 30);
  });
});
