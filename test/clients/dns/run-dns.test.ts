import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DnsConfigError, resolveDnsOptions } from '../../../clients/dns/run-dns.js';

describe('resolveDnsOptions', () => {
  it('uses the documented defaults', () => {
    assert.deepEqual(resolveDnsOptions({}, {}), {
      server: 'http://127.0.0.1:8080',
      connection: { server: 'http://127.0.0.1:8080' },
      listen: '127.0.0.1:10053',
      domain: 'cluster.local',
      ttl: 5,
      upstream: undefined,
    });
  });

  it('reads every option from its environment variable', () => {
    const env = {
      SKIFF_SERVER: 'http://10.0.0.1:6443',
      SKIFF_DNS_LISTEN: '127.0.0.2:53',
      SKIFF_DNS_DOMAIN: 'example.internal',
      SKIFF_DNS_TTL: '30',
      SKIFF_DNS_UPSTREAM: '127.0.0.53:53',
    };
    assert.deepEqual(resolveDnsOptions({}, env), {
      server: 'http://10.0.0.1:6443',
      connection: { server: 'http://10.0.0.1:6443' },
      listen: '127.0.0.2:53',
      domain: 'example.internal',
      ttl: 30,
      upstream: '127.0.0.53:53',
    });
  });

  it('lets flags win over the environment', () => {
    const resolved = resolveDnsOptions({ ttl: 7, listen: '127.0.0.1:0' }, { SKIFF_DNS_TTL: '30', SKIFF_DNS_LISTEN: '127.0.0.2:53' });
    assert.equal(resolved.ttl, 7);
    assert.equal(resolved.listen, '127.0.0.1:0');
  });

  it('rejects a TTL that is not a whole number of seconds, naming the value', () => {
    assert.throws(() => resolveDnsOptions({ ttl: '1.5' }, {}), (error: unknown) => error instanceof DnsConfigError && error.message.includes('"1.5"'));
    assert.throws(() => resolveDnsOptions({}, { SKIFF_DNS_TTL: '-1' }), DnsConfigError);
  });

  it('rejects a server that is not a URL', () => {
    assert.throws(() => resolveDnsOptions({ server: '127.0.0.1:8080:x' }, {}), DnsConfigError);
  });
});
