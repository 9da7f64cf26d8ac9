import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../../api/schemas/endpointslice.js';
import { endpointSliceStrategy } from '../../../api/resources/endpointslice.js';

function baseSlice(): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' }],
    ports: [{ name: 'http', port: 8080 }],
  };
}

function checked(mutate: (slice: EndpointSlice) => void): { field: string; message: string } | undefined {
  const slice = baseSlice();
  mutate(slice);
  endpointSliceStrategy.prepareForCreate(slice);
  endpointSliceStrategy.applyDefaults(slice);
  const cause = endpointSliceStrategy.validate(slice).causes[0];
  return cause && { field: cause.field, message: cause.message };
}

describe('endpointslice strategy', () => {
  it('defaults port name and protocol, and accepts a valid slice', () => {
    const slice = baseSlice();
    slice.ports = [{ port: 8080 }];
    endpointSliceStrategy.applyDefaults(slice);
    assert.deepEqual(slice.ports, [{ port: 8080, name: '', protocol: 'TCP' }]);
    assert.deepEqual(endpointSliceStrategy.validate(slice).causes, []);
  });

  const cases: { name: string; mutate: (slice: EndpointSlice) => void; field: string; message: string }[] = [
    { name: 'requires an address type', mutate: (s) => { delete s.addressType; }, field: 'addressType', message: 'Required value' },
    {
      name: 'rejects an unknown address type',
      mutate: (s) => { s.addressType = 'IP'; },
      field: 'addressType',
      message: 'Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
    },
    {
      name: 'requires at least one address per endpoint',
      mutate: (s) => { s.endpoints![0]!.addresses = []; },
      field: 'endpoints[0].addresses',
      message: 'Required value: must contain at least 1 address',
    },
    {
      name: 'rejects an IPv6 address in an IPv4 slice',
      mutate: (s) => { s.endpoints![0]!.addresses = ['fd00::5']; },
      field: 'endpoints[0].addresses[0]',
      message: 'Invalid value: "fd00::5": must be a valid IPv4 address',
    },
    {
      name: 'refuses an unspecified address',
      mutate: (s) => { s.endpoints![0]!.addresses = ['0.0.0.0']; },
      field: 'endpoints[0].addresses[0]',
      message: 'Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    },
    {
      name: 'requires FQDN addresses of two labels or more',
      mutate: (s) => { s.addressType = 'FQDN'; s.endpoints![0]!.addresses = ['db']; },
      field: 'endpoints[0].addresses[0]',
      message: 'Invalid value: "db": should be a domain with at least two segments separated by dots',
    },
    {
      name: 'rejects duplicate port names, the empty name included',
      mutate: (s) => { s.ports = [{ port: 80 }, { port: 81 }]; },
      field: 'ports[1].name',
      message: 'Duplicate value: ""',
    },
    {
      name: 'rejects an unknown port protocol',
      mutate: (s) => { s.ports![0]!.protocol = 'QUIC'; },
      field: 'ports[0].protocol',
      message: 'Unsupported value: "QUIC": supported values: "SCTP", "TCP", "UDP"',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(checked(c.mutate), { field: c.field, message: c.message });
    });
  }

  it('keeps the address type immutable', () => {
    const old = baseSlice();
    const slice = baseSlice();
    slice.addressType = 'IPv6';
    slice.endpoints![0]!.addresses = ['fd00::5'];
    endpointSliceStrategy.prepareForUpdate(slice, old);
    endpointSliceStrategy.applyDefaults(slice);
    assert.deepEqual(endpointSliceStrategy.validateUpdate(slice, old).causes.map((c) => [c.field, c.message]), [
      ['addressType', 'Invalid value: "IPv6": field is immutable'],
    ]);
  });

  it('reports any change to endpoints or ports as a spec change', () => {
    const old = baseSlice();
    const slice = baseSlice();
    assert.equal(endpointSliceStrategy.specChanged(slice, old), false);
    slice.endpoints![0]!.conditions = { ready: false };
    assert.equal(endpointSliceStrategy.specChanged(slice, old), true);
  });
});
