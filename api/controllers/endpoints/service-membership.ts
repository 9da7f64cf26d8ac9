import type { GenericRegistry } from '../../resources/generic-registry.js';
import { semanticEqual } from '../../resources/semantic-equal.js';
import { selectorFromSet } from '../../labels/label-selector.js';
import type { Node } from '../../schemas/node.js';
import type { Pod } from '../../schemas/pod.js';
import type { Service } from '../../schemas/service.js';
import { hasManagedEndpoints, serviceSelectorMatches, type NodeLostCheck } from './pod-endpoint-rules.js';
import type { LocalInformer } from '../local-informer.js';
import { isNodeLost } from '../node-lifecycle/node-conditions.js';
import { objectKey } from '../object-key.js';
import { POD_NODE_INDEX, podNodeIndexValues } from '../scheduler/pod-node-index.js';
import { ServiceSelectorIndex } from './service-selector-index.js';

/** A Service whose endpoints may have changed, and when the change that says so was seen (epoch ms). */
export type ServiceChangeListener = (serviceKey: string, triggerTimeMs: number) => void;

export interface ServiceMembershipSources {
  pods: LocalInformer<Pod>;
  services: LocalInformer<Service>;
  nodes: LocalInformer<Node>;
  /** Asked for a Service's pods through the storage label index when its selector changes. */
  podRegistry: GenericRegistry<Pod>;
  /** Epoch milliseconds, fractional; the trigger time of a change. */
  now?: () => number;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Which pods each Service selects, kept incrementally for the endpoints and
 * EndpointSlice controllers, which both listen to it:
 *
 * - a pod change looks up only the Services filed under one of the pod's own
 *   label pairs (ServiceSelectorIndex) plus those it belonged to, never every
 *   Service;
 * - a Service change asks storage for that Service's pods (the label index)
 *   and recomputes that Service alone;
 * - a node declared lost, or back, touches only the Services of its pods.
 *
 * A pod change that leaves every endpoint-relevant field alone (a new
 * annotation, a container status) wakes only the Services it joined or left.
 */
export class ServiceMembership {
  private readonly index = new ServiceSelectorIndex();
  private readonly members = new Map<string, Set<string>>();
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly lostNodes = new Set<string>();
  private readonly listeners = new Set<ServiceChangeListener>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly sources: ServiceMembershipSources) {
    this.now = sources.now ?? (() => performance.timeOrigin + performance.now());
    sources.pods.addIndex(POD_NODE_INDEX, podNodeIndexValues);
  }

  readonly nodeLost: NodeLostCheck = (nodeName) => this.lostNodes.has(nodeName);

  onChange(listener: ServiceChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(): void {
    const { pods, services, nodes } = this.sources;
    this.unsubscribers.push(
      nodes.addHandler({
        added: (node) => this.nodeChanged(node, isNodeLost(node)),
        updated: (node) => this.nodeChanged(node, isNodeLost(node)),
        deleted: (node) => this.nodeChanged(node, false),
      }),
      services.addHandler({
        added: (service) => this.serviceChanged(service, undefined),
        updated: (service, old) => this.serviceChanged(service, old),
        deleted: (service) => this.serviceDeleted(service),
      }),
      pods.addHandler({
        added: (pod) => this.podChanged(pod, undefined),
        updated: (pod, old) => this.podChanged(pod, old),
        deleted: (pod) => this.podDeleted(pod),
      }),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  service(serviceKey: string): Service | undefined {
    return this.sources.services.getByKey(serviceKey);
  }

  /** The selected pods of a Service, in name order so computed objects are stable. */
  membersOf(serviceKey: string): Pod[] {
    const pods: Pod[] = [];
    for (const podKey of this.members.get(serviceKey) ?? NONE) {
      const pod = this.sources.pods.getByKey(podKey);
      if (pod) pods.push(pod);
    }
    return pods.sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  }

  /** Services whose selector the pod's current labels satisfy. */
  servicesOf(podKey: string): ReadonlySet<string> {
    return this.memberOf.get(podKey) ?? NONE;
  }

  private emit(serviceKeys: Iterable<string>): void {
    const time = this.now();
    for (const key of serviceKeys) {
      for (const listener of this.listeners) listener(key, time);
    }
  }

  private serviceChanged(service: Service, old: Service | undefined): void {
    const key = objectKey(service);
    const managed = hasManagedEndpoints(service);
    const wasManaged = old !== undefined && hasManagedEndpoints(old);
    if (!managed) {
      this.index.delete(key);
      this.setMembers(key, NONE);
      // A Service that stops selecting pods still needs its controller-made slices removed.
      if (wasManaged || !old) this.emit([key]);
      return;
    }
    const selector = service.spec!.selector!;
    this.index.set(key, service.metadata.namespace ?? '', selector);
    const selectorChanged = !wasManaged || !semanticEqual(selector, old.spec?.selector) || old.metadata.uid !== service.metadata.uid;
    if (selectorChanged) this.setMembers(key, this.selectedPods(service.metadata.namespace ?? '', selector));
    if (selectorChanged || !semanticEqual(service.spec, old?.spec) || !semanticEqual(service.metadata.labels, old?.metadata.labels)) {
      this.emit([key]);
    }
  }

  private serviceDeleted(service: Service): void {
    const key = objectKey(service);
    this.index.delete(key);
    this.setMembers(key, NONE);
    this.emit([key]);
  }

  /**
   * The pods storage says the selector matches, as the pod cache knows them.
   * A pod whose newer labels storage already has but the cache has not seen
   * is settled when its event arrives, through the selector index.
   */
  private selectedPods(namespace: string, selector: Readonly<Record<string, string>>): Set<string> {
    const selected = new Set<string>();
    // Before the pod cache is filled, each pod's arrival finds its Services through the index.
    if (!this.sources.pods.hasSynced) return selected;
    const stored = this.sources.podRegistry.list(namespace, { labelSelector: selectorFromSet(selector) });
    for (const pod of stored.items) {
      const key = objectKey(pod);
      const cached = this.sources.pods.getByKey(key);
      if (cached && serviceSelectorMatches(selector, cached.metadata.labels)) selected.add(key);
    }
    return selected;
  }

  private setMembers(serviceKey: string, pods: ReadonlySet<string>): void {
    const previous = this.members.get(serviceKey) ?? NONE;
    for (const podKey of previous) {
      if (pods.has(podKey)) continue;
      const services = this.memberOf.get(podKey);
      services?.delete(serviceKey);
      if (services?.size === 0) this.memberOf.delete(podKey);
    }
    for (const podKey of pods) {
      if (previous.has(podKey)) continue;
      let services = this.memberOf.get(podKey);
      if (!services) this.memberOf.set(podKey, (services = new Set()));
      services.add(serviceKey);
    }
    if (pods.size === 0) this.members.delete(serviceKey);
    else this.members.set(serviceKey, new Set(pods));
  }

  private podChanged(pod: Pod, old: Pod | undefined): void {
    const podKey = objectKey(pod);
    const previous = this.memberOf.get(podKey) ?? NONE;
    const next = new Set(this.index.matching(pod.metadata.namespace ?? '', pod.metadata.labels));
    const relevant = old === undefined || endpointFieldsChanged(pod, old);
    const affected: string[] = [];
    for (const serviceKey of previous) {
      if (relevant || !next.has(serviceKey)) affected.push(serviceKey);
      if (!next.has(serviceKey)) this.members.get(serviceKey)?.delete(podKey);
    }
    for (const serviceKey of next) {
      if (previous.has(serviceKey)) continue;
      affected.push(serviceKey);
      let pods = this.members.get(serviceKey);
      if (!pods) this.members.set(serviceKey, (pods = new Set()));
      pods.add(podKey);
    }
    if (next.size === 0) this.memberOf.delete(podKey);
    else this.memberOf.set(podKey, next);
    if (affected.length > 0) this.emit(affected);
  }

  private podDeleted(pod: Pod): void {
    const podKey = objectKey(pod);
    const previous = this.memberOf.get(podKey);
    if (!previous) return;
    this.memberOf.delete(podKey);
    for (const serviceKey of previous) this.members.get(serviceKey)?.delete(podKey);
    this.emit(previous);
  }

  private nodeChanged(node: Node, lost: boolean): void {
    const name = node.metadata.name ?? '';
    if (lost === this.lostNodes.has(name)) return;
    if (lost) this.lostNodes.add(name);
    else this.lostNodes.delete(name);
    const affected = new Set<string>();
    for (const podKey of this.sources.pods.keysByIndex(POD_NODE_INDEX, name)) {
      for (const serviceKey of this.memberOf.get(podKey) ?? NONE) affected.add(serviceKey);
    }
    this.emit(affected);
  }
}

function readyStatus(pod: Pod): string | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status;
}

/** Whether anything an endpoint is made of changed: address, readiness, node, ports, hostname, deletion. */
export function endpointFieldsChanged(pod: Pod, old: Pod): boolean {
  const a = pod.status ?? {};
  const b = old.status ?? {};
  if (a.podIP !== b.podIP || a.phase !== b.phase || readyStatus(pod) !== readyStatus(old)) return true;
  if (pod.metadata.deletionTimestamp !== old.metadata.deletionTimestamp || pod.metadata.uid !== old.metadata.uid) return true;
  if (pod.spec?.nodeName !== old.spec?.nodeName || pod.spec?.hostname !== old.spec?.hostname || pod.spec?.subdomain !== old.spec?.subdomain) return true;
  if (!semanticEqual(a.podIPs, b.podIPs)) return true;
  return !semanticEqual(pod.spec?.containers?.map((c) => c.ports), old.spec?.containers?.map((c) => c.ports));
}
