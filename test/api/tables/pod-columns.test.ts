import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podCells, podColumns, podRowConditions } from '../../../api/tables/pod-columns.js';
import { NOW, ago } from './fixtures.js';

function pod(overrides: { metadata?: object; spec?: object; status?: object } = {}): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(300), ...overrides.metadata },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...overrides.spec },
    status: overrides.status ?? {},
  };
}

const running = (name = 'app', restartCount = 0, extra: object = {}): object => ({
  name,
  ready: true,
  restartCount,
  state: { running: { startedAt: ago(200) } },
  ...extra,
});

describe('pod columns', () => {
  it('defines the columns kubectl prints, wide ones at priority 1', () => {
    assert.deepEqual(
      podColumns.map((c) => [c.name, c.priority]),
      [['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1]],
    );
    assert.equal(podColumns[0]!.format, 'name');
  });

  it('prints a running pod', () => {
    const cells = podCells(pod({
      spec: { nodeName: 'node-1' },
      status: { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], containerStatuses: [running()] },
    }), NOW);
    assert.deepEqual(cells, ['web-1', '1/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', '<none>', '<none>']);
  });

  it('prints <none> for an unscheduled pod with no IP', () => {
    assert.deepEqual(podCells(pod({ status: { phase: 'Pending' } }), NOW), ['web-1', '0/1', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('falls back to status.podIP when podIPs is absent', () => {
    assert.equal(podCells(pod({ status: { phase: 'Running', podIP: '10.0.0.9' } }), NOW)[5], '10.0.0.9');
  });

  it('takes readiness from the Ready condition when there are no container statuses', () => {
    const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const notReady = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };
    const two = { containers: [{ name: 'a' }, { name: 'b' }] };
    assert.equal(podCells(pod({ spec: two, status: ready }), NOW)[1], '2/2');
    assert.equal(podCells(pod({ spec: two, status: notReady }), NOW)[1], '0/2');
  });

  it('counts only ready, running containers', () => {
    const status = {
      phase: 'Running',
      containerStatuses: [running('a'), { name: 'b', ready: false, restartCount: 0, state: { running: {} } }],
    };
    assert.equal(podCells(pod({ spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status }), NOW)[1], '1/2');
  });

  it('reads a container status without any state by its ready flag', () => {
    const status = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0 }] };
    assert.equal(podCells(pod({ status }), NOW)[1], '1/1');
    const waiting = { phase: 'Pending', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { waiting: {} } }] };
    assert.equal(podCells(pod({ status: waiting }), NOW)[1], '0/1');
  });

  it('shows a waiting container reason such as CrashLoopBackOff', () => {
    const status = {
      phase: 'Running',
      containerStatuses: [{
        name: 'app', ready: false, restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } },
      }],
    };
    const cells = podCells(pod({ status }), NOW);
    assert.equal(cells[2], 'CrashLoopBackOff');
    assert.equal(cells[3], '4 (90s ago)');
  });

  it('prints restarts without a time when no termination is recorded', () => {
    assert.equal(podCells(pod({ status: { phase: 'Running', containerStatuses: [running('app', 3)] } }), NOW)[3], '3');
  });

  it('shows Completed for a container that terminated with a reason', () => {
    const status = { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
    assert.deepEqual(podCells(pod({ status }), NOW).slice(1, 3), ['0/1', 'Completed']);
  });

  it('shows ExitCode and Signal for containers that terminated without a reason', () => {
    const exit = { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137 } } }] };
    const signal = { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, signal: 9 } } }] };
    assert.equal(podCells(pod({ status: exit }), NOW)[2], 'ExitCode:137');
    assert.equal(podCells(pod({ status: signal }), NOW)[2], 'Signal:9');
  });

  it('reports Running again when one container completed and another still runs', () => {
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [running('a'), { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    };
    assert.equal(podCells(pod({ spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status }), NOW)[2], 'Running');
  });

  it('shows init container progress', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    const status = {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'i2', state: { running: {} } },
      ],
    };
    assert.equal(podCells(pod({ spec, status }), NOW)[2], 'Init:1/2');
  });

  it('shows a failing init container', () => {
    const spec = { initContainers: [{ name: 'i1' }] };
    const waiting = { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] };
    const failed = { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 3 } } }] };
    assert.equal(podCells(pod({ spec, status: waiting }), NOW)[2], 'Init:CrashLoopBackOff');
    assert.equal(podCells(pod({ spec, status: waiting }), NOW)[3], '2');
    assert.equal(podCells(pod({ spec, status: failed }), NOW)[2], 'Init:ExitCode:3');
  });

  it('counts a started sidecar init container among the containers', () => {
    const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 1, state: { running: {} } }],
      containerStatuses: [running()],
    };
    assert.deepEqual(podCells(pod({ spec, status }), NOW).slice(1, 4), ['2/2', 'Running', '1']);
  });

  it('prints Terminating for a pod being deleted', () => {
    const cells = podCells(pod({ metadata: { deletionTimestamp: ago(1) }, status: { phase: 'Running', containerStatuses: [running()] } }), NOW);
    assert.equal(cells[2], 'Terminating');
  });

  it('keeps the terminal phase of a finished pod being deleted', () => {
    assert.equal(podCells(pod({ metadata: { deletionTimestamp: ago(1) }, status: { phase: 'Succeeded' } }), NOW)[2], 'Succeeded');
  });

  it('prints Unknown for a pod deleted on an unreachable node', () => {
    assert.equal(podCells(pod({ metadata: { deletionTimestamp: ago(1) }, status: { phase: 'Running', reason: 'NodeLost' } }), NOW)[2], 'Unknown');
  });

  it('prefers status.reason over the phase', () => {
    assert.equal(podCells(pod({ status: { phase: 'Failed', reason: 'Evicted' } }), NOW)[2], 'Evicted');
  });

  it('shows SchedulingGated', () => {
    const status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] };
    assert.equal(podCells(pod({ status }), NOW)[2], 'SchedulingGated');
  });

  it('shows nominated node and readiness gates', () => {
    const spec = { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] };
    const status = { phase: 'Pending', nominatedNodeName: 'node-2', conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }] };
    assert.deepEqual(podCells(pod({ spec, status }), NOW).slice(7), ['node-2', '1/2']);
  });

  it('never throws on malformed input', () => {
    for (const input of [null, undefined, 42, 'pod', [], {}, { metadata: 5, spec: [], status: 'x' }, { spec: { containers: 'x' }, status: { containerStatuses: [null, 7] } }]) {
      const cells = podCells(input, NOW);
      assert.equal(cells.length, podColumns.length);
    }
    assert.deepEqual(podCells({}, NOW), ['', '0/0', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>']);
  });

  it('marks finished pods with a Completed row condition', () => {
    assert.deepEqual(podRowConditions(pod({ status: { phase: 'Succeeded' } })), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    assert.equal(podRowConditions(pod({ status: { phase: 'Failed' } }))?.[0]?.reason, 'Failed');
    assert.equal(podRowConditions(pod({ status: { phase: 'Running' } })), undefined);
  });
});
