import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { groupVersionKind, looseObjectList, stringList } from './primitives.js';

export const NamespaceSpecSchema = Type.Object({
  finalizers: Type.Optional(stringList('Finalizers is an opaque list of values that must be empty to permanently remove object from storage.')),
}, {
  title: 'io.k8s.api.core.v1.NamespaceSpec',
  description: 'NamespaceSpec describes the attributes on a Namespace.',
});

export const NamespaceStatusSchema = Type.Object({
  phase: Type.Optional(Type.String({
    description: 'Phase is the current lifecycle phase of the namespace. Possible enum values: "Active" means the namespace is available for use in the system; "Terminating" means the namespace is undergoing graceful termination.',
  })),
  conditions: Type.Optional(looseObjectList('Represents the latest available observations of a namespace\'s current state.')),
}, {
  title: 'io.k8s.api.core.v1.NamespaceStatus',
  description: 'NamespaceStatus is information about the current status of a Namespace.',
});

export const NamespaceSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  spec: Type.Optional(NamespaceSpecSchema),
  status: Type.Optional(NamespaceStatusSchema),
}, {
  title: 'io.k8s.api.core.v1.Namespace',
  description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Namespace'),
});

export type NamespaceSpec = Static<typeof NamespaceSpecSchema>;
export type NamespaceStatus = Static<typeof NamespaceStatusSchema>;
export type Namespace = WithMetadata<Static<typeof NamespaceSchema>>;
