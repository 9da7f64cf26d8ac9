import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { groupVersionKind, int32, time } from './primitives.js';

export const LeaseSpecSchema = Type.Object({
  holderIdentity: Type.Optional(Type.String({ description: 'holderIdentity contains the identity of the holder of a current lease.' })),
  leaseDurationSeconds: Type.Optional(int32(
    'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.',
  )),
  acquireTime: Type.Optional(time('acquireTime is a time when the current lease was acquired.')),
  renewTime: Type.Optional(time('renewTime is a time when the current holder of a lease has last updated the lease.')),
  leaseTransitions: Type.Optional(int32('leaseTransitions is the number of transitions of a lease between holders.')),
  strategy: Type.Optional(Type.String({ description: 'Strategy indicates the strategy for picking the leader for coordinated leader election.' })),
  preferredHolder: Type.Optional(Type.String({ description: 'PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.' })),
}, {
  title: 'io.k8s.api.coordination.v1.LeaseSpec',
  description: 'LeaseSpec is a specification of a Lease.',
});

export const LeaseSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  spec: Type.Optional(LeaseSpecSchema),
}, {
  title: 'io.k8s.api.coordination.v1.Lease',
  description: 'Lease defines a lease concept.',
  'x-kubernetes-group-version-kind': groupVersionKind('coordination.k8s.io', 'v1', 'Lease'),
});

export type LeaseSpec = Static<typeof LeaseSpecSchema>;
export type Lease = WithMetadata<Static<typeof LeaseSchema>>;
