import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { transitionFor } from '../../../api/watch/watch-transition.js';

describe('transitionFor', () => {
  const cases = [
    ['ADDED', false, true, 'ADDED'],
    ['ADDED', false, false, undefined],
    ['MODIFIED', true, true, 'MODIFIED'],
    ['MODIFIED', false, true, 'ADDED'],
    ['MODIFIED', true, false, 'DELETED'],
    ['MODIFIED', false, false, undefined],
    ['DELETED', true, false, 'DELETED'],
    ['DELETED', false, false, undefined],
    // A deletion never "matches now", and an addition never "matched before", whatever is passed.
    ['DELETED', true, true, 'DELETED'],
    ['ADDED', true, true, 'ADDED'],
  ] as const;
  for (const [type, before, now, expected] of cases) {
    it(`sends a ${type} that matched before: ${before}, matches now: ${now} as ${expected ?? 'nothing'}`, () => {
      assert.equal(transitionFor(type, before, now), expected);
    });
  }
});
