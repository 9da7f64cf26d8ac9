import type { ObjectReference } from '../../schemas/object-reference.js';
import type { Pod } from '../../schemas/pod.js';
import type { Service, ServicePort } from '../../schemas/service.js';
import { ipFamilyOf, type IPFamily } from '../../validation/ip-address.js';

// What the Endpoints and EndpointSlice controllers agree on about a Pod behind
// a Service: whether it belongs in the endpoints at all, whether it is ready,
// which address and which port numbers it offers. Pure functions, ported from
// upstream's pkg/controller/util/endpoint and endpointslice/util.

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_SERVICE_LABEL = 'service.kubernetes.io/headless';

/**
 * Whether the node a pod runs on has been declared lost by the node
 * lifecycle controller. Its pods count as not ready even before their own
 * Ready condition has been rewritten.
 */
export type NodeLostCheck = (nodeName: string) => boolean;

/** Services the controllers derive endpoints for: a non-empty selector, and not ExternalName. */
export function hasManagedEndpoints(service: Service): boolean {
  const selector = service.spec?.selector;
  return service.spec?.type !== 'ExternalName' && selector !== undefined && selector !== null && Object.keys(selector).length > 0;
}

/** helper.IsServiceIPSet: a ClusterIP that is neither empty nor None. */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

export function serviceSelectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!labels) return false;
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

/** podutil.IsPodReady, and false on a lost node. */
export function isPodReady(pod: Pod, nodeLost: NodeLostCheck): boolean {
  const nodeName = pod.spec?.nodeName;
  if (nodeName && nodeLost(nodeName)) return false;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isPodTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata.deletionTimestamp);
}

/**
 * ShouldPodBeInEndpoints: not finished, has an address, and (unless
 * `includeTerminating`) not being deleted.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  if (!includeTerminating && isPodTerminating(pod)) return false;
  return true;
}

/** The pod's address of `family`: from podIPs, or podIP when podIPs is empty. */
export function podIPOfFamily(pod: Pod, family: IPFamily): string | undefined {
  const ips = (pod.status?.podIPs ?? []).map((entry) => entry.ip ?? '');
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.find((ip) => ipFamilyOf(ip) === family);
}

/** The families a Service's endpoints carry: its ipFamilies, else the family of each pod's primary address. */
export function serviceAddressFamilies(service: Service, pods: Iterable<Pod>): IPFamily[] {
  const declared = (service.spec?.ipFamilies ?? []).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  if (declared.length > 0) return declared;
  const families = new Set<IPFamily>();
  for (const pod of pods) {
    const primary = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
    const family = primary ? ipFamilyOf(primary) : undefined;
    if (family) families.add(family);
  }
  return families.size > 0 ? [...families].sort() : ['IPv4'];
}

/**
 * podutil.FindPort: a numeric targetPort as it is; a named one is the port of
 * that name and the service port's protocol in one of this pod's containers,
 * so two pods may resolve the same name to different numbers. Undefined when
 * the pod has no such port: it is left out of that service port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string' || target === '') return servicePort.port;
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** ShouldSetHostname: a pod whose subdomain names the Service publishes its hostname. */
export function endpointHostname(pod: Pod, service: Service): string | undefined {
  const hostname = pod.spec?.hostname;
  if (!hostname) return undefined;
  if (pod.spec?.subdomain !== service.metadata.name || pod.metadata.namespace !== service.metadata.namespace) return undefined;
  return hostname;
}

export function podReference(pod: Pod): ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}

/**
 * The labels an Endpoints object or EndpointSlice of `service` carries: the
 * Service's own, plus the headless marker when it has no ClusterIP.
 */
export function endpointLabels(service: Service, reserved: readonly string[] = []): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata.labels ?? {})) {
    if (!reserved.includes(key)) labels[key] = value;
  }
  if (!isServiceIPSet(service)) labels[HEADLESS_SERVICE_LABEL] = '';
  return labels;
}

/**
 * time.RFC3339Nano in UTC: fractional seconds with trailing zeros dropped,
 * no fraction at all on a whole second ("2018-10-22T19:32:52.1Z"). A double
 * holding epoch milliseconds carries microseconds, so that is the precision.
 */
export function formatRfc3339Nano(epochMs: number): string {
  const micros = Math.round(epochMs * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const text = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = String(micros - seconds * 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return `${text}${fraction ? `.${fraction}` : ''}Z`;
}
