import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { groupVersionKind, int32, looseObject, stringList, stringMap } from './primitives.js';

export const EndpointConditionsSchema = Type.Object({
  ready: Type.Optional(Type.Boolean({
    description: 'ready indicates that this endpoint is ready to receive traffic, according to whatever system is managing the endpoint. A nil value should be interpreted as "true".',
  })),
  serving: Type.Optional(Type.Boolean({
    description: 'serving indicates that this endpoint is able to receive traffic, according to whatever system is managing the endpoint. For endpoints backed by pods, the EndpointSlice controller will mark the endpoint as serving if the pod\'s Ready condition is True.',
  })),
  terminating: Type.Optional(Type.Boolean({ description: 'terminating indicates that this endpoint is terminating. A nil value should be interpreted as "false".' })),
}, {
  title: 'io.k8s.api.discovery.v1.EndpointConditions',
  description: 'EndpointConditions represents the current condition of an endpoint.',
});

export const EndpointSchema = Type.Object({
  addresses: Type.Optional(stringList(
    'addresses of this endpoint. For EndpointSlices of addressType "IPv4" or "IPv6", the values are IP addresses in canonical form. The syntax and semantics of other addressType values are not defined. This must contain at least one address but no more than 100.',
  )),
  conditions: Type.Optional(EndpointConditionsSchema),
  hostname: Type.Optional(Type.String({ description: 'hostname of this endpoint. This field may be used by consumers of endpoints to distinguish endpoints from each other (e.g. in DNS names). Must be a lowercase RFC 1123 label.' })),
  targetRef: Type.Optional(ObjectReferenceSchema),
  deprecatedTopology: Type.Optional(stringMap('deprecatedTopology contains topology information part of the v1beta1 API. This field is deprecated.')),
  nodeName: Type.Optional(Type.String({ description: 'nodeName represents the name of the Node hosting this endpoint. This can be used to determine endpoints local to a Node.' })),
  zone: Type.Optional(Type.String({ description: 'zone is the name of the Zone this endpoint exists in.' })),
  hints: Type.Optional(looseObject('hints contains information associated with how an endpoint should be consumed.')),
}, {
  title: 'io.k8s.api.discovery.v1.Endpoint',
  description: 'Endpoint represents a single logical "backend" implementing a service.',
});

export const EndpointSlicePortSchema = Type.Object({
  name: Type.Optional(Type.String({
    description: "name represents the name of this port. All ports in an EndpointSlice must have a unique name. If the EndpointSlice is derived from a Kubernetes service, this corresponds to the Service.ports[].name. Default is empty string.",
  })),
  protocol: Type.Optional(Type.String({ description: 'protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.' })),
  port: Type.Optional(int32('port represents the port number of the endpoint. If this is not specified, ports are not restricted and must be interpreted in the context of the specific consumer.')),
  appProtocol: Type.Optional(Type.String({ description: 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.' })),
}, {
  title: 'io.k8s.api.discovery.v1.EndpointPort',
  description: 'EndpointPort represents a Port used by an EndpointSlice',
});

export const EndpointSliceSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  addressType: Type.Optional(Type.String({
    description: 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. Supported types: IPv4, IPv6, FQDN.',
  })),
  endpoints: Type.Optional(Type.Array(EndpointSchema, { description: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.' })),
  ports: Type.Optional(Type.Array(EndpointSlicePortSchema, {
    description: 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports.',
  })),
}, {
  title: 'io.k8s.api.discovery.v1.EndpointSlice',
  description: 'EndpointSlice represents a subset of the endpoints that implement a service. For a given service there may be multiple EndpointSlice objects, selected by labels, which must be joined to produce the full set of endpoints.',
  'x-kubernetes-group-version-kind': groupVersionKind('discovery.k8s.io', 'v1', 'EndpointSlice'),
});

export type EndpointConditions = Static<typeof EndpointConditionsSchema>;
export type Endpoint = Static<typeof EndpointSchema>;
export type EndpointSlicePort = Static<typeof EndpointSlicePortSchema>;
export type EndpointSlice = WithMetadata<Static<typeof EndpointSliceSchema>>;
