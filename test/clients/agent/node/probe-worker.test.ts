import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Probe } from '../../../../clients/client/types.js';
import { ProbeWorker } from '../../../../clients/agent/node/probe-worker.js';
import type { ProbeOutcome } from '../../../../clients/agent/node/readiness-probe.js';
import { FakeClock } from '../support/fake-clock.js';

function harness(probe: Probe, runningForMs = 0) {
  const clock = new FakeClock();
  const results: boolean[] = [];
  let next: ProbeOutcome | undefined = { success: true, message: 'ok' };
  const attempts: number[] = [];
  const changes: boolean[] = [];
  const worker = new ProbeWorker({
    probe,
    runningForMs,
    clock,
    attempt: async () => {
      attempts.push(clock.now());
      if (next !== undefined) results.push(next.success);
      return next;
    },
    onChange: (ready) => changes.push(ready),
  }).start();
  return {
    clock,
    worker,
    attempts,
    changes,
    results,
    set(success: boolean | undefined) {
      next = success === undefined ? undefined : { success, message: success ? 'ok' : 'HTTP probe failed with statuscode: 503' };
    },
  };
}

describe('ProbeWorker', () => {
  it('starts not ready and becomes ready on the first success', async () => {
    const h = harness({ periodSeconds: 10 });
    assert.equal(h.worker.ready, false);
    await h.clock.advance(0);
    assert.equal(h.worker.ready, true);
    assert.deepEqual(h.changes, [true]);
    h.worker.stop();
  });

  it('probes every periodSeconds, default 10', async () => {
    const h = harness({});
    await h.clock.advance(35_000);
    assert.deepEqual(h.attempts, [0, 10_000, 20_000, 30_000]);
    h.worker.stop();
  });

  it('waits initialDelaySeconds, less the time the container has already been running', async () => {
    const fresh = harness({ initialDelaySeconds: 5, periodSeconds: 1 });
    await fresh.clock.advance(4_999);
    assert.deepEqual(fresh.attempts, []);
    await fresh.clock.advance(1);
    assert.deepEqual(fresh.attempts, [5_000]);
    fresh.worker.stop();
    const old = harness({ initialDelaySeconds: 5, periodSeconds: 1 }, 3_000);
    await old.clock.advance(2_000);
    assert.deepEqual(old.attempts, [2_000]);
    old.worker.stop();
  });

  it('turns not ready only after failureThreshold failures in a row (default 3)', async () => {
    const h = harness({ periodSeconds: 1 });
    await h.clock.advance(0);
    h.set(false);
    await h.clock.advance(2_000);
    assert.equal(h.worker.ready, true, 'two failures are not enough');
    h.set(true);
    await h.clock.advance(1_000);
    h.set(false);
    await h.clock.advance(2_000);
    assert.equal(h.worker.ready, true, 'a success in between resets the count');
    await h.clock.advance(1_000);
    assert.equal(h.worker.ready, false);
    assert.deepEqual(h.changes, [true, false]);
    h.worker.stop();
  });

  it('turns ready only after successThreshold successes in a row', async () => {
    const h = harness({ periodSeconds: 1, successThreshold: 3, failureThreshold: 1 });
    await h.clock.advance(1_000);
    assert.equal(h.worker.ready, false);
    await h.clock.advance(1_000);
    assert.equal(h.worker.ready, true);
    h.set(false);
    await h.clock.advance(1_000);
    assert.equal(h.worker.ready, false);
    assert.deepEqual(h.changes, [true, false]);
    h.worker.stop();
  });

  it('counts nothing while the probe cannot run (no Pod IP yet)', async () => {
    const h = harness({ periodSeconds: 1 });
    h.set(undefined);
    await h.clock.advance(3_000);
    assert.equal(h.worker.ready, false);
    assert.equal(h.attempts.length, 4);
    h.set(true);
    await h.clock.advance(1_000);
    assert.equal(h.worker.ready, true);
    h.worker.stop();
  });

  it('probes no more once stopped', async () => {
    const h = harness({ periodSeconds: 1 });
    await h.clock.advance(1_000);
    h.worker.stop();
    const count = h.attempts.length;
    await h.clock.advance(10_000);
    assert.equal(h.attempts.length, count);
    assert.equal(h.clock.pendingTimers, 0);
  });
});
