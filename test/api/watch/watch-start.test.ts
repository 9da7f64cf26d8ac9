import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { watchStart } from '../../../api/watch/watch-start.js';

describe('watchStart', () => {
  const cases: { resourceVersion: string | undefined; sendInitialEvents: boolean | undefined; expected: ReturnType<typeof watchStart> }[] = [
    { resourceVersion: undefined, sendInitialEvents: undefined, expected: { kind: 'initial-state', initialEventsEndBookmark: false } },
    { resourceVersion: '0', sendInitialEvents: undefined, expected: { kind: 'initial-state', initialEventsEndBookmark: false } },
    { resourceVersion: '42', sendInitialEvents: undefined, expected: { kind: 'after', revision: 42 } },
    { resourceVersion: undefined, sendInitialEvents: true, expected: { kind: 'initial-state', initialEventsEndBookmark: true } },
    { resourceVersion: '0', sendInitialEvents: true, expected: { kind: 'initial-state', initialEventsEndBookmark: true } },
    { resourceVersion: '42', sendInitialEvents: true, expected: { kind: 'initial-state', initialEventsEndBookmark: true } },
    { resourceVersion: undefined, sendInitialEvents: false, expected: { kind: 'now' } },
    { resourceVersion: '0', sendInitialEvents: false, expected: { kind: 'now' } },
    { resourceVersion: '42', sendInitialEvents: false, expected: { kind: 'after', revision: 42 } },
  ];
  for (const { resourceVersion, sendInitialEvents, expected } of cases) {
    it(`starts a watch with resourceVersion=${resourceVersion ?? 'unset'} and sendInitialEvents=${sendInitialEvents ?? 'unset'} as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(watchStart(resourceVersion, sendInitialEvents), expected);
    });
  }
});
