import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from '../../../api/schemas/lease.js';
import { leaseStrategy } from '../../../api/resources/lease.js';

function lease(spec: Lease['spec']): Lease {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec };
}

describe('lease strategy', () => {
  it('accepts a node heartbeat lease', () => {
    const heartbeat = lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' });
    assert.deepEqual(leaseStrategy.validate(heartbeat).causes, []);
  });

  const cases: { name: string; spec: Lease['spec']; field: string; message: string }[] = [
    { name: 'requires a positive duration', spec: { leaseDurationSeconds: 0 }, field: 'spec.leaseDurationSeconds', message: 'Invalid value: 0: must be greater than 0' },
    { name: 'rejects negative transitions', spec: { leaseTransitions: -1 }, field: 'spec.leaseTransitions', message: 'Invalid value: -1: must be greater than or equal to 0' },
    {
      name: 'allows a preferred holder only with a strategy',
      spec: { holderIdentity: 'a', preferredHolder: 'b' },
      field: 'spec.preferredHolder',
      message: 'Forbidden: may only be specified if `strategy` is defined',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cause = leaseStrategy.validateUpdate(lease(c.spec), lease({})).causes[0];
      assert.deepEqual(cause && { field: cause.field, message: cause.message }, { field: c.field, message: c.message });
    });
  }

  it('treats a renewal as a spec change', () => {
    const old = lease({ holderIdentity: 'node-1', renewTime: '2024-01-01T00:00:00Z' });
    assert.equal(leaseStrategy.specChanged(lease({ holderIdentity: 'node-1', renewTime: '2024-01-01T00:00:10Z' }), old), true);
  });
});
