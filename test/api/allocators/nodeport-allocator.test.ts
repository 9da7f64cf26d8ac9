import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore, failure } from './allocator-fixtures.js';
import { NodePortAllocator } from '../../../api/allocators/nodeport-allocator.js';

const owner = (name: string) => ({ resource: 'services', namespace: 'default', name });

describe('NodePortAllocator', () => {
  it('hands out every port of a small range once, then reports it full', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 30004 });
      store.transaction((txn) => {
        const ports = Array.from({ length: 5 }, (_, i) => allocator.allocateNext(txn, 'TCP', owner(`s${i}`)));
        assert.deepEqual([...ports].sort(), [30000, 30001, 30002, 30003, 30004]);
        const error = failure(() => allocator.allocateNext(txn, 'TCP', owner('late')));
        assert.equal(error.failure, 'full');
        assert.equal(error.message, 'range is full');
      });
    });
  });

  it('keeps one pool per protocol, so a number may serve TCP and UDP', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 32767 });
      store.transaction((txn) => {
        allocator.allocate(txn, 'TCP', 30053, owner('a'));
        allocator.allocate(txn, 'UDP', 30053, owner('b'));
        allocator.allocate(txn, 'SCTP', 30053, owner('c'));
        assert.equal(failure(() => allocator.allocate(txn, 'TCP', 30053, owner('d'))).failure, 'allocated');
        assert.equal(allocator.poolOf(undefined), 'nodeport:TCP');
      });
    });
  });

  it('refuses a taken port with the upstream message', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 32767 });
      store.transaction((txn) => {
        allocator.allocate(txn, 'TCP', 30080, owner('a'));
        assert.equal(failure(() => allocator.allocate(txn, 'TCP', 30080, owner('b'))).message, 'provided port is already allocated');
      });
    });
  });

  it('refuses a port outside the range, naming the range', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 32767 });
      store.transaction((txn) => {
        for (const port of [80, 29999, 32768]) {
          const error = failure(() => allocator.allocate(txn, 'TCP', port, owner('a')));
          assert.equal(error.failure, 'not-in-range');
          assert.equal(error.message, 'provided port is not in the valid range. The range of valid ports is 30000-32767');
        }
      });
    });
  });

  it('allocates automatically above the static band (86 ports of the default range) while it has room', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 32767 });
      assert.equal(allocator.staticBand, 86);
      store.transaction((txn) => {
        for (let i = 0; i < 200; i++) assert.ok(allocator.allocateNext(txn, 'TCP', owner(`s${i}`)) >= 30086);
      });
    });
  });

  it('finds the one free port of a nearly full range', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 32767 });
      store.transaction((txn) => {
        for (let port = 30000; port <= 32767; port++) if (port !== 30010) txn.allocate('nodeport:UDP', port, owner(`s${port}`));
        assert.equal(allocator.allocateNext(txn, 'UDP', owner('last')), 30010);
      });
    });
  });

  it('tryAllocate claims only a free in-range port', () => {
    withStore((store) => {
      const allocator = new NodePortAllocator({ from: 30000, to: 30100 });
      store.transaction((txn) => {
        assert.equal(allocator.tryAllocate(txn, 'UDP', 30053, owner('a')), true);
        assert.equal(allocator.tryAllocate(txn, 'UDP', 30053, owner('b')), false);
        assert.equal(allocator.tryAllocate(txn, 'UDP', 80, owner('b')), false);
        assert.deepEqual(allocator.heldBy(txn, 'UDP', owner('a')), [30053]);
      });
    });
  });
});
