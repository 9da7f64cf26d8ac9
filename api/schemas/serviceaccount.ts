import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { groupVersionKind } from './primitives.js';

export const LocalObjectReferenceSchema = Type.Object({
  name: Type.Optional(Type.String({ description: 'Name of the referent.' })),
}, {
  title: 'io.k8s.api.core.v1.LocalObjectReference',
  description: 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
});

export const ServiceAccountSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  secrets: Type.Optional(Type.Array(ObjectReferenceSchema, {
    description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
  })),
  imagePullSecrets: Type.Optional(Type.Array(LocalObjectReferenceSchema, {
    description: 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.',
  })),
  automountServiceAccountToken: Type.Optional(Type.Boolean({
    description: 'AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.',
  })),
}, {
  title: 'io.k8s.api.core.v1.ServiceAccount',
  description: 'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'ServiceAccount'),
});

export type ServiceAccount = WithMetadata<Static<typeof ServiceAccountSchema>>;
