import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withStore } from './allocator-fixtures.js';
import { BlockHints } from '../../../api/allocators/block-hints.js';

const owner = { resource: 'services', namespace: 'default', name: 'x' };

describe('BlockHints', () => {
  it('cuts a range into about √n blocks of at least 64 values', () => {
    assert.equal(new BlockHints('p', { first: 1, last: 65534 }).blockSize, 256);
    assert.equal(new BlockHints('p', { first: 1, last: 254 }).blockSize, 64);
  });

  it('finds the one free value of a full range and marks the full blocks it passed', () => {
    withStore((store) => {
      const hints = new BlockHints('pool', { first: 1, last: 4096 });
      store.transaction((txn) => {
        for (let v = 1; v <= 4096; v++) if (v !== 3000) txn.allocate('pool', v, owner);
        assert.equal(hints.findFree(txn, { first: 1, last: 4096 }, 10), 3000);
        assert.ok(txn.allocationCount(hints.hintPool) > 0, 'blocks searched in vain are marked');
        txn.allocate('pool', 3000, owner);
        assert.equal(hints.findFree(txn, { first: 1, last: 4096 }, 10), undefined);
      });
    });
  });

  it('finds a released value again even though its block was marked full', () => {
    withStore((store) => {
      const hints = new BlockHints('pool', { first: 1, last: 4096 });
      store.transaction((txn) => {
        for (let v = 1; v <= 4096; v++) txn.allocate('pool', v, owner);
        assert.equal(hints.findFree(txn, { first: 1, last: 4096 }, 1), undefined);
        assert.equal(txn.allocationCount(hints.hintPool), 4096 / hints.blockSize);
        txn.release('pool', 77);
        hints.released(txn, 77);
        assert.equal(hints.findFree(txn, { first: 1, last: 4096 }, 2000), 77);
      });
    });
  });

  it('never misses a free value behind a stale hint', () => {
    withStore((store) => {
      const hints = new BlockHints('pool', { first: 1, last: 4096 });
      store.transaction((txn) => {
        for (let block = 0; block < 4096 / hints.blockSize; block++) txn.allocate(hints.hintPool, block, owner);
        assert.equal(hints.findFree(txn, { first: 1, last: 4096 }, 5), 5);
      });
    });
  });

  it('does not mark an edge block that has room outside the window', () => {
    withStore((store) => {
      const hints = new BlockHints('pool', { first: 1, last: 4096 });
      store.transaction((txn) => {
        for (let v = 1; v <= 40; v++) txn.allocate('pool', v, owner);
        assert.equal(hints.findFree(txn, { first: 1, last: 40 }, 1), undefined);
        assert.equal(txn.allocationCount(hints.hintPool), 0);
        assert.equal(hints.findFree(txn, { first: 1, last: 4096 }, 1), 41);
      });
    });
  });
});
