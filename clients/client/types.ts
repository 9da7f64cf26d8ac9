// Wire types for the Kubernetes subset skiff serves. The object types are
// read from clients/client/generated/openapi.ts, which openapi-typescript
// generates from openapi/openapi.json (`npm run openapi`), itself generated
// from the schemas the server validates with; so they cannot drift apart.
// This file gives the generated shapes their Kubernetes names, narrows the few
// fields validation guarantees (Refine, checked against the generated types),
// describes the two objects the server stores uninterpreted, and adds the
// generic envelopes (lists, watch events) the document has no single type for.
// Optional fields stay optional: the server omits what is unset, as the real
// API server does.
import type { components } from './generated/openapi.js';

type Schemas = components['schemas'];

/** Every object the server stores and returns carries metadata; the schemas leave it optional because a request may omit it. */
type Stored<T> = T & { metadata: ObjectMeta };

/**
 * A generated type with some of its fields narrowed to what the server's
 * validation guarantees or what the client itself writes. Only existing fields
 * may be refined, and only to a subtype, so a refined object is still one the
 * server's schema accepts: a renamed or retyped field fails to compile here.
 */
type Refine<T, R extends { [K in keyof R]: K extends keyof T ? T[K] : never }> = Omit<T, keyof R> & R;

/**
 * Fields the server stores without interpreting (its schema keeps them open):
 * the agent's own view of them replaces the generated type. Keys must exist.
 */
type Interpret<T, R extends { [K in keyof R]: K extends keyof T ? unknown : never }> = Omit<T, keyof R> & R;

export type ObjectMeta = NonNullable<Schemas['Pod']['metadata']>;
export type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];
export type ListMeta = NonNullable<Schemas['PodList']['metadata']>;

/** What every stored object has; the informer and the client need nothing more. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface List<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export type Status = Schemas['Status'];
export type StatusDetails = NonNullable<Status['details']>;
export type StatusCause = NonNullable<StatusDetails['causes']>[number];

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

// --- core/v1 Namespace -------------------------------------------------------

export type Namespace = Stored<Schemas['Namespace']>;
export type NamespaceSpec = NonNullable<Namespace['spec']>;
export type NamespaceStatus = NonNullable<Namespace['status']>;

// --- core/v1 Node ------------------------------------------------------------

/**
 * The server stores nodeInfo without interpreting it (an open object in the
 * document); this is the part of upstream's NodeSystemInfo the agent reports.
 */
export type NodeSystemInfo = {
  machineID?: string;
  systemUUID?: string;
  bootID?: string;
  kernelVersion?: string;
  osImage?: string;
  containerRuntimeVersion?: string;
  kubeletVersion?: string;
  kubeProxyVersion?: string;
  operatingSystem?: string;
  architecture?: string;
};

type GeneratedNodeStatus = NonNullable<Schemas['Node']['status']>;
export type NodeStatus = Refine<GeneratedNodeStatus, { nodeInfo?: NodeSystemInfo }>;
export type Node = Refine<Stored<Schemas['Node']>, { status?: NodeStatus }>;
export type NodeSpec = NonNullable<Node['spec']>;
export type Taint = NonNullable<NodeSpec['taints']>[number];
export type NodeAddress = NonNullable<NodeStatus['addresses']>[number];
export type NodeCondition = NonNullable<NodeStatus['conditions']>[number];

// --- core/v1 Pod -------------------------------------------------------------

type GeneratedPodSpec = NonNullable<Schemas['Pod']['spec']>;
type GeneratedContainer = NonNullable<GeneratedPodSpec['containers']>[number];
type GeneratedProbe = NonNullable<GeneratedContainer['readinessProbe']>;

// Pod validation requires a container's name, a port's number and a probe
// handler's port, though the schema leaves them optional so that a missing
// one is reported as a field error (422) rather than a decode error.
export type HttpGetAction = Refine<NonNullable<GeneratedProbe['httpGet']>, { port: number | string }>;
export type TcpSocketAction = Refine<NonNullable<GeneratedProbe['tcpSocket']>, { port: number | string }>;
export type ExecAction = NonNullable<GeneratedProbe['exec']>;
export type Probe = Refine<GeneratedProbe, { httpGet?: HttpGetAction; tcpSocket?: TcpSocketAction }>;
export type ContainerPort = Refine<NonNullable<GeneratedContainer['ports']>[number], { containerPort: number }>;
export type EnvVar = Refine<NonNullable<GeneratedContainer['env']>[number], { name: string; valueFrom?: EnvVarSource }>;
export interface ResourceRequirements {
  limits?: Record<string, string | number>;
  requests?: Record<string, string | number>;
}
export interface LifecycleHandler {
  exec?: ExecAction;
  httpGet?: HttpGetAction;
  tcpSocket?: TcpSocketAction;
}
export interface Lifecycle {
  postStart?: LifecycleHandler;
  preStop?: LifecycleHandler;
}

/**
 * The security context fields the agent acts on; the server passes the rest
 * of upstream's SecurityContext through uninterpreted.
 */
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
}

/** The server checks that a fieldRef names a fieldPath; the schema keeps it open. */
export interface ObjectFieldSelector {
  apiVersion?: string;
  fieldPath: string;
}
type GeneratedEnvVarSource = NonNullable<NonNullable<GeneratedContainer['env']>[number]['valueFrom']>;
export type EnvVarSource = Refine<GeneratedEnvVarSource, { fieldRef?: ObjectFieldSelector }>;

export type Container = Interpret<Refine<GeneratedContainer, {
  name: string;
  ports?: ContainerPort[];
  env?: EnvVar[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}>, { resources?: ResourceRequirements; lifecycle?: Lifecycle; securityContext?: SecurityContext }>;
export type PodSpec = Interpret<GeneratedPodSpec, { containers?: Container[]; securityContext?: SecurityContext }>;
export type Toleration = NonNullable<PodSpec['tolerations']>[number];

/**
 * The server stores container statuses without interpreting them; this is the
 * part of upstream's ContainerStatus the agent reports.
 */
export type ContainerStatus = {
  name: string;
  ready: boolean;
  restartCount: number;
  image?: string;
  imageID?: string;
  containerID?: string;
  started?: boolean;
  state?: Record<string, Record<string, unknown>>;
  lastState?: Record<string, Record<string, unknown>>;
};

type GeneratedPodStatus = NonNullable<Schemas['Pod']['status']>;
export type PodStatus = Refine<GeneratedPodStatus, { containerStatuses?: ContainerStatus[] }>;
export type PodCondition = NonNullable<PodStatus['conditions']>[number];
export type PodIP = NonNullable<PodStatus['podIPs']>[number];
export type Pod = Interpret<Stored<Schemas['Pod']>, { spec?: PodSpec; status?: PodStatus }>;

// --- core/v1 Service ---------------------------------------------------------

/** Service validation admits only these protocols; the schema says string. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

type GeneratedServiceSpec = NonNullable<Schemas['Service']['spec']>;
export type ServicePort = Refine<NonNullable<GeneratedServiceSpec['ports']>[number], { port: number; protocol?: Protocol }>;
export type ServiceSpec = Refine<GeneratedServiceSpec, { ports?: ServicePort[] }>;
export type Service = Refine<Stored<Schemas['Service']>, { spec?: ServiceSpec }>;
export type IPFamily = NonNullable<ServiceSpec['ipFamilies']>[number];
export type SessionAffinityConfig = NonNullable<ServiceSpec['sessionAffinityConfig']>;
export type ServiceStatus = NonNullable<Service['status']>;
export type LoadBalancerIngress = NonNullable<NonNullable<ServiceStatus['loadBalancer']>['ingress']>[number];

// --- core/v1 Endpoints -------------------------------------------------------

export type Endpoints = Stored<Schemas['Endpoints']>;
export type EndpointSubset = NonNullable<Endpoints['subsets']>[number];
export type EndpointAddress = NonNullable<EndpointSubset['addresses']>[number];
export type ObjectReference = NonNullable<EndpointAddress['targetRef']>;
export type EndpointPort = NonNullable<EndpointSubset['ports']>[number];

// --- discovery.k8s.io/v1 EndpointSlice --------------------------------------

export type EndpointSlice = Stored<Schemas['EndpointSlice']>;
export type Endpoint = NonNullable<EndpointSlice['endpoints']>[number];
export type EndpointConditions = NonNullable<Endpoint['conditions']>;
export type EndpointSlicePort = NonNullable<EndpointSlice['ports']>[number];

// --- coordination.k8s.io/v1 Lease -------------------------------------------

export type Lease = Stored<Schemas['Lease']>;
export type LeaseSpec = NonNullable<Lease['spec']>;
