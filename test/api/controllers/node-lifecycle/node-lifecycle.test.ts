import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMonitorPeriodMs, lastHeartbeat, markNodeStatusUnknown, markPodNotReady } from '../../../../api/controllers/node-lifecycle/node-lifecycle-controller.js';
import type { Node } from '../../../../api/schemas/node.js';
import { pod } from '../fixtures.js';

const NOW = '2024-05-01T10:00:00Z';

describe('node lifecycle rules', () => {
  it('takes the newer of the Lease renewTime and the Ready heartbeat', () => {
    const node: Node = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-05-01T09:00:00Z' }] } };
    const lease = { metadata: { name: 'n' }, spec: { renewTime: '2024-05-01T09:30:00.250000Z' } };
    assert.equal(lastHeartbeat(node, lease), Date.parse('2024-05-01T09:30:00.25Z'));
    assert.equal(lastHeartbeat(node, undefined), Date.parse('2024-05-01T09:00:00Z'));
    assert.equal(lastHeartbeat({ metadata: { name: 'n' } }, undefined), undefined);
  });

  it('turns a silent node’s conditions Unknown with upstream’s reasons', () => {
    const node: Node = {
      metadata: { name: 'n', creationTimestamp: '2024-05-01T08:00:00Z' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2024-05-01T09:00:00Z', lastTransitionTime: '2024-05-01T08:00:00Z' }] },
    };
    assert.equal(markNodeStatusUnknown(node, NOW), true);
    const [ready, memory] = node.status!.conditions!;
    assert.deepEqual(ready, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: '2024-05-01T09:00:00Z', lastTransitionTime: NOW });
    assert.deepEqual(memory, { type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: '2024-05-01T08:00:00Z', lastTransitionTime: NOW });
    assert.deepEqual(node.status!.conditions!.map((c) => c.type), ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    assert.equal(markNodeStatusUnknown(node, '2024-05-01T11:00:00Z'), false, 'an Unknown node is left as it is');
  });

  it('marks a pod not ready once, moving the transition time', () => {
    const p = pod('a');
    p.status!.conditions = [{ type: 'Ready', status: 'True', reason: 'PodCompleted', lastTransitionTime: '2024-05-01T09:00:00Z' }];
    assert.equal(markPodNotReady(p, NOW), true);
    assert.deepEqual(p.status!.conditions, [{ type: 'Ready', status: 'False', reason: 'PodCompleted', lastProbeTime: null, lastTransitionTime: NOW }]);
    assert.equal(markPodNotReady(p, NOW), false);
    assert.equal(markPodNotReady(pod('b', { ready: false }), NOW), false);
  });

  it('checks four times per grace period, at most every 5 s', () => {
    assert.equal(defaultMonitorPeriodMs(40_000), 5000);
    assert.equal(defaultMonitorPeriodMs(1500), 375);
  });
});
