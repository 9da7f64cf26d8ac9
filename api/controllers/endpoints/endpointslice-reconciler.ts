import type { OwnerReference } from '../../schemas/meta.js';
import type { Endpoint, EndpointSlice, EndpointSlicePort } from '../../schemas/endpointslice.js';
import type { Pod } from '../../schemas/pod.js';
import type { Service } from '../../schemas/service.js';
import { semanticEqual } from '../../resources/semantic-equal.js';
import { SERVICE_NAME_LABEL } from '../../resources/endpointslice.js';
import type { IPFamily } from '../../validation/ip-address.js';
import {
  TRIGGER_TIME_ANNOTATION,
  endpointHostname,
  endpointLabels,
  findPort,
  isPodReady,
  isPodTerminating,
  podIPOfFamily,
  podReference,
  serviceAddressFamilies,
  shouldPodBeInEndpoints,
  type NodeLostCheck,
} from './pod-endpoint-rules.js';

// The EndpointSlices a Service's pods make (upstream's endpointslice
// reconciler), as pure functions: what the slices should hold, and the fewest
// creates, updates and deletes that get the stored slices there.

export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** Endpoints of one address family that offer the same ports: the unit a slice holds. */
export interface EndpointGroup {
  addressType: IPFamily;
  ports: EndpointSlicePort[];
  endpoints: Endpoint[];
}

export interface SliceChanges {
  /** New slices, named by generateName. */
  create: EndpointSlice[];
  /** Stored slices with new content, carrying the resourceVersion they were read at. */
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

function portsKey(ports: readonly EndpointSlicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => `${p.name ?? ''}\u0000${p.port ?? ''}\u0000${p.protocol ?? 'TCP'}\u0000${p.appProtocol ?? ''}`)
    .sort()
    .join('\u0001');
}

function groupKey(addressType: string | undefined, ports: readonly EndpointSlicePort[] | undefined): string {
  return `${addressType ?? ''}\u0002${portsKey(ports)}`;
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.addresses?.[0] ?? ''}\u0000${endpoint.targetRef?.uid ?? ''}`;
}

/** getEndpointPorts: the service ports this pod resolves, in service order. */
function endpointPorts(service: Service, pod: Pod): EndpointSlicePort[] {
  const ports: EndpointSlicePort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const number = findPort(pod, servicePort);
    if (number === undefined) continue;
    const port: EndpointSlicePort = { name: servicePort.name ?? '', port: number, protocol: servicePort.protocol ?? 'TCP' };
    if (servicePort.appProtocol !== undefined) port.appProtocol = servicePort.appProtocol;
    ports.push(port);
  }
  return ports;
}

/** podToEndpoint: `ready` never holds for a terminating pod, unless the Service publishes not-ready addresses. */
function podToEndpoint(service: Service, pod: Pod, ip: string, nodeLost: NodeLostCheck): Endpoint {
  const serving = isPodReady(pod, nodeLost);
  const terminating = isPodTerminating(pod);
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: Endpoint = { addresses: [ip], conditions: { ready, serving, terminating } };
  const hostname = endpointHostname(pod, service);
  if (hostname) endpoint.hostname = hostname;
  endpoint.targetRef = podReference(pod);
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  return endpoint;
}

/**
 * The endpoints of `service`, grouped by address family and resolved ports.
 * Terminating pods stay in (with terminating: true) so that agents can
 * drain them; pods that resolve none of the ports form a group without ports,
 * as upstream does.
 */
export function desiredEndpointGroups(service: Service, pods: readonly Pod[], nodeLost: NodeLostCheck): EndpointGroup[] {
  const families = serviceAddressFamilies(service, pods);
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(service, pod);
    for (const family of families) {
      const ip = podIPOfFamily(pod, family);
      if (!ip) continue;
      const key = groupKey(family, ports);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { addressType: family, ports, endpoints: [] }));
      group.endpoints.push(podToEndpoint(service, pod, ip, nodeLost));
    }
  }
  return [...groups.values()];
}

export function sliceLabels(service: Service): Record<string, string> {
  return {
    ...endpointLabels(service, [SERVICE_NAME_LABEL, MANAGED_BY_LABEL]),
    [SERVICE_NAME_LABEL]: service.metadata.name ?? '',
    [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER_NAME,
  };
}

/** metav1.NewControllerRef(service). */
export function serviceOwnerReference(service: Service): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: service.metadata.name ?? '', uid: service.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

interface Working {
  slice: EndpointSlice;
  group: string;
  endpoints: Endpoint[];
  changed: boolean;
}

/**
 * Reconciles the stored slices of one Service with the desired groups.
 * Endpoints stay in the slice that already holds them, so an unrelated
 * change rewrites one slice, not all; new endpoints fill slices that are
 * being written anyway, then slices with room, then new slices of at most
 * `maxPerSlice`. A family with no endpoints keeps one empty placeholder slice
 * (upstream does this so consumers can tell "no endpoints" from "not yet
 * reconciled"). Slices whose family or ports no longer occur are deleted.
 */
export function reconcileSlices(
  service: Service,
  groups: readonly EndpointGroup[],
  existing: readonly EndpointSlice[],
  triggerTime: string | undefined,
  maxPerSlice = MAX_ENDPOINTS_PER_SLICE,
): SliceChanges {
  // Declared families each get slices (a placeholder at least); otherwise the families the pods have.
  const declared = (service.spec?.ipFamilies ?? []).length > 0 ? serviceAddressFamilies(service, []) : [];
  const wantedFamilies = new Set<string>([...declared, ...groups.map((g) => g.addressType)]);
  if (wantedFamilies.size === 0) wantedFamilies.add('IPv4');
  const labels = sliceLabels(service);
  const owner = serviceOwnerReference(service);
  const desired = new Map<string, { group: EndpointGroup; byKey: Map<string, Endpoint>; placed: Set<string> }>();
  for (const group of groups) {
    desired.set(groupKey(group.addressType, group.ports), {
      group,
      byKey: new Map(group.endpoints.map((e) => [endpointKey(e), e])),
      placed: new Set(),
    });
  }

  const changes: SliceChanges = { create: [], update: [], delete: [] };
  const kept: Working[] = [];
  const metadataDrifted = (slice: EndpointSlice): boolean =>
    !semanticEqual(slice.metadata.labels ?? {}, labels) || !semanticEqual(slice.metadata.ownerReferences ?? [], [owner]);

  for (const slice of [...existing].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const key = groupKey(slice.addressType, slice.ports);
    const wanted = desired.get(key);
    if (!wantedFamilies.has(slice.addressType ?? '')) {
      changes.delete.push(slice);
      continue;
    }
    const endpoints: Endpoint[] = [];
    if (wanted) {
      for (const endpoint of slice.endpoints ?? []) {
        const k = endpointKey(endpoint);
        const next = wanted.byKey.get(k);
        if (!next || wanted.placed.has(k) || endpoints.length >= maxPerSlice) continue;
        endpoints.push(next);
        wanted.placed.add(k);
      }
    }
    const changed = !semanticEqual(endpoints, slice.endpoints ?? [])
      || (wanted !== undefined && !semanticEqual(slice.ports ?? [], wanted.group.ports))
      || metadataDrifted(slice);
    kept.push({ slice, group: key, endpoints, changed });
  }

  const fresh: Working[] = [];
  for (const [key, { group, placed }] of [...desired].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const remaining = group.endpoints.filter((e) => !placed.has(endpointKey(e)));
    if (remaining.length === 0) continue;
    // Slices being written anyway first, then those with room: fewer writes than opening new ones.
    const candidates = kept.filter((w) => w.group === key).sort((a, b) => Number(b.changed) - Number(a.changed));
    for (const working of candidates) {
      while (remaining.length > 0 && working.endpoints.length < maxPerSlice) {
        working.endpoints.push(remaining.shift()!);
        working.changed = true;
      }
    }
    while (remaining.length > 0) {
      fresh.push({ slice: newSlice(service, group.addressType, group.ports, labels, owner), group: key, endpoints: remaining.splice(0, maxPerSlice), changed: true });
    }
  }

  const placeholderFamilies = [...wantedFamilies].filter((family) => !groups.some((g) => g.addressType === family && g.endpoints.length > 0));
  for (const working of kept) {
    if (working.endpoints.length > 0) continue;
    const family = working.slice.addressType ?? '';
    const reusable = placeholderFamilies.includes(family) && (working.slice.ports ?? []).length === 0;
    if (reusable) {
      // The empty slice already stored is the placeholder this family needs.
      placeholderFamilies.splice(placeholderFamilies.indexOf(family), 1);
      working.changed = metadataDrifted(working.slice) || (working.slice.endpoints ?? []).length > 0;
      continue;
    }
    working.changed = false;
    changes.delete.push(working.slice);
  }
  for (const family of placeholderFamilies) {
    fresh.push({ slice: newSlice(service, family as IPFamily, [], labels, owner), group: '', endpoints: [], changed: true });
  }

  const finish = (working: Working): EndpointSlice => {
    const annotations = { ...(working.slice.metadata.annotations ?? {}) };
    if (triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = triggerTime;
    const ports = desired.get(working.group)?.group.ports ?? working.slice.ports ?? [];
    return {
      ...working.slice,
      metadata: { ...working.slice.metadata, labels, annotations, ownerReferences: [owner] },
      endpoints: working.endpoints,
      ports,
    };
  };
  for (const working of kept) {
    if (working.changed) changes.update.push(finish(working));
  }
  for (const working of fresh) changes.create.push(finish(working));
  return changes;
}

function newSlice(service: Service, addressType: IPFamily, ports: EndpointSlicePort[], labels: Record<string, string>, owner: OwnerReference): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: `${service.metadata.name ?? ''}-`, namespace: service.metadata.namespace, labels, ownerReferences: [owner] },
    addressType,
    endpoints: [],
    ports,
  };
}
