import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_NODES_AVAILABLE, filterNode, needsScheduling, scheduleOne, toleratesTaint } from '../../../../api/controllers/scheduler/scheduling.js';
import type { Pod } from '../../../../api/schemas/pod.js';
import { node, pod } from '../fixtures.js';

function pending(extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  const p = pod('p');
  p.spec = { ...p.spec, ...extra };
  p.status = { phase: 'Pending' };
  return p;
}

const none = (): number => 0;

describe('scheduling decisions', () => {
  it('schedules only unbound, unfinished pods meant for the default scheduler', () => {
    assert.equal(needsScheduling(pending()), true);
    assert.equal(needsScheduling(pending({ nodeName: 'n1' })), false);
    assert.equal(needsScheduling(pending({ schedulerName: 'other' })), false);
    assert.equal(needsScheduling({ ...pending(), status: { phase: 'Failed' } }), false);
  });

  it('picks the Ready node with the fewest pods, ties by name', () => {
    const nodes = [node('b', 'True'), node('a', 'True'), node('c', 'True')];
    const counts: Record<string, number> = { a: 2, b: 1, c: 1 };
    assert.deepEqual(scheduleOne(pending(), nodes, (n) => counts[n] ?? 0), { node: 'b' });
  });

  it('explains why no node fits, as kube-scheduler does', () => {
    const result = scheduleOne(pending(), [node('a', 'False'), node('b', undefined), node('c', 'Unknown'), node('d', 'True', { unschedulable: true })], none);
    assert.deepEqual(result, {
      message: '0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, '
        + '1 node(s) were unschedulable, 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. '
        + 'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    });
  });

  it('says so when there is no node at all', () => {
    assert.deepEqual(scheduleOne(pending(), [], none), { message: NO_NODES_AVAILABLE });
  });

  it('honours NoSchedule taints unless tolerated', () => {
    const tainted = node('a', 'True', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] });
    assert.equal(filterNode(pending(), tainted), 'node(s) had untolerated taint {gpu: yes}');
    assert.equal(filterNode(pending({ tolerations: [{ key: 'gpu', operator: 'Exists' }] }), tainted), undefined);
    const soft = node('b', 'True', { taints: [{ key: 'gpu', effect: 'PreferNoSchedule' }] });
    assert.equal(filterNode(pending(), soft), undefined);
  });

  it('matches tolerations the way v1.Toleration does', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    assert.equal(toleratesTaint({ key: 'k', value: 'v' }, taint), true);
    assert.equal(toleratesTaint({ key: 'k', value: 'w' }, taint), false);
    assert.equal(toleratesTaint({ operator: 'Exists' }, taint), true);
    assert.equal(toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint), false);
  });

  it('requires the node to carry the pod’s nodeSelector labels', () => {
    const p = pending({ nodeSelector: { disk: 'ssd' } });
    assert.equal(filterNode(p, node('a', 'True', {}, { disk: 'hdd' })), "node(s) didn't match Pod's node affinity/selector");
    assert.equal(filterNode(p, node('a', 'True', {}, { disk: 'ssd' })), undefined);
  });
});
