import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints } from '../../schemas/endpoints.js';
import type { Pod } from '../../schemas/pod.js';
import type { Service } from '../../schemas/service.js';
import { semanticEqual } from '../../resources/semantic-equal.js';
import { ipFamilyOf, type IPFamily } from '../../validation/ip-address.js';
import {
  TRIGGER_TIME_ANNOTATION,
  endpointHostname,
  endpointLabels,
  findPort,
  isPodReady,
  podIPOfFamily,
  podReference,
  shouldPodBeInEndpoints,
  type NodeLostCheck,
} from './pod-endpoint-rules.js';

// The core/v1 Endpoints a Service's pods make (upstream's endpoints
// controller syncService, RepackSubsets and truncateEndpoints), as pure
// functions.

export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** Upstream keeps at most this many addresses in one Endpoints object. */
export const MAX_ENDPOINTS_ADDRESSES = 1000;

/** The address family the Endpoints of `service` use: its first ipFamily, else the pod's primary address family. */
function endpointIP(service: Service, pod: Pod): string | undefined {
  const declared = service.spec?.ipFamilies?.[0];
  if (declared === 'IPv4' || declared === 'IPv6') return podIPOfFamily(pod, declared);
  const primary = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
  const family: IPFamily | undefined = primary ? ipFamilyOf(primary) : undefined;
  return family ? podIPOfFamily(pod, family) : undefined;
}

function podAddress(service: Service, pod: Pod, ip: string): EndpointAddress {
  const address: EndpointAddress = { ip };
  const hostname = endpointHostname(pod, service);
  if (hostname) address.hostname = hostname;
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  address.targetRef = podReference(pod);
  return address;
}

/**
 * One subset per (pod, service port) with the pod's address ready or not,
 * then repacked so addresses that offer the same ports share a subset.
 */
export function computeEndpointSubsets(service: Service, pods: Iterable<Pod>, nodeLost: NodeLostCheck): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const headless = service.spec?.clusterIP === 'None';
  const raw: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = endpointIP(service, pod);
    if (!ip) continue;
    const address = podAddress(service, pod, ip);
    const ready = publishNotReady || isPodReady(pod, nodeLost);
    const add = (ports: EndpointPort[]): void => {
      raw.push(ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
    };
    if (servicePorts.length === 0) {
      // A headless Service may have no ports; its endpoints are addresses alone.
      if (headless) add([]);
      continue;
    }
    for (const servicePort of servicePorts) {
      const number = findPort(pod, servicePort);
      if (number === undefined) continue;
      // EndpointPort.name is omitempty: an unnamed Service port gives a port without a name.
      const port: EndpointPort = { port: number, protocol: servicePort.protocol ?? 'TCP' };
      if (servicePort.name) port.name = servicePort.name;
      if (servicePort.appProtocol !== undefined) port.appProtocol = servicePort.appProtocol;
      add([port]);
    }
  }
  return repackSubsets(raw);
}

function addressKey(address: EndpointAddress): string {
  return `${address.ip ?? ''}\u0000${address.targetRef?.uid ?? ''}`;
}

function portKey(port: EndpointPort): string {
  return `${port.name ?? ''}\u0000${port.port ?? 0}\u0000${port.protocol ?? ''}\u0000${port.appProtocol ?? ''}`;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const byName = (a.name ?? '').localeCompare(b.name ?? '');
  if (byName !== 0) return byName;
  if ((a.port ?? 0) !== (b.port ?? 0)) return (a.port ?? 0) - (b.port ?? 0);
  return (a.protocol ?? '').localeCompare(b.protocol ?? '');
}

/**
 * endpoints.RepackSubsets: map each port to the addresses offering it (an
 * address ready on any subset is ready), then group ports by identical
 * address sets. Upstream orders ports and subsets by a hash of their Go
 * representation; skiff orders them by name, number and first address, which
 * is just as stable and readable.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort | undefined; ready: Map<string, boolean> }>();
  const note = (port: EndpointPort | undefined, address: EndpointAddress, ready: boolean): void => {
    const key = addressKey(address);
    if (!addresses.has(key)) addresses.set(key, address);
    const pk = port ? portKey(port) : '';
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
    if (entry.ready.get(key) !== true) entry.ready.set(key, ready);
  };
  for (const subset of subsets) {
    const ports: (EndpointPort | undefined)[] = (subset.ports ?? []).length > 0 ? subset.ports! : [undefined];
    for (const port of ports) {
      for (const address of subset.addresses ?? []) note(port, address, true);
      for (const address of subset.notReadyAddresses ?? []) note(port, address, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const signature = [...ready].map(([key, isReady]) => `${key}\u0000${isReady ? 1 : 0}`).sort().join('\u0001');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { ready, ports: [] }));
    if (port) group.ports.push(port);
  }
  const result: EndpointSubset[] = [];
  for (const group of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [key, isReady] of group.ready) (isReady ? ready : notReady).push(addresses.get(key)!);
    const subset: EndpointSubset = {};
    if (ready.length > 0) subset.addresses = ready.sort(compareAddresses);
    if (notReady.length > 0) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (group.ports.length > 0) subset.ports = group.ports.sort(comparePorts);
    result.push(subset);
  }
  const first = (s: EndpointSubset): EndpointAddress => (s.addresses ?? s.notReadyAddresses ?? [])[0] ?? {};
  return result.sort((a, b) => compareAddresses(first(a), first(b)) || (a.ports?.[0] && b.ports?.[0] ? comparePorts(a.ports[0], b.ports[0]) : 0));
}

/**
 * truncateEndpoints: past MAX_ENDPOINTS_ADDRESSES addresses, not-ready ones
 * go first; each subset keeps a share proportional to its size. Returns
 * whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const subset of subsets) {
    totalReady += (subset.addresses ?? []).length;
    totalNotReady += (subset.notReadyAddresses ?? []).length;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_ADDRESSES) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_ADDRESSES;
  const max = truncateReady ? MAX_ENDPOINTS_ADDRESSES : MAX_ENDPOINTS_ADDRESSES - totalReady;
  const total = truncateReady ? totalReady : totalNotReady;
  let room = max;
  for (const subset of subsets) {
    const inSubset = (truncateReady ? subset.addresses : subset.notReadyAddresses) ?? [];
    const share = Math.min(Math.ceil((inSubset.length / total) * max), room);
    if (truncateReady) {
      subset.addresses = inSubset.slice(0, share);
      delete subset.notReadyAddresses;
      room -= subset.addresses.length;
    } else {
      subset.notReadyAddresses = inSubset.slice(0, share);
      room -= subset.notReadyAddresses.length;
    }
    if (subset.addresses?.length === 0) delete subset.addresses;
    if (subset.notReadyAddresses?.length === 0) delete subset.notReadyAddresses;
  }
  // A subset left with no address at all would not validate.
  for (let i = subsets.length - 1; i >= 0; i--) {
    if (!subsets[i]!.addresses && !subsets[i]!.notReadyAddresses) subsets.splice(i, 1);
  }
  return true;
}

/**
 * The Endpoints object `service` should have, or undefined when `current`
 * already says the same (subsets, labels, capacity marker); the trigger
 * time annotation alone never causes a write.
 */
export function desiredEndpoints(
  service: Service,
  pods: Iterable<Pod>,
  nodeLost: NodeLostCheck,
  current: Endpoints | undefined,
  triggerTime: string | undefined,
): Endpoints | undefined {
  const subsets = computeEndpointSubsets(service, pods, nodeLost);
  const truncated = truncateSubsets(subsets);
  const labels = endpointLabels(service);
  if (current) {
    const currentAnnotations = current.metadata.annotations ?? {};
    const unchanged = semanticEqual(current.subsets ?? [], subsets)
      && semanticEqual(current.metadata.labels ?? {}, labels)
      && (OVER_CAPACITY_ANNOTATION in currentAnnotations) === truncated;
    if (unchanged) return undefined;
  }
  const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
  if (triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = triggerTime;
  else delete annotations[TRIGGER_TIME_ANNOTATION];
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  const metadata: Endpoints['metadata'] = current
    ? { ...current.metadata, labels, annotations }
    : { name: service.metadata.name, namespace: service.metadata.namespace, labels, annotations };
  const endpoints: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata };
  if (subsets.length > 0) endpoints.subsets = subsets;
  return endpoints;
}
