import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { ObjectReferenceSchema } from './object-reference.js';
import { groupVersionKind, int32 } from './primitives.js';

export const EndpointAddressSchema = Type.Object({
  ip: Type.Optional(Type.String({
    description: 'The IP of this endpoint. May not be loopback (127.0.0.0/8 or ::1), link-local (169.254.0.0/16 or fe80::/10), or link-local multicast (224.0.0.0/24 or ff02::/16).',
  })),
  hostname: Type.Optional(Type.String({ description: 'The Hostname of this endpoint' })),
  nodeName: Type.Optional(Type.String({ description: 'Optional: Node hosting this endpoint. This can be used to determine endpoints local to a node.' })),
  targetRef: Type.Optional(ObjectReferenceSchema),
}, {
  title: 'io.k8s.api.core.v1.EndpointAddress',
  description: 'EndpointAddress is a tuple that describes single IP address.',
});

export const EndpointPortSchema = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of this port. This must match the \'name\' field in the corresponding ServicePort. Must be a DNS_LABEL. Optional only if one port is defined.' })),
  port: Type.Optional(int32('The port number of the endpoint.')),
  protocol: Type.Optional(Type.String({ description: 'The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.' })),
  appProtocol: Type.Optional(Type.String({ description: 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.' })),
}, {
  title: 'io.k8s.api.core.v1.EndpointPort',
  description: 'EndpointPort is a tuple that describes a single port.',
});

export const EndpointSubsetSchema = Type.Object({
  addresses: Type.Optional(Type.Array(EndpointAddressSchema, {
    description: 'IP addresses which offer the related ports that are marked as ready. These endpoints should be considered safe for load balancers and clients to utilize.',
  })),
  notReadyAddresses: Type.Optional(Type.Array(EndpointAddressSchema, {
    description: 'IP addresses which offer the related ports but are not currently marked as ready because they have not yet finished starting, have recently failed a readiness check, or have recently failed a liveness check.',
  })),
  ports: Type.Optional(Type.Array(EndpointPortSchema, { description: 'Port numbers available on the related IP addresses.' })),
}, {
  title: 'io.k8s.api.core.v1.EndpointSubset',
  description: 'EndpointSubset is a group of addresses with a common set of ports. The expanded set of endpoints is the Cartesian product of Addresses x Ports.',
});

export const EndpointsSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  subsets: Type.Optional(Type.Array(EndpointSubsetSchema, {
    description: 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.',
  })),
}, {
  title: 'io.k8s.api.core.v1.Endpoints',
  description: 'Endpoints is a collection of endpoints that implement the actual service.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Endpoints'),
});

export type EndpointAddress = Static<typeof EndpointAddressSchema>;
export type EndpointPort = Static<typeof EndpointPortSchema>;
export type EndpointSubset = Static<typeof EndpointSubsetSchema>;
export type Endpoints = WithMetadata<Static<typeof EndpointsSchema>>;
