import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventCells, eventColumns } from '../../../api/tables/event-columns.js';
import { leaseCells, leaseColumns } from '../../../api/tables/lease-columns.js';
import { NOW, ago } from './fixtures.js';

describe('event columns', () => {
  it('puts Last Seen, Type, Reason, Object, Message first and the rest wide', () => {
    assert.deepEqual(eventColumns.filter((c) => c.priority === 0).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    assert.equal(eventColumns.find((c) => c.name === 'Name')?.format, 'name');
  });

  it('prints a core/v1 event', () => {
    const event = {
      metadata: { name: 'web-1.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-1 to node-1\n',
      source: { component: 'default-scheduler' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      count: 3,
      type: 'Normal',
    };
    assert.deepEqual(eventCells(event, NOW), [
      '30s', 'Normal', 'Scheduled', 'pod/web-1', 'spec.containers{app}', 'default-scheduler', 'Successfully assigned default/web-1 to node-1', '10m', 3, 'web-1.17a',
    ]);
  });

  it('reads events.k8s.io-style fields: eventTime, series, reporting controller', () => {
    const event = {
      metadata: { name: 'e' },
      involvedObject: { kind: 'Node' },
      eventTime: ago(120),
      series: { count: 7, lastObservedTime: ago(5) },
      reportingController: 'skiff-agent',
      reportingInstance: 'node-1',
      type: 'Warning',
    };
    const cells = eventCells(event, NOW);
    assert.deepEqual([cells[0], cells[3], cells[5], cells[7], cells[8]], ['5s', 'node', 'skiff-agent, node-1', '2m', 7]);
  });

  it('counts a singleton event as 1', () => {
    assert.equal(eventCells({ metadata: { name: 'e' } }, NOW)[8], 1);
  });
});

describe('lease columns', () => {
  it('prints the holder', () => {
    assert.deepEqual(leaseColumns.map((c) => c.name), ['Name', 'Holder', 'Age']);
    assert.deepEqual(leaseCells({ metadata: { name: 'node-1', creationTimestamp: ago(45) }, spec: { holderIdentity: 'node-1' } }, NOW), ['node-1', 'node-1', '45s']);
    assert.deepEqual(leaseCells({ metadata: { name: 'x' }, spec: {} }, NOW), ['x', '', '<unknown>']);
  });
});
