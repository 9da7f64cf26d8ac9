import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../../clients/client/types.js';
import { desiredPodStatus, sameStatus } from '../../../../clients/agent/node/pod-status.js';

const T0 = '2030-01-01T00:00:00Z';
const T1 = '2030-01-01T00:01:00Z';

// A field the agent does not own (the client types do not model it): it must survive every write.
const serverFields: Record<string, unknown> = { qosClass: 'BestEffort' };

function pod(status: Pod['status'] = {}, containers = [{ name: 'web', image: 'nginx' }]): Pod {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { nodeName: 'node-a', containers }, status: { phase: 'Pending', ...serverFields, ...status } };
}

const withIP = { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] };

function condition(status: ReturnType<typeof desiredPodStatus>, type: string) {
  return status.conditions?.find((c) => c.type === type);
}

describe('desiredPodStatus', () => {
  it('reports a Pod with an IP and no probe as Running and Ready with running containers', () => {
    const status = desiredPodStatus(pod(withIP), { now: T0, hostIP: '192.168.1.10', probeReady: () => undefined });
    assert.equal(status.phase, 'Running');
    assert.equal(status.hostIP, '192.168.1.10');
    assert.deepEqual(status.hostIPs, [{ ip: '192.168.1.10' }]);
    assert.equal(status.podIP, '10.244.1.5');
    assert.equal((status as Record<string, unknown>).qosClass, 'BestEffort');
    assert.equal(status.startTime, T0);
    assert.deepEqual(status.containerStatuses, [
      { name: 'web', ready: true, restartCount: 0, image: 'nginx', imageID: '', started: true, state: { running: { startedAt: T0 } } },
    ]);
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status]), [
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ]);
  });

  it('keeps a Pod without an IP not ready', () => {
    const status = desiredPodStatus(pod(), { now: T0, hostIP: undefined, probeReady: () => undefined });
    assert.equal(status.phase, 'Running');
    assert.equal(condition(status, 'Ready')?.status, 'False');
    assert.equal(condition(status, 'Ready')?.reason, 'ContainersNotReady');
  });

  it('follows the probe of each container and names the unready ones', () => {
    const containers = [{ name: 'web', image: 'a' }, { name: 'sidecar', image: 'b' }, { name: 'db', image: 'c' }];
    const status = desiredPodStatus(pod(withIP, containers), { now: T0, hostIP: 'h', probeReady: (name) => (name === 'web' ? true : name === 'db' ? false : undefined) });
    assert.deepEqual(status.containerStatuses?.map((s) => [s.name, s.ready]), [['web', true], ['sidecar', true], ['db', false]]);
    assert.deepEqual(condition(status, 'Ready'), { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [db]', lastTransitionTime: T0 });
    assert.equal(condition(status, 'ContainersReady')?.message, 'containers with unready status: [db]');
  });

  it('moves lastTransitionTime only when a condition changes, and keeps start times', () => {
    const first = desiredPodStatus(pod(withIP), { now: T0, hostIP: 'h', probeReady: () => false });
    const same = desiredPodStatus(pod(first), { now: T1, hostIP: 'h', probeReady: () => false });
    assert.ok(sameStatus(same, first), 'nothing changed, so nothing to write');
    const flipped = desiredPodStatus(pod(first), { now: T1, hostIP: 'h', probeReady: () => true });
    assert.equal(condition(flipped, 'Ready')?.lastTransitionTime, T1);
    assert.equal(condition(flipped, 'Initialized')?.lastTransitionTime, T0);
    assert.equal(flipped.startTime, T0);
    assert.equal(flipped.containerStatuses?.[0]?.state?.running?.startedAt, T0);
  });

  it('keeps conditions it does not own, such as those of a readiness gate or the scheduler', () => {
    const status = desiredPodStatus(pod({ ...withIP, conditions: [{ type: 'example.com/gate', status: 'True', lastTransitionTime: T0 }, { type: 'PodScheduled', status: 'True', lastTransitionTime: T0 }] }), { now: T1, hostIP: 'h', probeReady: () => undefined });
    assert.deepEqual(status.conditions?.map((c) => c.type), ['example.com/gate', 'PodScheduled', 'Initialized', 'Ready', 'ContainersReady']);
    assert.equal(condition(status, 'PodScheduled')?.lastTransitionTime, T0);
  });

  it('keeps the server-assigned hostIP when the agent has none to report', () => {
    const status = desiredPodStatus(pod({ ...withIP, hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }] }), { now: T0, hostIP: undefined, probeReady: () => undefined });
    assert.equal(status.hostIP, '10.0.0.1');
  });
});

describe('sameStatus', () => {
  it('ignores key order and fields that are null or missing', () => {
    assert.ok(sameStatus({ a: 1, b: { c: null, d: [1, { e: undefined }] } }, { b: { d: [1, {}] }, a: 1 }));
    assert.ok(!sameStatus({ a: 1 }, { a: 2 }));
    assert.ok(!sameStatus({ a: [1, 2] }, { a: [2, 1] }));
  });
});
