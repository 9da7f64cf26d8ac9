import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../../clients/client/backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => backoff.next()), [100, 200, 400, 800, 1000, 1000]);
  });

  it('starts over from the initial delay after reset()', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    assert.equal(backoff.next(), 100);
  });

  it('adds at most the jitter fraction on top of each delay', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 5000, jitter: 0.5, random: () => 1 });
    assert.equal(backoff.next(), 150);
    const none = new Backoff({ initialMs: 100, maxMs: 5000, jitter: 0.5, random: () => 0 });
    assert.equal(none.next(), 100);
  });

  it('defaults to 100 ms growing to a 5 s cap', () => {
    const backoff = new Backoff({ jitter: 0 });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    assert.equal(delays[0], 100);
    assert.equal(delays.at(-1), 5000);
  });

  it('rejects a cap below the initial delay', () => {
    assert.throws(() => new Backoff({ initialMs: 500, maxMs: 100 }), RangeError);
  });
});
