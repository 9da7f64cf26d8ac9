import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredPodStatus, podPhase } from '../../../../clients/agent/node/pod-status.js';
import type { ContainerRuntimeStatus } from '../../../../clients/agent/node/runtime/container-worker.js';
import type { ContainerStatus, Pod } from '../../../../clients/client/types.js';

const podWith = (restartPolicy: 'Always' | 'OnFailure' | 'Never'): Pod => ({ metadata: { name: 'p', uid: 'u' }, spec: { restartPolicy, containers: [{ name: 'a' }, { name: 'b' }] } });
const running: ContainerStatus = { name: 'x', ready: true, restartCount: 0, state: { running: { startedAt: 'T' } } };
const waiting: ContainerStatus = { name: 'x', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } };
const exited = (exitCode: number): ContainerStatus => ({ name: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
const crashLooping: ContainerStatus = { name: 'x', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };

describe('pod phase (the kubelet getPhase)', () => {
  const cases: Array<[string, 'Always' | 'OnFailure' | 'Never', ContainerStatus[], string]> = [
    ['a container that never ran keeps the Pod Pending', 'Always', [running, waiting], 'Pending'],
    ['running containers make it Running', 'Never', [running, exited(0)], 'Running'],
    ['a crash-looping container stays Running', 'Always', [crashLooping, running], 'Running'],
    ['all succeeded under Never', 'Never', [exited(0), exited(0)], 'Succeeded'],
    ['all succeeded under OnFailure', 'OnFailure', [exited(0), exited(0)], 'Succeeded'],
    ['one failed under Never', 'Never', [exited(0), exited(3)], 'Failed'],
    ['one failed under OnFailure restarts', 'OnFailure', [exited(0), exited(3)], 'Running'],
    ['all ended under Always restarts', 'Always', [exited(0), exited(0)], 'Running'],
  ];
  for (const [title, policy, statuses, want] of cases) it(title, () => assert.equal(podPhase(podWith(policy), statuses), want));

  it('takes container states, readiness and lastState from the runtime', () => {
    const pod: Pod = { ...podWith('Always'), status: { podIP: '127.100.0.2' } };
    const observed: Record<string, ContainerRuntimeStatus> = {
      a: { state: { running: { startedAt: '2030-01-01T00:00:00Z' } }, restartCount: 1, started: true, instance: '1-2', imageID: 'skiff-image://x', containerID: 'skiff://9', lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: 'S', finishedAt: 'F' } } },
      b: { state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=b pod=p_(u)' } }, restartCount: 3, started: false, instance: undefined, imageID: 'skiff-image://x', lastState: { terminated: { exitCode: 2, reason: 'Error', startedAt: 'S', finishedAt: 'F' } } },
    };
    const status = desiredPodStatus(pod, { now: '2030-01-01T00:00:01Z', hostIP: undefined, probeReady: () => undefined, runtime: (name) => observed[name] });
    assert.equal(status.phase, 'Running');
    const [a, b] = status.containerStatuses ?? [];
    assert.equal(a?.ready, true);
    assert.equal(a?.containerID, 'skiff://9');
    assert.deepEqual(a?.lastState, { terminated: { exitCode: 1, reason: 'Error', startedAt: 'S', finishedAt: 'F' } });
    assert.equal(b?.ready, false);
    assert.equal(b?.restartCount, 3);
    assert.equal(status.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
  });
});
