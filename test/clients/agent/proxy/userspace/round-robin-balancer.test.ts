import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointKey, RoundRobinBalancer } from '../../../../../clients/agent/proxy/userspace/round-robin-balancer.js';

const a = { ip: '10.244.1.1', port: 80, local: false };
const b = { ip: '10.244.1.2', port: 80, local: false };
const c = { ip: '10.244.1.3', port: 80, local: false };

function picks(balancer: RoundRobinBalancer, client: string, n: number): string[] {
  return Array.from({ length: n }, () => balancer.next(client)?.ip ?? 'none');
}

describe('RoundRobinBalancer', () => {
  it('hands out endpoints in turn', () => {
    const balancer = new RoundRobinBalancer();
    balancer.update([a, b, c], undefined);
    assert.deepEqual(picks(balancer, '1.1.1.1', 7), ['10.244.1.1', '10.244.1.2', '10.244.1.3', '10.244.1.1', '10.244.1.2', '10.244.1.3', '10.244.1.1']);
  });

  it('gives nothing when there are no endpoints', () => {
    const balancer = new RoundRobinBalancer();
    balancer.update([], 60);
    assert.equal(balancer.next('1.1.1.1'), undefined);
  });

  it('skips excluded endpoints and gives nothing once all were tried', () => {
    const balancer = new RoundRobinBalancer();
    balancer.update([a, b], undefined);
    assert.equal(balancer.next('x', new Set([endpointKey(a)]))?.ip, '10.244.1.2');
    assert.equal(balancer.next('x', new Set([endpointKey(a)]))?.ip, '10.244.1.2');
    assert.equal(balancer.next('x', new Set([endpointKey(a), endpointKey(b)])), undefined);
  });

  it('keeps a client on its endpoint under ClientIP affinity until the timeout passes', () => {
    let now = 0;
    const balancer = new RoundRobinBalancer(() => now);
    balancer.update([a, b, c], 10);
    assert.deepEqual(picks(balancer, 'client-1', 3), ['10.244.1.1', '10.244.1.1', '10.244.1.1']);
    assert.equal(balancer.next('client-2')?.ip, '10.244.1.2');
    now += 9_000;
    assert.equal(balancer.next('client-1')?.ip, '10.244.1.1', 'each use renews the affinity');
    now += 10_001;
    assert.equal(balancer.next('client-1')?.ip, '10.244.1.3');
  });

  it('moves a sticky client on when its endpoint fails or disappears', () => {
    const balancer = new RoundRobinBalancer(() => 0);
    balancer.update([a, b], 60);
    assert.equal(balancer.next('client')?.ip, '10.244.1.1');
    assert.equal(balancer.next('client', new Set([endpointKey(a)]))?.ip, '10.244.1.2');
    assert.equal(balancer.next('client')?.ip, '10.244.1.2', 'the retry endpoint becomes the sticky one');
    balancer.update([a, c], 60);
    assert.notEqual(balancer.next('client')?.ip, '10.244.1.2');
  });

  it('drops affinity when it is switched off', () => {
    const balancer = new RoundRobinBalancer(() => 0);
    balancer.update([a, b], 60);
    balancer.next('client');
    balancer.update([a, b], undefined);
    assert.deepEqual(picks(balancer, 'client', 2).sort(), ['10.244.1.1', '10.244.1.2']);
  });
});
