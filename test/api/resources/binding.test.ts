import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '../../../api/errors.js';
import type { Pod } from '../../../api/schemas/pod.js';
import { applyPodBinding, validatePodBinding } from '../../../api/resources/binding.js';

function pendingPod(): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '4' },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
  };
}

describe('pod binding', () => {
  it('requires a target node name', () => {
    assert.deepEqual(validatePodBinding({ target: { kind: 'Node' } }).causes[0], { reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' });
  });

  it('binds to nodes only', () => {
    assert.deepEqual(validatePodBinding({ target: { kind: 'Pod', name: 'x' } }).causes[0]?.message, 'Unsupported value: "Pod": supported values: "Node", "<empty>"');
  });

  it('sets the node and marks the pod scheduled', () => {
    const pod = pendingPod();
    applyPodBinding(pod, { metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } }, '2024-01-01T00:01:00Z');
    assert.equal(pod.spec!.nodeName, 'node-1');
    assert.deepEqual(pod.status!.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:01:00Z' }]);
  });

  it('refuses to bind a pod twice', () => {
    const pod = pendingPod();
    pod.spec!.nodeName = 'node-2';
    assert.throws(
      () => applyPodBinding(pod, { target: { name: 'node-1' } }, '2024-01-01T00:01:00Z'),
      (error: unknown) => error instanceof ConflictError
        && error.message === 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-2"',
    );
  });
});
