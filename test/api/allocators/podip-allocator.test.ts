import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore } from './allocator-fixtures.js';
import { AllocationError } from '../../../api/allocators/allocation-error.js';
import { PodIpAllocator } from '../../../api/allocators/podip-allocator.js';

const pod = (name: string) => ({ resource: 'pods', namespace: 'default', name });

describe('PodIpAllocator', () => {
  it('hands out .2 to .254 of a node /24 and nothing else', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('10.244.0.0/16');
      store.transaction((txn) => {
        const ips = new Set<string>();
        for (let i = 0; i < 253; i++) ips.add(allocator.allocateNext(txn, '10.244.3.0/24', pod(`p${i}`))!);
        assert.equal(ips.size, 253);
        for (const reserved of ['10.244.3.0', '10.244.3.1', '10.244.3.255']) assert.ok(!ips.has(reserved), reserved);
        for (const ip of ips) assert.match(ip, /^10\.244\.3\.\d+$/);
        assert.equal(allocator.allocateNext(txn, '10.244.3.0/24', pod('late')), undefined);
      });
    });
  });

  it('shares the cluster pool between node subnets and releases without the node', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('10.244.0.0/16');
      store.transaction((txn) => {
        const ip = allocator.allocateNext(txn, '10.244.1.0/24', pod('a'))!;
        assert.equal(txn.allocationCount(allocator.clusterPool), 1);
        allocator.releaseAll(txn, pod('a'));
        assert.equal(txn.allocationCount(allocator.clusterPool), 0);
        assert.match(ip, /^10\.244\.1\./);
      });
    });
  });

  it('records a reported address and refuses one another pod holds', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('10.244.0.0/16');
      store.transaction((txn) => {
        assert.equal(allocator.allocate(txn, '10.244.1.0/24', '10.244.1.10', pod('a')), 'claimed');
        assert.throws(() => allocator.allocate(txn, '10.244.1.0/24', '10.244.1.10', pod('b')), (error: unknown) =>
          error instanceof AllocationError && error.message === 'provided IP is already allocated');
        assert.deepEqual(allocator.heldBy(txn, pod('a')), ['10.244.1.10']);
      });
    });
  });

  it('tracks any reported address of the cluster CIDR, so it is never handed to another pod', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('10.244.0.0/16');
      store.transaction((txn) => {
        assert.equal(allocator.allocate(txn, '10.244.1.0/24', '10.244.2.10', pod('a')), 'claimed');
        assert.equal(allocator.allocate(txn, undefined, '10.244.3.7', pod('b')), 'claimed');
        assert.equal(allocator.allocate(txn, '10.244.1.0/24', '172.16.0.9', pod('c')), 'outside');
        for (let i = 0; i < 252; i++) assert.notEqual(allocator.allocateNext(txn, '10.244.3.0/24', pod(`p${i}`)), '10.244.3.7');
        assert.equal(allocator.allocateNext(txn, '10.244.3.0/24', pod('late')), undefined);
      });
    });
  });

  it('release frees only an address the owner holds', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('10.244.0.0/16');
      store.transaction((txn) => {
        allocator.allocate(txn, '10.244.1.0/24', '10.244.1.10', pod('a'));
        allocator.release(txn, '10.244.1.10', pod('b'));
        assert.deepEqual(allocator.heldBy(txn, pod('a')), ['10.244.1.10']);
        allocator.release(txn, '10.244.1.10', pod('a'));
        assert.deepEqual(allocator.heldBy(txn, pod('a')), []);
      });
    });
  });

  it('keeps a pool of its own for a node subnet outside the cluster CIDR', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('10.244.0.0/16');
      store.transaction((txn) => {
        const ip = allocator.allocateNext(txn, '192.168.5.0/24', pod('a'))!;
        assert.match(ip, /^192\.168\.5\./);
        assert.equal(txn.allocationCount('podip:192.168.5.0/24'), 1);
        assert.deepEqual(allocator.heldBy(txn, pod('a')), []);
        assert.deepEqual(allocator.heldBy(txn, pod('a'), '192.168.5.0/24'), [ip]);
        allocator.releaseAll(txn, pod('a'), '192.168.5.0/24');
        assert.equal(txn.allocationCount('podip:192.168.5.0/24'), 0);
      });
    });
  });

  it('uses IPv6 node subnets, skipping the network and gateway addresses', () => {
    withStore((store) => {
      const allocator = new PodIpAllocator('fd00:10:244::/56', () => 0);
      store.transaction((txn) => {
        assert.equal(allocator.allocateNext(txn, 'fd00:10:244:1::/64', pod('a')), 'fd00:10:244:1::2');
      });
    });
  });
});
