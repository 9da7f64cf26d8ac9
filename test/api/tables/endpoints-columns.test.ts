import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsCells, endpointsColumns, formatEndpoints } from '../../../api/tables/endpoints-columns.js';
import { NOW, ago } from './fixtures.js';

const addresses = (...ips: string[]): object[] => ips.map((ip) => ({ ip }));

describe('endpoints columns', () => {
  it('defines Name, Endpoints, Age', () => {
    assert.deepEqual(endpointsColumns.map((c) => c.name), ['Name', 'Endpoints', 'Age']);
  });

  it('prints ip:port pairs', () => {
    const ep = { metadata: { name: 'web', creationTimestamp: ago(60) }, subsets: [{ addresses: addresses('10.244.1.5', '10.244.2.3'), ports: [{ port: 8080, protocol: 'TCP' }] }] };
    assert.deepEqual(endpointsCells(ep, NOW), ['web', '10.244.1.5:8080,10.244.2.3:8080', '60s']);
  });

  it('prints <none> without subsets', () => {
    assert.equal(formatEndpoints({ subsets: [] }), '<none>');
    assert.equal(formatEndpoints({}), '<none>');
  });

  it('prints an empty cell for subsets with only not-ready addresses', () => {
    assert.equal(formatEndpoints({ subsets: [{ notReadyAddresses: addresses('10.0.0.1'), ports: [{ port: 80 }] }] }), '');
  });

  it('shows three endpoints and counts the rest', () => {
    const ep = { subsets: [{ addresses: addresses('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'), ports: [{ port: 80 }] }] };
    assert.equal(formatEndpoints(ep), '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
  });

  it('counts every address once per port', () => {
    const ep = { subsets: [{ addresses: addresses('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 443 }] }] };
    assert.equal(formatEndpoints(ep), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
  });

  it('prints bare IPs for a subset without ports', () => {
    assert.equal(formatEndpoints({ subsets: [{ addresses: addresses('10.0.0.1', '10.0.0.2') }] }), '10.0.0.1,10.0.0.2');
  });

  it('brackets IPv6 addresses', () => {
    assert.equal(formatEndpoints({ subsets: [{ addresses: addresses('fd00::5'), ports: [{ port: 80 }] }] }), '[fd00::5]:80');
  });

  it('never throws on malformed input', () => {
    for (const input of [null, 'x', { subsets: 'x' }, { subsets: [null, { addresses: [null], ports: [null] }] }]) {
      assert.equal(endpointsCells(input, NOW).length, 3);
    }
  });
});
