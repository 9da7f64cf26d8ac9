import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, translateTimestampSince } from '../../../api/tables/age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  const cases: Array<[number, string]> = [
    [-3 * s, '<invalid>'],
    [-2 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 3 * s, '2m3s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 10 * m, '3h10m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [5 * d + 4 * h, '5d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [2 * y, '2y'],
    [2 * y + 45 * d, '2y45d'],
    [7 * y + 364 * d, '7y364d'],
    [8 * y + 100 * d, '8y'],
  ];
  for (const [ms, expected] of cases) {
    it(`prints ${ms} ms as ${expected}`, () => {
      assert.equal(humanDuration(ms), expected);
    });
  }
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');

  it('measures an RFC 3339 timestamp against now', () => {
    assert.equal(translateTimestampSince('2025-01-01T11:55:00Z', now), '5m');
  });

  it('prints <unknown> for a missing timestamp', () => {
    assert.equal(translateTimestampSince(undefined, now), '<unknown>');
    assert.equal(translateTimestampSince(null, now), '<unknown>');
    assert.equal(translateTimestampSince('', now), '<unknown>');
  });

  it('prints <unknown> for an unreadable timestamp', () => {
    assert.equal(translateTimestampSince('yesterday-ish', now), '<unknown>');
  });

  it('accepts milliseconds since the epoch', () => {
    assert.equal(translateTimestampSince(now - 3 * h, now), '3h');
  });
});
