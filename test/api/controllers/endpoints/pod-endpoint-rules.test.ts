import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  endpointHostname,
  findPort,
  formatRfc3339Nano,
  hasManagedEndpoints,
  isPodReady,
  podIPOfFamily,
  serviceAddressFamilies,
  shouldPodBeInEndpoints,
} from '../../../../api/controllers/endpoints/pod-endpoint-rules.js';
import { noNodeLost, pod, service } from '../fixtures.js';

describe('endpoint computation helpers', () => {
  it('resolves a named targetPort per pod by name and protocol', () => {
    const port = { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' };
    const a = pod('a', { ports: [{ name: 'web', containerPort: 8080 }] });
    const b = pod('b', { ports: [{ name: 'web', containerPort: 9090 }] });
    const udp = pod('c', { ports: [{ name: 'web', containerPort: 7070, protocol: 'UDP' }] });
    assert.equal(findPort(a, port), 8080);
    assert.equal(findPort(b, port), 9090);
    assert.equal(findPort(udp, port), undefined);
    assert.equal(findPort(pod('d'), port), undefined);
  });

  it('takes a numeric targetPort as it is', () => {
    assert.equal(findPort(pod('a'), { port: 80, targetPort: 8080 }), 8080);
  });

  it('counts a pod ready only with Ready=True and its node not lost', () => {
    assert.equal(isPodReady(pod('a', { node: 'n1' }), noNodeLost), true);
    assert.equal(isPodReady(pod('a', { ready: false }), noNodeLost), false);
    assert.equal(isPodReady(pod('a', { node: 'n1' }), (name) => name === 'n1'), false);
  });

  it('leaves out finished pods, pods without an address and, unless asked, terminating ones', () => {
    assert.equal(shouldPodBeInEndpoints(pod('a', { ip: '10.0.0.1' }), false), true);
    assert.equal(shouldPodBeInEndpoints(pod('a'), false), false);
    assert.equal(shouldPodBeInEndpoints(pod('a', { ip: '10.0.0.1', phase: 'Succeeded' }), true), false);
    assert.equal(shouldPodBeInEndpoints(pod('a', { ip: '10.0.0.1', deleting: true }), false), false);
    assert.equal(shouldPodBeInEndpoints(pod('a', { ip: '10.0.0.1', deleting: true }), true), true);
  });

  it('picks the pod address of the wanted family', () => {
    const dual = pod('a', { ips: ['10.0.0.1', 'fd00::1'] });
    assert.equal(podIPOfFamily(dual, 'IPv4'), '10.0.0.1');
    assert.equal(podIPOfFamily(dual, 'IPv6'), 'fd00::1');
    assert.equal(podIPOfFamily(pod('b', { ip: '10.0.0.2' }), 'IPv6'), undefined);
  });

  it('uses the Service families, else the pods’ primary families', () => {
    assert.deepEqual(serviceAddressFamilies(service('s'), []), ['IPv4']);
    const headless = service('h', { clusterIP: 'None', ipFamilies: [] });
    assert.deepEqual(serviceAddressFamilies(headless, [pod('a', { ip: 'fd00::5' })]), ['IPv6']);
    assert.deepEqual(serviceAddressFamilies(headless, []), ['IPv4']);
  });

  it('manages endpoints only for Services with a selector that are not ExternalName', () => {
    assert.equal(hasManagedEndpoints(service('s')), true);
    assert.equal(hasManagedEndpoints(service('s', { selector: {} })), false);
    assert.equal(hasManagedEndpoints(service('s', { selector: undefined })), false);
    assert.equal(hasManagedEndpoints(service('s', { type: 'ExternalName', externalName: 'example.com' })), false);
  });

  it('publishes a hostname only for pods whose subdomain names the Service', () => {
    assert.equal(endpointHostname(pod('a', { hostname: 'h', subdomain: 's' }), service('s')), 'h');
    assert.equal(endpointHostname(pod('a', { hostname: 'h', subdomain: 'other' }), service('s')), undefined);
  });

  it('formats trigger times as RFC 3339 with fractional seconds, trailing zeros dropped', () => {
    const base = Date.UTC(2018, 9, 22, 19, 32, 52);
    assert.equal(formatRfc3339Nano(base), '2018-10-22T19:32:52Z');
    assert.equal(formatRfc3339Nano(base + 100), '2018-10-22T19:32:52.1Z');
    assert.equal(formatRfc3339Nano(base + 123.456), '2018-10-22T19:32:52.123456Z');
    assert.equal(formatRfc3339Nano(base + 999.9999), '2018-10-22T19:32:53Z');
  });
});
