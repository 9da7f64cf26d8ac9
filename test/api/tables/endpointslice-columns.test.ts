import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSliceCells, endpointSliceColumns, formatSliceEndpoints, formatSlicePorts } from '../../../api/tables/endpointslice-columns.js';
import { NOW, ago } from './fixtures.js';

describe('endpointslice columns', () => {
  it('defines Name, AddressType, Ports, Endpoints, Age', () => {
    assert.deepEqual(endpointSliceColumns.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  });

  it('prints a typical slice', () => {
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc12', creationTimestamp: ago(2 * 86400) },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }, { addresses: ['10.244.2.3'], conditions: { ready: false } }],
    };
    assert.deepEqual(endpointSliceCells(slice, NOW), ['web-abc12', 'IPv4', '8080', '10.244.1.5,10.244.2.3', '2d']);
  });

  it('prints <unset> for no ports and no endpoints', () => {
    assert.equal(formatSlicePorts([]), '<unset>');
    assert.equal(formatSliceEndpoints(undefined), '<unset>');
  });

  it('prints a port without a number by name, or * for all ports', () => {
    assert.equal(formatSlicePorts([{ name: 'dns' }, {}, { port: 53 }]), 'dns,*,53');
  });

  it('shows three ports and counts the rest', () => {
    assert.equal(formatSlicePorts([{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }, { port: 5 }]), '1,2,3 + 2 more...');
  });

  it('shows three addresses and counts the rest', () => {
    const endpoints = [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }];
    assert.equal(formatSliceEndpoints(endpoints), '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...');
  });

  it('never throws on malformed input', () => {
    for (const input of [null, [], { ports: 'x', endpoints: [null, { addresses: 'x' }] }]) {
      assert.equal(endpointSliceCells(input, NOW).length, 5);
    }
  });
});
