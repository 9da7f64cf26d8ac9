import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateEvent } from '../../../api/resources/event.js';
import type { Event } from '../../../api/schemas/event.js';

function event(overrides: Partial<Event> = {}): Event {
  return {
    metadata: { name: 'web-1.abc', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' },
    reason: 'Scheduled',
    message: 'assigned',
    type: 'Normal',
    ...overrides,
  };
}

const messages = (e: Event) => validateEvent(e).causes.map((c) => `${c.field}: ${c.message}`);

describe('validateEvent (core/v1 legacy validation)', () => {
  it('accepts an event about an object in its own namespace', () => {
    assert.deepEqual(messages(event()), []);
  });

  it('refuses an event whose involved object lives in another namespace', () => {
    assert.deepEqual(messages(event({ involvedObject: { kind: 'Pod', name: 'x', namespace: 'other' } })), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  it('lets an event about a cluster-scoped object live in default, for old clients', () => {
    assert.deepEqual(messages(event({ involvedObject: { kind: 'Node', name: 'node-a' } })), []);
    const elsewhere = event({ involvedObject: { kind: 'Node', name: 'node-a' } });
    elsewhere.metadata.namespace = 'team-a';
    assert.deepEqual(messages(elsewhere), ['involvedObject.namespace: Invalid value: "": does not match event.namespace']);
  });

  it('requires the reporter, action and reason of a new-style event with eventTime', () => {
    assert.deepEqual(messages(event({ eventTime: '2026-01-01T00:00:00.000000Z', reason: '' })), [
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
    assert.deepEqual(messages(event({ eventTime: '2026-01-01T00:00:00.000000Z', reportingComponent: 'skiff.io/scheduler', reportingInstance: 'skiff-1', action: 'Binding' })), []);
  });
});
