import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields } from './meta.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { groupVersionKind } from './primitives.js';

// The body of POST pods/{name}/binding: how a scheduler assigns a Pod to a Node.

export const BindingSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  target: Type.Optional(ObjectReferenceSchema),
}, {
  title: 'io.k8s.api.core.v1.Binding',
  description: 'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Binding'),
});

export type Binding = Static<typeof BindingSchema>;
