import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TRIGGER_TIME_ANNOTATION } from '../../../../api/controllers/endpoints/pod-endpoint-rules.js';
import {
  OVER_CAPACITY_ANNOTATION,
  computeEndpointSubsets,
  desiredEndpoints,
  repackSubsets,
  truncateSubsets,
} from '../../../../api/controllers/endpoints/desired-endpoints.js';
import type { EndpointSubset } from '../../../../api/schemas/endpoints.js';
import { noNodeLost, pod, service } from '../fixtures.js';

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

describe('Endpoints subsets', () => {
  it('puts ready pods in addresses and the others in notReadyAddresses, with node and targetRef', () => {
    const subsets = computeEndpointSubsets(service('s'), [
      pod('a', { ip: '10.0.0.1', node: 'n1' }),
      pod('b', { ip: '10.0.0.2', node: 'n2', ready: false }),
    ], noNodeLost);
    assert.deepEqual(subsets, [{
      addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: ref('a') }],
      notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'n2', targetRef: ref('b') }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
  });

  it('leaves out pods without an IP and terminating pods', () => {
    const subsets = computeEndpointSubsets(service('s'), [pod('a'), pod('b', { ip: '10.0.0.2', deleting: true })], noNodeLost);
    assert.deepEqual(subsets, []);
  });

  it('counts every address ready when the Service publishes not-ready addresses', () => {
    const svc = service('s', { publishNotReadyAddresses: true });
    const subsets = computeEndpointSubsets(svc, [pod('a', { ip: '10.0.0.1', ready: false }), pod('b', { ip: '10.0.0.2', deleting: true })], noNodeLost);
    assert.equal(subsets.length, 1);
    assert.deepEqual(subsets[0]!.addresses!.map((a) => a.ip), ['10.0.0.1', '10.0.0.2']);
    assert.equal(subsets[0]!.notReadyAddresses, undefined);
  });

  it('marks pods of a lost node not ready', () => {
    const subsets = computeEndpointSubsets(service('s'), [pod('a', { ip: '10.0.0.1', node: 'n1' })], (n) => n === 'n1');
    assert.deepEqual(subsets[0]!.notReadyAddresses!.map((a) => a.ip), ['10.0.0.1']);
  });

  it('splits subsets when a named targetPort resolves to different numbers on different pods', () => {
    const svc = service('s', { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const subsets = computeEndpointSubsets(svc, [
      pod('a', { ip: '10.0.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', { ip: '10.0.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
      pod('c', { ip: '10.0.0.3' }),
    ], noNodeLost);
    assert.deepEqual(subsets.map((s) => [s.addresses!.map((a) => a.ip), s.ports]), [
      [['10.0.0.1'], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
      [['10.0.0.2'], [{ name: 'http', port: 9090, protocol: 'TCP' }]],
    ]);
  });

  it('groups the ports a set of addresses shares into one subset', () => {
    const svc = service('s', { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }] });
    const subsets = computeEndpointSubsets(svc, [pod('a', { ip: '10.0.0.1' }), pod('b', { ip: '10.0.0.2' })], noNodeLost);
    assert.equal(subsets.length, 1);
    assert.deepEqual(subsets[0]!.ports, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('gives a headless Service without ports bare addresses', () => {
    const svc = service('s', { clusterIP: 'None', ports: [] });
    assert.deepEqual(computeEndpointSubsets(svc, [pod('a', { ip: '10.0.0.1' })], noNodeLost), [{ addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }] }]);
  });

  it('keeps an address ready when any subset lists it ready', () => {
    const address = { ip: '10.0.0.1', targetRef: ref('a') };
    const port = { name: 'p', port: 1, protocol: 'TCP' };
    assert.deepEqual(repackSubsets([{ notReadyAddresses: [address], ports: [port] }, { addresses: [address], ports: [port] }]), [{ addresses: [address], ports: [port] }]);
  });

  it('truncates past 1000 addresses, not-ready ones first', () => {
    const addresses = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${Math.floor(i / 250)}.${i % 250}` }));
    const subsets: EndpointSubset[] = [{ addresses: addresses('10.1', 900), notReadyAddresses: addresses('10.2', 300) }];
    assert.equal(truncateSubsets(subsets), true);
    assert.equal(subsets[0]!.addresses!.length, 900);
    assert.equal(subsets[0]!.notReadyAddresses!.length, 100);
    assert.equal(truncateSubsets([{ addresses: addresses('10.1', 1000) }]), false);
  });
});

describe('desired Endpoints object', () => {
  const pods = [pod('a', { ip: '10.0.0.1' })];

  it('carries the Service labels and the trigger time', () => {
    const endpoints = desiredEndpoints(service('s', {}, { team: 'x' }), pods, noNodeLost, undefined, '2024-01-01T00:00:00.5Z')!;
    assert.deepEqual(endpoints.metadata, { name: 's', namespace: 'default', labels: { team: 'x' }, annotations: { [TRIGGER_TIME_ANNOTATION]: '2024-01-01T00:00:00.5Z' } });
    assert.equal(endpoints.subsets!.length, 1);
  });

  it('labels the Endpoints of a headless Service', () => {
    const endpoints = desiredEndpoints(service('s', { clusterIP: 'None' }), pods, noNodeLost, undefined, 't')!;
    assert.deepEqual(endpoints.metadata.labels, { 'service.kubernetes.io/headless': '' });
  });

  it('asks for no write when only the trigger time would change', () => {
    const first = desiredEndpoints(service('s'), pods, noNodeLost, undefined, 't1')!;
    const stored = { ...first, metadata: { ...first.metadata, resourceVersion: '7' } };
    assert.equal(desiredEndpoints(service('s'), pods, noNodeLost, stored, 't2'), undefined);
    const changed = desiredEndpoints(service('s'), [pod('a', { ip: '10.0.0.9' })], noNodeLost, stored, 't2')!;
    assert.equal(changed.metadata.resourceVersion, '7');
    assert.equal(changed.metadata.annotations![TRIGGER_TIME_ANNOTATION], 't2');
  });

  it('marks an over-capacity object', () => {
    const many = Array.from({ length: 1001 }, (_, i) => pod(`p${i}`, { ip: `10.0.${Math.floor(i / 200)}.${(i % 200) + 1}` }));
    const endpoints = desiredEndpoints(service('s'), many, noNodeLost, undefined, 't')!;
    assert.equal(endpoints.metadata.annotations![OVER_CAPACITY_ANNOTATION], 'truncated');
    assert.equal(endpoints.subsets![0]!.addresses!.length, 1000);
  });
});
