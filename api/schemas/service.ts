import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { groupVersionKind, int32, intOrString, looseObjectList, stringList, stringMap } from './primitives.js';

export const ServicePortSchema = Type.Object({
  name: Type.Optional(Type.String({
    description: "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. Optional if only one ServicePort is defined on this service.",
  })),
  protocol: Type.Optional(Type.String({ description: 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.' })),
  appProtocol: Type.Optional(Type.String({ description: 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.' })),
  port: Type.Optional(int32('The port that will be exposed by this service.')),
  targetPort: Type.Optional(intOrString(
    "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map).",
  )),
  nodePort: Type.Optional(int32(
    'The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system. If a value is specified, in-range, and not in use it will be used, otherwise the operation will fail.',
  )),
}, {
  title: 'io.k8s.api.core.v1.ServicePort',
  description: "ServicePort contains information on service's port.",
});

export const ClientIPConfigSchema = Type.Object({
  timeoutSeconds: Type.Optional(int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours).')),
}, {
  title: 'io.k8s.api.core.v1.ClientIPConfig',
  description: 'ClientIPConfig represents the configurations of Client IP based session affinity.',
});

export const SessionAffinityConfigSchema = Type.Object({
  clientIP: Type.Optional(ClientIPConfigSchema),
}, {
  title: 'io.k8s.api.core.v1.SessionAffinityConfig',
  description: 'SessionAffinityConfig represents the configurations of session affinity.',
});

export const ServiceSpecSchema = Type.Object({
  ports: Type.Optional(Type.Array(ServicePortSchema, { description: 'The list of ports that are exposed by this service.' })),
  selector: Type.Optional(stringMap(
    'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Ignored if type is ExternalName.',
  )),
  clusterIP: Type.Optional(Type.String({
    description: 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range, and is not in use, it will be allocated to the service; otherwise creation will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName. "None" makes a headless service.',
  })),
  clusterIPs: Type.Optional(stringList(
    'ClusterIPs is a list of IP addresses assigned to this service. If this field is specified, the 0th entry must match the clusterIP field.',
  )),
  type: Type.Optional(Type.String({
    description: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
  })),
  externalIPs: Type.Optional(stringList('externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.')),
  sessionAffinity: Type.Optional(Type.String({
    description: 'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.',
  })),
  loadBalancerIP: Type.Optional(Type.String({ description: 'Only applies to Service Type: LoadBalancer. Deprecated.' })),
  loadBalancerSourceRanges: Type.Optional(stringList('If specified and supported by the platform, traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.')),
  externalName: Type.Optional(Type.String({
    description: 'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). Must be a lowercase RFC-1123 hostname and requires `type` to be "ExternalName".',
  })),
  externalTrafficPolicy: Type.Optional(Type.String({
    description: 'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs): "Cluster" or "Local".',
  })),
  healthCheckNodePort: Type.Optional(int32('healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local.')),
  publishNotReadyAddresses: Type.Optional(Type.Boolean({
    description: "publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.",
  })),
  sessionAffinityConfig: Type.Optional(SessionAffinityConfigSchema),
  ipFamilies: Type.Optional(stringList('IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.')),
  ipFamilyPolicy: Type.Optional(Type.String({
    description: 'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service: SingleStack, PreferDualStack or RequireDualStack.',
  })),
  allocateLoadBalancerNodePorts: Type.Optional(Type.Boolean({
    description: 'allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".',
  })),
  loadBalancerClass: Type.Optional(Type.String({ description: 'loadBalancerClass is the class of the load balancer implementation this Service belongs to.' })),
  internalTrafficPolicy: Type.Optional(Type.String({
    description: 'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP: "Cluster" (the default) or "Local".',
  })),
  trafficDistribution: Type.Optional(Type.String({ description: 'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.' })),
}, {
  title: 'io.k8s.api.core.v1.ServiceSpec',
  description: 'ServiceSpec describes the attributes that a user creates on a service.',
});

export const LoadBalancerIngressSchema = Type.Object({
  ip: Type.Optional(Type.String({ description: 'IP is set for load-balancer ingress points that are IP based (typically GCE or OpenStack load-balancers)' })),
  hostname: Type.Optional(Type.String({ description: 'Hostname is set for load-balancer ingress points that are DNS based (typically AWS load-balancers)' })),
  ipMode: Type.Optional(Type.String({
    description: 'IPMode specifies how the load-balancer IP behaves, and may only be specified when the ip field is specified: "VIP" or "Proxy".',
  })),
  ports: Type.Optional(looseObjectList('Ports is a list of records of service ports. If used, every port defined in the service should have an entry in it')),
}, {
  title: 'io.k8s.api.core.v1.LoadBalancerIngress',
  description: 'LoadBalancerIngress represents the status of a load-balancer ingress point: traffic intended for the service should be sent to an ingress point.',
});

export const LoadBalancerStatusSchema = Type.Object({
  ingress: Type.Optional(Type.Array(LoadBalancerIngressSchema, {
    description: 'Ingress is a list containing ingress points for the load-balancer. Traffic intended for the service should be sent to these ingress points.',
  })),
}, {
  title: 'io.k8s.api.core.v1.LoadBalancerStatus',
  description: 'LoadBalancerStatus represents the status of a load-balancer.',
});

export const ServiceStatusSchema = Type.Object({
  loadBalancer: Type.Optional(LoadBalancerStatusSchema),
  conditions: Type.Optional(looseObjectList('Current service state')),
}, {
  title: 'io.k8s.api.core.v1.ServiceStatus',
  description: 'ServiceStatus represents the current status of a service.',
});

export const ServiceSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  spec: Type.Optional(ServiceSpecSchema),
  status: Type.Optional(ServiceStatusSchema),
}, {
  title: 'io.k8s.api.core.v1.Service',
  description: 'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Service'),
});

export type ServicePort = Static<typeof ServicePortSchema>;
export type SessionAffinityConfig = Static<typeof SessionAffinityConfigSchema>;
export type ServiceSpec = Static<typeof ServiceSpecSchema>;
export type LoadBalancerIngress = Static<typeof LoadBalancerIngressSchema>;
export type ServiceStatus = Static<typeof ServiceStatusSchema>;
export type Service = WithMetadata<Static<typeof ServiceSchema>>;
