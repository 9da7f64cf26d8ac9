import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoDuration, KUBELET_BACKOFF, RestartBackoff } from '../../../../../clients/agent/node/runtime/restart-backoff.js';

describe('restart back-off', () => {
  it('restarts at once, then waits 10 s doubling up to 5 min', () => {
    const backoff = new RestartBackoff(KUBELET_BACKOFF);
    const delays = Array.from({ length: 8 }, () => backoff.delayAfterExit(1000));
    assert.deepEqual(delays, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('starts over after a container ran for 10 minutes', () => {
    const backoff = new RestartBackoff(KUBELET_BACKOFF);
    backoff.delayAfterExit(1000);
    backoff.delayAfterExit(1000);
    assert.equal(backoff.delayAfterExit(600_000), 0);
    assert.equal(backoff.delayAfterExit(1000), 10_000);
  });

  it('resumes where a previous agent left off', () => {
    assert.equal(RestartBackoff.resumed(KUBELET_BACKOFF, 3).delayAfterExit(1000), 40_000);
  });

  it('prints durations as Go does', () => {
    assert.deepEqual([10_000, 160_000, 300_000].map(formatGoDuration), ['10s', '2m40s', '5m0s']);
  });
});
