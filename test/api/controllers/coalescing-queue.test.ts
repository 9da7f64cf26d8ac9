import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { CoalescingQueue } from '../../../api/controllers/coalescing-queue.js';

describe('coalescing queue', () => {
  it('processes a key added many times in one tick once, with its earliest trigger time', async () => {
    const seen: [string, number | undefined][] = [];
    const queue = new CoalescingQueue((key, trigger) => {
      seen.push([key, trigger]);
    });
    queue.add('a', 30);
    queue.add('a', 10);
    queue.add('b');
    queue.add('a', 20);
    await tick();
    assert.deepEqual(seen, [['a', 10], ['b', undefined]]);
    queue.stop();
  });

  it('retries a failing key with its trigger time', async () => {
    let calls = 0;
    const triggers: (number | undefined)[] = [];
    const queue = new CoalescingQueue((_key, trigger) => {
      calls++;
      triggers.push(trigger);
      if (calls < 3) throw new Error('conflict');
    }, { retryDelayMs: 1 });
    queue.add('a', 5);
    for (let i = 0; i < 100 && calls < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(calls, 3);
    assert.deepEqual(triggers, [5, 5, 5]);
    queue.stop();
  });

  it('holds a key while its write is in flight and runs it again once it settles', async () => {
    const log: string[] = [];
    let finish: (() => void) | undefined;
    const queue = new CoalescingQueue((key, trigger) => {
      log.push(`${key}@${trigger}`);
      if (log.length === 1) return new Promise<void>((resolve) => { finish = resolve; });
      return undefined;
    });
    queue.add('a', 1);
    await tick();
    queue.add('a', 2);
    queue.add('b', 3);
    await tick();
    await tick();
    assert.deepEqual(log, ['a@1', 'b@3']);
    finish!();
    await tick();
    await tick();
    assert.deepEqual(log, ['a@1', 'b@3', 'a@2']);
    queue.stop();
  });

  it('retries a key whose write was rejected', async () => {
    let calls = 0;
    const queue = new CoalescingQueue(() => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('conflict')) : undefined;
    }, { retryDelayMs: 1 });
    queue.add('a');
    for (let i = 0; i < 100 && calls < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(calls, 2);
    queue.stop();
  });

  it('does nothing once stopped', async () => {
    let calls = 0;
    const queue = new CoalescingQueue(() => {
      calls++;
    });
    queue.add('a');
    queue.stop();
    queue.add('b');
    await tick();
    assert.equal(calls, 0);
  });
});
