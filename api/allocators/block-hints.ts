import type { ObjectKey, StoreTransaction } from '../../storage/store.js';
import type { ValueRange } from './value-range.js';

// The store's gap search walks allocated values from its start until it meets
// a free one: cheap while a range is sparse, but with the last few free values
// of a /16 left it reads tens of thousands of rows. Block hints bound that
// walk. The range is cut into about √n blocks, and a companion pool records
// the blocks found completely taken; a search skips those, then walks inside
// one block. Hints are only hints: a block is marked when a search finds it
// full and unmarked by every release, and when every block looks full the
// search falls back to the plain walk, so a stale hint can slow a search but
// never hand out a taken value or miss a free one.

const HINT_OWNER: ObjectKey = { resource: 'allocator', namespace: '', name: 'full-blocks' };

export class BlockHints {
  readonly hintPool: string;
  readonly blockSize: number;

  constructor(readonly pool: string, readonly range: ValueRange) {
    this.hintPool = `${pool}#full-blocks`;
    const size = Math.max(1, range.last - range.first + 1);
    this.blockSize = Math.max(64, 2 ** Math.ceil(Math.log2(Math.sqrt(size))));
  }

  private blockOf(value: number): number {
    return Math.floor((value - this.range.first) / this.blockSize);
  }

  private blockRange(block: number): ValueRange {
    const first = this.range.first + block * this.blockSize;
    return { first, last: Math.min(this.range.last, first + this.blockSize - 1) };
  }

  /** A free value of `window` (inside the range), searching from `start` and wrapping; undefined when all are taken. */
  findFree(txn: StoreTransaction, window: ValueRange, start: number): number | undefined {
    if (window.last < window.first) return undefined;
    const firstBlock = this.blockOf(window.first);
    const lastBlock = this.blockOf(window.last);
    let next = this.blockOf(start);
    for (let visited = 0; visited <= lastBlock - firstBlock; visited++) {
      const block = txn.firstFree(this.hintPool, firstBlock, lastBlock, next);
      if (block === undefined) break;
      const blockRange = this.blockRange(block);
      const from = Math.max(window.first, blockRange.first);
      const to = Math.min(window.last, blockRange.last);
      const found = txn.firstFree(this.pool, from, to, Math.min(Math.max(start, from), to));
      if (found !== undefined) return found;
      // Marked only when the whole block was searched; an edge block may have room outside the window.
      if (from === blockRange.first && to === blockRange.last) txn.allocate(this.hintPool, block, HINT_OWNER);
      next = block === lastBlock ? firstBlock : block + 1;
    }
    return txn.firstFree(this.pool, window.first, window.last, start);
  }

  /** Every release goes through here, so a block with room is never hidden for long. */
  released(txn: StoreTransaction, value: number): void {
    txn.release(this.hintPool, this.blockOf(value));
  }
}
