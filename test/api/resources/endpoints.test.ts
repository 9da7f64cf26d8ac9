import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from '../../../api/schemas/endpoints.js';
import { endpointsStrategy } from '../../../api/resources/endpoints.js';

function baseEndpoints(): Endpoints {
  return {
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{
      addresses: [{ ip: '10.244.1.5', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }],
      ports: [{ name: 'http', port: 8080 }],
    }],
  };
}

function checked(mutate: (ep: Endpoints) => void): { field: string; message: string } | undefined {
  const endpoints = baseEndpoints();
  mutate(endpoints);
  endpointsStrategy.prepareForCreate(endpoints);
  endpointsStrategy.applyDefaults(endpoints);
  const cause = endpointsStrategy.validate(endpoints).causes[0];
  return cause && { field: cause.field, message: cause.message };
}

describe('endpoints strategy', () => {
  it('defaults port protocols to TCP and accepts a valid object', () => {
    const endpoints = baseEndpoints();
    endpointsStrategy.applyDefaults(endpoints);
    assert.equal(endpoints.subsets![0]!.ports![0]!.protocol, 'TCP');
    assert.deepEqual(endpointsStrategy.validate(endpoints).causes, []);
  });

  it('accepts loopback endpoints, so a whole cluster can run on one host', () => {
    const endpoints = baseEndpoints();
    endpoints.subsets![0]!.addresses = [{ ip: '127.100.1.5' }];
    endpointsStrategy.applyDefaults(endpoints);
    assert.deepEqual(endpointsStrategy.validate(endpoints).causes, []);
  });

  const cases: { name: string; mutate: (ep: Endpoints) => void; field: string; message: string }[] = [
    {
      name: 'requires addresses in every subset',
      mutate: (e) => { e.subsets![0]!.addresses = []; },
      field: 'subsets[0]',
      message: 'Required value: must specify `addresses` or `notReadyAddresses`',
    },
    {
      name: 'rejects an address that is not an IP',
      mutate: (e) => { e.subsets![0]!.addresses![0]!.ip = 'web-1'; },
      field: 'subsets[0].addresses[0].ip',
      message: 'Invalid value: "web-1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    },
    {
      name: 'refuses a link-local endpoint',
      mutate: (e) => { e.subsets![0]!.addresses![0]!.ip = '169.254.169.254'; },
      field: 'subsets[0].addresses[0].ip',
      message: 'Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    },
    {
      name: 'requires port names when there are several ports',
      mutate: (e) => { e.subsets![0]!.ports!.push({ port: 9090 }); },
      field: 'subsets[0].ports[1].name',
      message: 'Required value',
    },
    {
      name: 'rejects port 0',
      mutate: (e) => { e.subsets![0]!.ports![0]!.port = 0; },
      field: 'subsets[0].ports[0].port',
      message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
    },
    {
      name: 'checks the hostname as a DNS label',
      mutate: (e) => { e.subsets![0]!.addresses![0]!.hostname = 'web.1'; },
      field: 'subsets[0].addresses[0].hostname',
      message: "Invalid value: \"web.1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(checked(c.mutate), { field: c.field, message: c.message });
    });
  }

  it('reports a change in subsets as a spec change', () => {
    const old = baseEndpoints();
    const next = baseEndpoints();
    next.subsets![0]!.addresses![0]!.ip = '10.244.1.6';
    assert.equal(endpointsStrategy.specChanged(next, old), true);
    assert.equal(endpointsStrategy.specChanged(baseEndpoints(), old), false);
  });
});
