import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../../clients/agent/duration.js';

describe('parseDuration', () => {
  it('reads Go durations', () => {
    assert.deepEqual(['1s', '500ms', '1m30s', '1.5h', '0', '.5s', '250us'].map(parseDuration), [1000, 500, 90_000, 5_400_000, 0, 500, 0.25]);
  });

  it('rejects numbers without a unit and other text', () => {
    assert.deepEqual(['30', '1x', 's', '1s2', '', '-1s', '1 s'].map(parseDuration), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('formats as Go does', () => {
    assert.deepEqual([0, 500, 1000, 90_000, 3_600_000].map(formatDuration), ['0s', '500ms', '1s', '1m30s', '1h0m0s']);
  });
});
