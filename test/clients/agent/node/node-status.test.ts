import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../../../clients/client/types.js';
import type { HostInfo } from '../../../../clients/agent/node/host-info.js';
import { desiredNodeStatus, nodeStatusChanged } from '../../../../clients/agent/node/node-status.js';

const host: HostInfo = { capacity: { cpu: '4', memory: '8000000Ki', pods: '110' }, nodeInfo: { kernelVersion: '6.1.0', architecture: 'amd64', operatingSystem: 'linux' } };
const identity = { name: 'node-a', ips: ['192.168.1.10'] };
const T0 = '2030-01-01T00:00:00Z';
const T1 = '2030-01-01T00:00:10Z';

describe('desiredNodeStatus', () => {
  it('reports addresses, capacity, allocatable, nodeInfo and the four conditions with Ready True', () => {
    const status = desiredNodeStatus(undefined, identity, host, T0, true);
    assert.deepEqual(status.addresses, [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node-a' }]);
    assert.deepEqual(status.capacity, host.capacity);
    assert.deepEqual(status.allocatable, host.capacity);
    assert.equal(status.nodeInfo?.kernelVersion, '6.1.0');
    assert.deepEqual(status.conditions?.map((c) => [c.type, c.status, c.lastHeartbeatTime]), [
      ['MemoryPressure', 'False', T0],
      ['DiskPressure', 'False', T0],
      ['PIDPressure', 'False', T0],
      ['Ready', 'True', T0],
    ]);
    assert.equal(status.conditions?.[3]?.reason, 'KubeletReady');
  });

  it('sees no change when only heartbeat times would move', () => {
    const stored: Node = { metadata: { name: 'node-a' }, status: desiredNodeStatus(undefined, identity, host, T0, true) };
    const desired = desiredNodeStatus(stored, identity, host, T1, true);
    assert.equal(desired.conditions?.[3]?.lastHeartbeatTime, T1);
    assert.equal(desired.conditions?.[3]?.lastTransitionTime, T0);
    assert.equal(nodeStatusChanged(stored.status, desired), false);
  });

  it('sees a change when the lifecycle controller marked the node Unknown, and flips it back to True', () => {
    const status = desiredNodeStatus(undefined, identity, host, T0, true);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (ready) Object.assign(ready, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    const stored: Node = { metadata: { name: 'node-a' }, status };
    const desired = desiredNodeStatus(stored, identity, host, T1, true);
    assert.equal(nodeStatusChanged(stored.status, desired), true);
    assert.deepEqual(desired.conditions?.find((c) => c.type === 'Ready'), {
      type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'skiff agent is posting ready status', lastHeartbeatTime: T1, lastTransitionTime: T1,
    });
  });

  it('keeps conditions and fields set by others', () => {
    const stored: Node = { metadata: { name: 'node-a' }, status: { conditions: [{ type: 'NetworkUnavailable', status: 'False' }], capacity: { 'example.com/gpu': '1' } } };
    const desired = desiredNodeStatus(stored, identity, host, T0, true);
    assert.equal(desired.conditions?.[0]?.type, 'NetworkUnavailable');
    assert.equal(desired.capacity?.['example.com/gpu'], '1');
  });
});
