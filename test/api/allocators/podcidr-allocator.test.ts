import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore } from './allocator-fixtures.js';
import { AllocationError } from '../../../api/allocators/allocation-error.js';
import { PodCidrAllocator } from '../../../api/allocators/podcidr-allocator.js';

const node = (name: string) => ({ resource: 'nodes', namespace: '', name });

describe('PodCidrAllocator', () => {
  it('gives nodes the lowest free /24 of the cluster CIDR, first subnet included', () => {
    withStore((store) => {
      const allocator = new PodCidrAllocator('10.244.0.0/16', 24);
      store.transaction((txn) => {
        assert.equal(allocator.allocateNext(txn, node('a')), '10.244.0.0/24');
        assert.equal(allocator.allocateNext(txn, node('b')), '10.244.1.0/24');
        allocator.release(txn, '10.244.0.0/24');
        assert.equal(allocator.allocateNext(txn, node('c')), '10.244.0.0/24');
      });
    });
  });

  it('returns undefined once every subnet is taken', () => {
    withStore((store) => {
      const allocator = new PodCidrAllocator('10.244.0.0/23', 24);
      store.transaction((txn) => {
        assert.ok(allocator.allocateNext(txn, node('a')));
        assert.ok(allocator.allocateNext(txn, node('b')));
        assert.equal(allocator.allocateNext(txn, node('c')), undefined);
      });
    });
  });

  it('claims a subnet a node came with, refuses one another node holds, ignores foreign ones', () => {
    withStore((store) => {
      const allocator = new PodCidrAllocator('10.244.0.0/16', 24);
      store.transaction((txn) => {
        assert.equal(allocator.allocate(txn, '10.244.7.0/24', node('a')), 'claimed');
        assert.throws(() => allocator.allocate(txn, '10.244.7.0/24', node('b')), (error: unknown) =>
          error instanceof AllocationError && error.failure === 'allocated');
        assert.equal(allocator.allocate(txn, '192.168.0.0/24', node('b')), 'outside');
        assert.equal(allocator.allocate(txn, '10.244.7.0/25', node('b')), 'outside');
        assert.equal(allocator.allocate(txn, '10.244.7.1/24', node('b')), 'outside');
        assert.deepEqual(allocator.heldBy(txn, node('a')), ['10.244.7.0/24']);
      });
    });
  });

  it('has no subnets when the node mask is wider than the cluster CIDR', () => {
    withStore((store) => {
      const allocator = new PodCidrAllocator('10.244.0.0/24', 16);
      store.transaction((txn) => assert.equal(allocator.allocateNext(txn, node('a')), undefined));
    });
  });
});
