import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { groupVersionKind, int32, looseObject, looseObjectList, quantityMap, stringList, time } from './primitives.js';

export const TaintSchema = Type.Object({
  key: Type.Optional(Type.String({ description: 'Required. The taint key to be applied to a node.' })),
  value: Type.Optional(Type.String({ description: 'The taint value corresponding to the taint key.' })),
  effect: Type.Optional(Type.String({
    description: 'Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.',
  })),
  timeAdded: Type.Optional(time('TimeAdded represents the time at which the taint was added. It is only written for NoExecute taints.')),
}, {
  title: 'io.k8s.api.core.v1.Taint',
  description: 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
});

export const NodeSpecSchema = Type.Object({
  podCIDR: Type.Optional(Type.String({ description: 'PodCIDR represents the pod IP range assigned to the node.' })),
  podCIDRs: Type.Optional(stringList(
    'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6.',
  )),
  providerID: Type.Optional(Type.String({ description: 'ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>' })),
  unschedulable: Type.Optional(Type.Boolean({
    description: 'Unschedulable controls node schedulability of new pods. By default, node is schedulable.',
  })),
  taints: Type.Optional(Type.Array(TaintSchema, { description: "If specified, the node's taints." })),
  externalID: Type.Optional(Type.String({ description: 'Deprecated. Not all kubelets will set this field. Remove field after 1.13.' })),
}, {
  title: 'io.k8s.api.core.v1.NodeSpec',
  description: 'NodeSpec describes the attributes that a node is created with.',
});

export const NodeConditionSchema = Type.Object({
  type: Type.Optional(Type.String({ description: 'Type of node condition: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.' })),
  status: Type.Optional(Type.String({ description: 'Status of the condition, one of True, False, Unknown.' })),
  lastHeartbeatTime: Type.Optional(time('Last time we got an update on a given condition.')),
  lastTransitionTime: Type.Optional(time('Last time the condition transit from one status to another.')),
  reason: Type.Optional(Type.String({ description: "(brief) reason for the condition's last transition." })),
  message: Type.Optional(Type.String({ description: 'Human readable message indicating details about last transition.' })),
}, {
  title: 'io.k8s.api.core.v1.NodeCondition',
  description: 'NodeCondition contains condition information for a node.',
});

export const NodeAddressSchema = Type.Object({
  type: Type.Optional(Type.String({ description: 'Node address type, one of Hostname, ExternalIP or InternalIP.' })),
  address: Type.Optional(Type.String({ description: 'The node address.' })),
}, {
  title: 'io.k8s.api.core.v1.NodeAddress',
  description: "NodeAddress contains information for the node's address.",
});

export const DaemonEndpointSchema = Type.Object({
  Port: Type.Optional(int32('Port number of the given endpoint.')),
}, {
  title: 'io.k8s.api.core.v1.DaemonEndpoint',
  description: 'DaemonEndpoint contains information about a single Daemon endpoint.',
});

export const NodeDaemonEndpointsSchema = Type.Object({
  kubeletEndpoint: Type.Optional(DaemonEndpointSchema),
}, {
  title: 'io.k8s.api.core.v1.NodeDaemonEndpoints',
  description: 'NodeDaemonEndpoints lists ports opened by daemons running on the Node.',
});

export const NodeStatusSchema = Type.Object({
  capacity: Type.Optional(quantityMap('Capacity represents the total resources of a node.')),
  allocatable: Type.Optional(quantityMap('Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.')),
  phase: Type.Optional(Type.String({ description: 'NodePhase is the recently observed lifecycle phase of the node. Deprecated.' })),
  conditions: Type.Optional(Type.Array(NodeConditionSchema, { description: 'Conditions is an array of current observed node conditions.' })),
  addresses: Type.Optional(Type.Array(NodeAddressSchema, { description: 'List of addresses reachable to the node.' })),
  daemonEndpoints: Type.Optional(NodeDaemonEndpointsSchema),
  nodeInfo: Type.Optional(looseObject('Set of ids/uuids to uniquely identify the node: machineID, systemUUID, bootID, kernelVersion, osImage, containerRuntimeVersion, kubeletVersion, kubeProxyVersion, operatingSystem, architecture.')),
  images: Type.Optional(looseObjectList('List of container images on this node')),
  volumesInUse: Type.Optional(stringList('List of attachable volumes in use (mounted) by the node.')),
  volumesAttached: Type.Optional(looseObjectList('List of volumes that are attached to the node.')),
  config: Type.Optional(looseObject('Status of the config assigned to the node via the dynamic Kubelet config feature.')),
}, {
  title: 'io.k8s.api.core.v1.NodeStatus',
  description: 'NodeStatus is information about the current status of a node.',
});

export const NodeSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  spec: Type.Optional(NodeSpecSchema),
  status: Type.Optional(NodeStatusSchema),
}, {
  title: 'io.k8s.api.core.v1.Node',
  description: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Node'),
});

export type Taint = Static<typeof TaintSchema>;
export type NodeSpec = Static<typeof NodeSpecSchema>;
export type NodeCondition = Static<typeof NodeConditionSchema>;
export type NodeAddress = Static<typeof NodeAddressSchema>;
export type NodeStatus = Static<typeof NodeStatusSchema>;
export type Node = WithMetadata<Static<typeof NodeSchema>>;
