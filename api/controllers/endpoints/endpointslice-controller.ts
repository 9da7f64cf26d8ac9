import type { FastifyBaseLogger } from 'fastify';
import type { GenericRegistry } from '../../resources/generic-registry.js';
import type { EndpointSlice } from '../../schemas/endpointslice.js';
import type { Store } from '../../../storage/store.js';
import type { WatchHub } from '../../watch/watch-hub.js';
import type { Controller } from '../controller.js';
import { CoalescingQueue } from '../coalescing-queue.js';
import { SERVICE_NAME_LABEL } from '../../resources/endpointslice.js';
import { formatRfc3339Nano, hasManagedEndpoints } from './pod-endpoint-rules.js';
import {
  ENDPOINTSLICE_CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  MAX_ENDPOINTS_PER_SLICE,
  desiredEndpointGroups,
  reconcileSlices,
  type SliceChanges,
} from './endpointslice-reconciler.js';
import type { LocalInformer } from '../local-informer.js';
import { keyFor, splitKey } from '../object-key.js';
import type { ServiceMembership } from './service-membership.js';

export interface EndpointSliceControllerDeps {
  membership: ServiceMembership;
  slices: LocalInformer<EndpointSlice>;
  registry: GenericRegistry<EndpointSlice>;
  store: Store;
  hub: WatchHub;
  maxEndpointsPerSlice?: number;
  log?: FastifyBaseLogger;
}

/** Managed slices, by the "namespace/name" of their Service. */
export const SLICES_BY_SERVICE_INDEX = 'endpointslice.kubernetes.io/service';

function managingService(slice: EndpointSlice): string[] {
  const labels = slice.metadata.labels ?? {};
  const service = labels[SERVICE_NAME_LABEL];
  if (!service || labels[MANAGED_BY_LABEL] !== ENDPOINTSLICE_CONTROLLER_NAME) return [];
  return [keyFor(slice.metadata.namespace, service)];
}

const STALE_CACHE_RETRY_MS = 5;

/**
 * Keeps the discovery.k8s.io/v1 EndpointSlices of every selecting Service
 * (upstream's EndpointSlice controller): each Service's changes are written
 * in one transaction, and only the slices whose content changed.
 */
export class EndpointSliceController implements Controller {
  private readonly queue: CoalescingQueue;
  private readonly lastWrite = new Map<string, number>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: EndpointSliceControllerDeps) {
    deps.slices.addIndex(SLICES_BY_SERVICE_INDEX, managingService);
    this.queue = new CoalescingQueue((key, trigger) => this.sync(key, trigger), {
      onError: (key, error) => deps.log?.warn({ err: error, service: key }, 'endpointslice sync failed; retrying'),
    });
  }

  start(): void {
    const { membership, slices } = this.deps;
    this.unsubscribers.push(
      membership.onChange((key, trigger) => this.queue.add(key, trigger)),
      slices.addHandler({
        added: (slice) => this.observed(slice),
        updated: (slice) => this.observed(slice),
        deleted: (slice) => this.observed(slice),
      }),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.queue.stop();
  }

  /** A managed slice written by someone else, or outliving its Service: reconcile that Service. */
  private observed(slice: EndpointSlice): void {
    const [key] = managingService(slice);
    if (!key) return;
    if (Number(slice.metadata.resourceVersion) <= (this.lastWrite.get(key) ?? 0)) return;
    this.queue.add(key);
  }

  /**
   * One Service: reconcile its slices and write the changes in one savepoint
   * of the next group commit, shared with every other write of the tick.
   */
  private sync(key: string, triggerTimeMs: number | undefined): Promise<void> | undefined {
    const { membership, slices, registry, store, hub } = this.deps;
    const last = this.lastWrite.get(key);
    if (last !== undefined && slices.revision < last) {
      this.queue.addAfter(key, triggerTimeMs, STALE_CACHE_RETRY_MS);
      return undefined;
    }
    const { namespace } = splitKey(key);
    const service = membership.service(key);
    const existing = slices.byIndex(SLICES_BY_SERVICE_INDEX, key);
    let changes: SliceChanges;
    if (!service || !hasManagedEndpoints(service)) {
      if (existing.length === 0) {
        this.lastWrite.delete(key);
        return undefined;
      }
      changes = { create: [], update: [], delete: existing };
    } else {
      const groups = desiredEndpointGroups(service, membership.membersOf(key), membership.nodeLost);
      const trigger = formatRfc3339Nano(triggerTimeMs ?? Date.now());
      changes = reconcileSlices(service, groups, existing, trigger, this.deps.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE);
    }
    if (changes.create.length + changes.update.length + changes.delete.length === 0) return undefined;
    return store.transactionGrouped(() => {
      let newest = 0;
      const note = (object: EndpointSlice): void => {
        newest = Math.max(newest, Number(object.metadata.resourceVersion));
      };
      for (const slice of changes.delete) {
        note(registry.delete(namespace, slice.metadata.name ?? '', { preconditions: { resourceVersion: slice.metadata.resourceVersion } }));
      }
      for (const slice of changes.update) note(registry.update(namespace, slice.metadata.name ?? '', slice).object);
      for (const slice of changes.create) note(registry.create(namespace, slice));
      return newest;
    }).then((revision) => {
      this.lastWrite.set(key, revision);
      hub.notify();
    });
  }
}
