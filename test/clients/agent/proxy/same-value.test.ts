import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameValue } from '../../../../clients/agent/proxy/same-value.js';
import { endpoint, webService } from './nftables/forwarding-fixtures.js';

describe('sameValue', () => {
  it('finds two separately built, equal rules equal', () => {
    assert.ok(sameValue(webService, structuredClone(webService)));
  });

  it('tells a changed endpoint, a new endpoint and a changed field apart', () => {
    assert.ok(!sameValue(webService, { ...webService, endpoints: [endpoint('10.244.1.5', 8081, true), webService.endpoints[1]!] }));
    assert.ok(!sameValue(webService, { ...webService, endpoints: [...webService.endpoints, endpoint('10.244.3.5')] }));
    assert.ok(!sameValue(webService, { ...webService, affinityTimeoutSeconds: 10 }));
    assert.ok(!sameValue(webService, { ...webService, clusterIPs: [] }));
  });

  it('treats a field set to undefined as absent', () => {
    assert.ok(sameValue({ ...webService, nodePort: undefined }, webService));
  });

  it('does not confuse arrays with objects', () => {
    assert.ok(!sameValue([1], { 0: 1 }));
    assert.ok(!sameValue({ 0: 1 }, [1]));
    assert.ok(!sameValue(null, {}));
  });
});
