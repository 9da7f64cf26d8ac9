import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore, failure } from './allocator-fixtures.js';
import { ClusterIpAllocator } from '../../../api/allocators/clusterip-allocator.js';

const owner = (name: string) => ({ resource: 'services', namespace: 'default', name });

describe('ClusterIpAllocator', () => {
  it('hands out every host address of a /29 once, never the network or broadcast address', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/29');
      const seen = store.transaction((txn) => Array.from({ length: 6 }, (_, i) => allocator.allocateNext(txn, owner(`s${i}`))));
      assert.deepEqual([...seen].sort(), ['10.96.0.1', '10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    });
  });

  it('reports a full range as "range is full"', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/30');
      store.transaction((txn) => {
        allocator.allocateNext(txn, owner('a'));
        allocator.allocateNext(txn, owner('b'));
        const error = failure(() => allocator.allocateNext(txn, owner('c')));
        assert.equal(error.failure, 'full');
        assert.equal(error.message, 'range is full');
      });
    });
  });

  it('finds the last free address of a nearly full range', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/24');
      store.transaction((txn) => {
        for (let value = 1; value <= 254; value++) if (value !== 77) txn.allocate(allocator.pool, value, owner(`s${value}`));
        assert.equal(allocator.allocateNext(txn, owner('last')), '10.96.0.77');
      });
    });
  });

  it('honours a free requested address and refuses one held by another owner', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/16');
      store.transaction((txn) => {
        allocator.allocate(txn, '10.96.0.5', owner('a'));
        allocator.allocate(txn, '10.96.0.5', owner('a'));
        const error = failure(() => allocator.allocate(txn, '10.96.0.5', owner('b')));
        assert.equal(error.failure, 'allocated');
        assert.equal(error.message, 'provided IP is already allocated');
        assert.deepEqual(allocator.heldBy(txn, owner('a')), ['10.96.0.5']);
      });
    });
  });

  it('refuses addresses outside the range, including network and broadcast, naming the range', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/16');
      store.transaction((txn) => {
        for (const ip of ['10.0.0.1', '10.96.0.0', '10.96.255.255', 'fd00::1']) {
          const error = failure(() => allocator.allocate(txn, ip, owner('a')));
          assert.equal(error.failure, 'not-in-range');
          assert.equal(error.message, 'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16');
        }
      });
    });
  });

  it('allocates automatically from above the static band while it has room', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/24');
      assert.equal(allocator.staticBand, 16);
      store.transaction((txn) => {
        for (let i = 0; i < 100; i++) {
          const value = allocator.valueOf(allocator.allocateNext(txn, owner(`s${i}`)));
          assert.ok(value !== undefined && value > 16, `got offset ${value}`);
        }
      });
    });
  });

  it('falls back to the static band when the upper band is full', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/24');
      store.transaction((txn) => {
        for (let value = 17; value <= 254; value++) txn.allocate(allocator.pool, value, owner(`s${value}`));
        const value = allocator.valueOf(allocator.allocateNext(txn, owner('low')));
        assert.ok(value !== undefined && value >= 1 && value <= 16, `got offset ${value}`);
      });
    });
  });

  it('releases an address so it can be handed out again', () => {
    withStore((store) => {
      const allocator = new ClusterIpAllocator('10.96.0.0/30');
      store.transaction((txn) => {
        const first = allocator.allocateNext(txn, owner('a'));
        allocator.allocateNext(txn, owner('b'));
        allocator.release(txn, first);
        assert.equal(allocator.allocateNext(txn, owner('c')), first);
      });
    });
  });

  it('uses at most 2^16 addresses of an IPv6 range and keeps its last address', () => {
    const allocator = new ClusterIpAllocator('fd00:10:96::/112');
    assert.deepEqual(allocator.range, { first: 1, last: 65535 });
    assert.equal(allocator.valueOf('fd00:10:96::ffff'), 65535);
    const wide = new ClusterIpAllocator('fd00::/64');
    assert.equal(wide.range.last, 65535);
    assert.equal(wide.valueOf('fd00::1:0'), undefined);
  });
});
