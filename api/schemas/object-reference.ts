import { Type, type Static } from '@sinclair/typebox';

// core/v1 ObjectReference: how Endpoints, EndpointSlices and Bindings point at
// another object (a Pod behind an address, the Node a Pod is bound to).

export const ObjectReferenceSchema = Type.Object({
  kind: Type.Optional(Type.String({ description: 'Kind of the referent.' })),
  namespace: Type.Optional(Type.String({ description: 'Namespace of the referent.' })),
  name: Type.Optional(Type.String({ description: 'Name of the referent.' })),
  uid: Type.Optional(Type.String({ description: 'UID of the referent.' })),
  apiVersion: Type.Optional(Type.String({ description: 'API version of the referent.' })),
  resourceVersion: Type.Optional(Type.String({ description: 'Specific resourceVersion to which this reference is made, if any.' })),
  fieldPath: Type.Optional(Type.String({
    description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
  })),
}, {
  title: 'io.k8s.api.core.v1.ObjectReference',
  description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
});

export type ObjectReference = Static<typeof ObjectReferenceSchema>;
