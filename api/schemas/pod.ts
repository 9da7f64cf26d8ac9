import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import {
  groupVersionKind,
  int32,
  int64,
  intOrString,
  looseObject,
  looseObjectList,
  stringList,
  stringMap,
  time,
} from './primitives.js';

// core/v1 Pod. The fields skiff acts on (containers and their ports, readiness
// probes, node binding, phase, conditions, IPs) are modelled; the rest of the
// PodSpec is accepted as loose objects, stored and returned untouched.

export const ContainerPortSchema = Type.Object({
  name: Type.Optional(Type.String({
    description: 'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.',
  })),
  containerPort: Type.Optional(int32('Number of port to expose on the pod\'s IP address. This must be a valid port number, 0 < x < 65536.')),
  protocol: Type.Optional(Type.String({ description: 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".' })),
  hostPort: Type.Optional(int32('Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536.')),
  hostIP: Type.Optional(Type.String({ description: 'What host IP to bind the external port to.' })),
}, {
  title: 'io.k8s.api.core.v1.ContainerPort',
  description: 'ContainerPort represents a network port in a single container.',
});

export const HTTPHeaderSchema = Type.Object({
  name: Type.Optional(Type.String({ description: 'The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.' })),
  value: Type.Optional(Type.String({ description: 'The header field value' })),
}, {
  title: 'io.k8s.api.core.v1.HTTPHeader',
  description: 'HTTPHeader describes a custom header to be used in HTTP probes',
});

export const HTTPGetActionSchema = Type.Object({
  path: Type.Optional(Type.String({ description: 'Path to access on the HTTP server. Defaults to "/".' })),
  port: Type.Optional(intOrString('Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.')),
  host: Type.Optional(Type.String({ description: 'Host name to connect to, defaults to the pod IP.' })),
  scheme: Type.Optional(Type.String({ description: 'Scheme to use for connecting to the host. Defaults to HTTP. Possible enum values: "HTTP", "HTTPS".' })),
  httpHeaders: Type.Optional(Type.Array(HTTPHeaderSchema, { description: 'Custom headers to set in the request. HTTP allows repeated headers.' })),
}, {
  title: 'io.k8s.api.core.v1.HTTPGetAction',
  description: 'HTTPGetAction describes an action based on HTTP Get requests.',
});

export const TCPSocketActionSchema = Type.Object({
  port: Type.Optional(intOrString('Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.')),
  host: Type.Optional(Type.String({ description: 'Optional: Host name to connect to, defaults to the pod IP.' })),
}, {
  title: 'io.k8s.api.core.v1.TCPSocketAction',
  description: 'TCPSocketAction describes an action based on opening a socket',
});

export const ExecActionSchema = Type.Object({
  command: Type.Optional(stringList('Command is the command line to execute inside the container. The command is simply exec\'d, it is not run inside a shell.')),
}, {
  title: 'io.k8s.api.core.v1.ExecAction',
  description: 'ExecAction describes a "run in container" action.',
});

export const GRPCActionSchema = Type.Object({
  port: Type.Optional(int32('Port number of the gRPC service. Number must be in the range 1 to 65535.')),
  service: Type.Optional(Type.String({ description: 'Service is the name of the service to place in the gRPC HealthCheckRequest. If this is not specified, the default behavior is defined by gRPC.' })),
}, {
  title: 'io.k8s.api.core.v1.GRPCAction',
  description: 'GRPCAction specifies an action involving a GRPC service.',
});

export const ProbeSchema = Type.Object({
  exec: Type.Optional(ExecActionSchema),
  httpGet: Type.Optional(HTTPGetActionSchema),
  tcpSocket: Type.Optional(TCPSocketActionSchema),
  grpc: Type.Optional(GRPCActionSchema),
  initialDelaySeconds: Type.Optional(int32('Number of seconds after the container has started before liveness probes are initiated.')),
  timeoutSeconds: Type.Optional(int32('Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.')),
  periodSeconds: Type.Optional(int32('How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.')),
  successThreshold: Type.Optional(int32('Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.')),
  failureThreshold: Type.Optional(int32('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.')),
  terminationGracePeriodSeconds: Type.Optional(int64('Optional duration in seconds the pod needs to terminate gracefully upon probe failure.')),
}, {
  title: 'io.k8s.api.core.v1.Probe',
  description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
});

export const EnvVarSchema = Type.Object({
  name: Type.Optional(Type.String({ description: 'Name of the environment variable. Must be a C_IDENTIFIER.' })),
  value: Type.Optional(Type.String({
    description: 'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. Defaults to "".',
  })),
  valueFrom: Type.Optional(looseObject("Source for the environment variable's value. Cannot be used if value is not empty.")),
}, {
  title: 'io.k8s.api.core.v1.EnvVar',
  description: 'EnvVar represents an environment variable present in a Container.',
});

export const ContainerSchema = Type.Object({
  name: Type.Optional(Type.String({
    description: 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
  })),
  image: Type.Optional(Type.String({ description: 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images' })),
  command: Type.Optional(stringList('Entrypoint array. Not executed within a shell. The container image\'s ENTRYPOINT is used if this is not provided. Cannot be updated.')),
  args: Type.Optional(stringList('Arguments to the entrypoint. The container image\'s CMD is used if this is not provided. Cannot be updated.')),
  workingDir: Type.Optional(Type.String({ description: "Container's working directory. If not specified, the container runtime's default will be used. Cannot be updated." })),
  ports: Type.Optional(Type.Array(ContainerPortSchema, {
    description: 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Cannot be updated.',
  })),
  env: Type.Optional(Type.Array(EnvVarSchema, { description: 'List of environment variables to set in the container. Cannot be updated.' })),
  envFrom: Type.Optional(looseObjectList('List of sources to populate environment variables in the container. Cannot be updated.')),
  resources: Type.Optional(looseObject('Compute Resources required by this container (limits, requests). Cannot be updated.')),
  volumeMounts: Type.Optional(looseObjectList("Pod volumes to mount into the container's filesystem. Cannot be updated.")),
  livenessProbe: Type.Optional(ProbeSchema),
  readinessProbe: Type.Optional(ProbeSchema),
  startupProbe: Type.Optional(ProbeSchema),
  lifecycle: Type.Optional(looseObject('Actions that the management system should take in response to container lifecycle events. Cannot be updated.')),
  terminationMessagePath: Type.Optional(Type.String({
    description: "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log. Cannot be updated.",
  })),
  terminationMessagePolicy: Type.Optional(Type.String({
    description: 'Indicate how the termination message should be populated: File or FallbackToLogsOnError. Defaults to File. Cannot be updated.',
  })),
  imagePullPolicy: Type.Optional(Type.String({
    description: 'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated.',
  })),
  restartPolicy: Type.Optional(Type.String({ description: 'RestartPolicy defines the restart behavior of individual containers in a pod. Only "Always" is allowed, and only for init containers.' })),
  securityContext: Type.Optional(looseObject('SecurityContext defines the security options the container should be run with.')),
  stdin: Type.Optional(Type.Boolean({ description: 'Whether this container should allocate a buffer for stdin in the container runtime.' })),
  stdinOnce: Type.Optional(Type.Boolean({ description: 'Whether the container runtime should close the stdin channel after it has been opened by a single attach.' })),
  tty: Type.Optional(Type.Boolean({ description: "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true." })),
}, {
  title: 'io.k8s.api.core.v1.Container',
  description: 'A single application container that you want to run within a pod.',
});

export const TolerationSchema = Type.Object({
  key: Type.Optional(Type.String({ description: 'Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists.' })),
  operator: Type.Optional(Type.String({ description: "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal." })),
  value: Type.Optional(Type.String({ description: 'Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty.' })),
  effect: Type.Optional(Type.String({ description: 'Effect indicates the taint effect to match. Empty means match all taint effects. Allowed values are NoSchedule, PreferNoSchedule and NoExecute.' })),
  tolerationSeconds: Type.Optional(int64('TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute) tolerates the taint.')),
}, {
  title: 'io.k8s.api.core.v1.Toleration',
  description: 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
});

export const PodSpecSchema = Type.Object({
  containers: Type.Optional(Type.Array(ContainerSchema, {
    description: 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
  })),
  initContainers: Type.Optional(Type.Array(ContainerSchema, {
    description: 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.',
  })),
  ephemeralContainers: Type.Optional(looseObjectList('List of ephemeral containers run in this pod. This field cannot be set when creating a pod.')),
  restartPolicy: Type.Optional(Type.String({ description: 'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.' })),
  terminationGracePeriodSeconds: Type.Optional(int64('Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Defaults to 30 seconds.')),
  activeDeadlineSeconds: Type.Optional(int64('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.')),
  dnsPolicy: Type.Optional(Type.String({ description: "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'." })),
  nodeSelector: Type.Optional(stringMap("NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.")),
  serviceAccountName: Type.Optional(Type.String({ description: 'ServiceAccountName is the name of the ServiceAccount to use to run this pod.' })),
  serviceAccount: Type.Optional(Type.String({ description: 'DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.' })),
  automountServiceAccountToken: Type.Optional(Type.Boolean({ description: 'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.' })),
  nodeName: Type.Optional(Type.String({
    description: 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod.',
  })),
  hostNetwork: Type.Optional(Type.Boolean({ description: "Host networking requested for this pod. Use the host's network namespace. Default to false." })),
  hostPID: Type.Optional(Type.Boolean({ description: "Use the host's pid namespace. Optional: Default to false." })),
  hostIPC: Type.Optional(Type.Boolean({ description: "Use the host's ipc namespace. Optional: Default to false." })),
  shareProcessNamespace: Type.Optional(Type.Boolean({ description: 'Share a single process namespace between all of the containers in a pod.' })),
  securityContext: Type.Optional(looseObject('SecurityContext holds pod-level security attributes and common container settings.')),
  imagePullSecrets: Type.Optional(looseObjectList('ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.')),
  hostname: Type.Optional(Type.String({ description: "Specifies the hostname of the Pod. If not specified, the pod's hostname will be set to a system-defined value." })),
  subdomain: Type.Optional(Type.String({
    description: 'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>". If not specified, the pod will not have a domainname at all.',
  })),
  affinity: Type.Optional(looseObject("If specified, the pod's scheduling constraints")),
  schedulerName: Type.Optional(Type.String({ description: 'If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.' })),
  tolerations: Type.Optional(Type.Array(TolerationSchema, { description: "If specified, the pod's tolerations." })),
  hostAliases: Type.Optional(looseObjectList("HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.")),
  priorityClassName: Type.Optional(Type.String({ description: 'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities.' })),
  priority: Type.Optional(int32('The priority value. Various system components use this field to find the priority of the pod.')),
  dnsConfig: Type.Optional(looseObject('Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy.')),
  readinessGates: Type.Optional(looseObjectList('If specified, all readiness gates will be evaluated for pod readiness.')),
  enableServiceLinks: Type.Optional(Type.Boolean({ description: "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables. Optional: Defaults to true." })),
  volumes: Type.Optional(looseObjectList('List of volumes that can be mounted by containers belonging to the pod.')),
  os: Type.Optional(looseObject('Specifies the OS of the containers in the pod.')),
}, {
  title: 'io.k8s.api.core.v1.PodSpec',
  description: 'PodSpec is a description of a pod.',
});

export const PodConditionSchema = Type.Object({
  type: Type.Optional(Type.String({ description: 'Type is the type of the condition: PodScheduled, Initialized, ContainersReady, Ready.' })),
  status: Type.Optional(Type.String({ description: 'Status is the status of the condition. Can be True, False, Unknown.' })),
  reason: Type.Optional(Type.String({ description: "Unique, one-word, CamelCase reason for the condition's last transition." })),
  message: Type.Optional(Type.String({ description: 'Human-readable message indicating details about last transition.' })),
  lastProbeTime: Type.Optional(time('Last time we probed the condition.')),
  lastTransitionTime: Type.Optional(time('Last time the condition transitioned from one status to another.')),
}, {
  title: 'io.k8s.api.core.v1.PodCondition',
  description: 'PodCondition contains details for the current condition of this pod.',
});

export const PodIPSchema = Type.Object({
  ip: Type.Optional(Type.String({ description: 'IP is the IP address assigned to the pod' })),
}, {
  title: 'io.k8s.api.core.v1.PodIP',
  description: 'PodIP represents a single IP address allocated to the pod.',
});

export const HostIPSchema = Type.Object({
  ip: Type.Optional(Type.String({ description: 'IP is the IP address assigned to the host' })),
}, {
  title: 'io.k8s.api.core.v1.HostIP',
  description: 'HostIP represents a single IP address allocated to the host.',
});

export const PodStatusSchema = Type.Object({
  phase: Type.Optional(Type.String({
    description: 'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown.',
  })),
  conditions: Type.Optional(Type.Array(PodConditionSchema, { description: 'Current service state of pod.' })),
  message: Type.Optional(Type.String({ description: 'A human readable message indicating details about why the pod is in this condition.' })),
  reason: Type.Optional(Type.String({ description: "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'" })),
  nominatedNodeName: Type.Optional(Type.String({ description: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.' })),
  hostIP: Type.Optional(Type.String({ description: 'hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet.' })),
  hostIPs: Type.Optional(Type.Array(HostIPSchema, { description: 'hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry must match the hostIP field.' })),
  podIP: Type.Optional(Type.String({ description: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.' })),
  podIPs: Type.Optional(Type.Array(PodIPSchema, {
    description: 'podIPs holds the IP addresses allocated to the pod. If this field is specified, the 0th entry must match the podIP field. Pods may be allocated at most 1 value for each of IPv4 and IPv6.',
  })),
  startTime: Type.Optional(time('RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.')),
  initContainerStatuses: Type.Optional(looseObjectList('Statuses of init containers in this pod.')),
  containerStatuses: Type.Optional(looseObjectList('Statuses of containers in this pod. Each container in the pod should have at most one status in this list.')),
  ephemeralContainerStatuses: Type.Optional(looseObjectList('Statuses for any ephemeral containers that have run in this pod.')),
  qosClass: Type.Optional(Type.String({ description: 'The Quality of Service (QOS) classification assigned to the pod based on resource requirements: BestEffort, Burstable or Guaranteed.' })),
}, {
  title: 'io.k8s.api.core.v1.PodStatus',
  description: 'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
});

export const PodSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  spec: Type.Optional(PodSpecSchema),
  status: Type.Optional(PodStatusSchema),
}, {
  title: 'io.k8s.api.core.v1.Pod',
  description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Pod'),
});

export type ContainerPort = Static<typeof ContainerPortSchema>;
export type HTTPGetAction = Static<typeof HTTPGetActionSchema>;
export type TCPSocketAction = Static<typeof TCPSocketActionSchema>;
export type Probe = Static<typeof ProbeSchema>;
export type EnvVar = Static<typeof EnvVarSchema>;
export type Container = Static<typeof ContainerSchema>;
export type Toleration = Static<typeof TolerationSchema>;
export type PodSpec = Static<typeof PodSpecSchema>;
export type PodCondition = Static<typeof PodConditionSchema>;
export type PodIP = Static<typeof PodIPSchema>;
export type PodStatus = Static<typeof PodStatusSchema>;
export type Pod = WithMetadata<Static<typeof PodSchema>>;
