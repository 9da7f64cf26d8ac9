import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressFamily, dashedAddress, isInZone, normalizeName, parseHostPort, reverseName } from '../../../clients/dns/names.js';

describe('DNS name helpers', () => {
  it('normalizes case and the root dot', () => {
    assert.equal(normalizeName('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
  });

  it('builds in-addr.arpa names for IPv4', () => {
    assert.equal(reverseName('10.96.0.10'), '10.0.96.10.in-addr.arpa');
  });

  it('builds full nibble ip6.arpa names for IPv6', () => {
    assert.equal(reverseName('fd00::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa');
  });

  it('rejects a non-address for reverse names', () => {
    assert.throws(() => reverseName('None'), TypeError);
  });

  it('tells address families apart and rejects non-addresses', () => {
    assert.equal(addressFamily('10.0.0.1'), 'IPv4');
    assert.equal(addressFamily('fd00::1'), 'IPv6');
    assert.equal(addressFamily('None'), undefined);
    assert.equal(addressFamily(''), undefined);
    assert.equal(addressFamily('10'), undefined);
  });

  it('dashes addresses the way CoreDNS names headless endpoints', () => {
    assert.equal(dashedAddress('10.244.1.7'), '10-244-1-7');
    assert.equal(dashedAddress('fd00::7'), 'fd00--7');
  });

  it('matches a zone and its subdomains only on label boundaries', () => {
    assert.ok(isInZone('cluster.local', 'cluster.local'));
    assert.ok(isInZone('a.svc.cluster.local', 'cluster.local'));
    assert.ok(!isInZone('xcluster.local', 'cluster.local'));
  });

  it('parses host:port and [v6]:port and rejects the rest', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:10053', 'listen'), { host: '127.0.0.1', port: 10053 });
    assert.deepEqual(parseHostPort('[::1]:53', 'listen'), { host: '::1', port: 53 });
    assert.throws(() => parseHostPort('localhost:53', 'listen'), /listen must be an IP address and port/);
    assert.throws(() => parseHostPort('127.0.0.1:70000', 'listen'), RangeError);
    assert.throws(() => parseHostPort('127.0.0.1', 'upstream'), /upstream/);
  });
});
