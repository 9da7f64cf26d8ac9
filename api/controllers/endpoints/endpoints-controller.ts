import type { FastifyBaseLogger } from 'fastify';
import type { GenericRegistry } from '../../resources/generic-registry.js';
import type { Endpoints } from '../../schemas/endpoints.js';
import type { Store } from '../../../storage/store.js';
import type { WatchHub } from '../../watch/watch-hub.js';
import type { Controller } from '../controller.js';
import { CoalescingQueue } from '../coalescing-queue.js';
import { TRIGGER_TIME_ANNOTATION, formatRfc3339Nano, hasManagedEndpoints } from './pod-endpoint-rules.js';
import { desiredEndpoints } from './desired-endpoints.js';
import type { LocalInformer } from '../local-informer.js';
import { objectKey, splitKey } from '../object-key.js';
import type { ServiceMembership } from './service-membership.js';

export interface EndpointsControllerDeps {
  membership: ServiceMembership;
  endpoints: LocalInformer<Endpoints>;
  registry: GenericRegistry<Endpoints>;
  store: Store;
  hub: WatchHub;
  log?: FastifyBaseLogger;
}

/** How long to wait before looking again at a Service whose Endpoints the cache has not caught up with. */
const STALE_CACHE_RETRY_MS = 5;

/**
 * Keeps one core/v1 Endpoints object per selecting Service (upstream's
 * endpoints controller). Endpoints of a Service without a selector are the
 * user's and are never touched; those of a deleted Service go in the
 * Service's own delete transaction (endpointsAdmissionHooks).
 */
export class EndpointsController implements Controller {
  private readonly queue: CoalescingQueue;
  /** Revision of this controller's last write per Service: the cache must reach it before the next sync. */
  private readonly lastWrite = new Map<string, number>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: EndpointsControllerDeps) {
    this.queue = new CoalescingQueue((key, trigger) => this.sync(key, trigger), {
      onError: (key, error) => deps.log?.warn({ err: error, service: key }, 'endpoints sync failed; retrying'),
    });
  }

  start(): void {
    const { membership, endpoints } = this.deps;
    this.unsubscribers.push(
      membership.onChange((key, trigger) => this.queue.add(key, trigger)),
      endpoints.addHandler({
        added: (object) => this.observed(object),
        updated: (object) => this.observed(object),
        deleted: (object) => this.observed(object),
      }),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.queue.stop();
  }

  /**
   * Someone else wrote or deleted an Endpoints object of a selecting Service
   * (or one this controller made outlived its Service): look again.
   */
  private observed(object: Endpoints): void {
    const key = objectKey(object);
    if (Number(object.metadata.resourceVersion) === this.lastWrite.get(key)) return;
    const service = this.deps.membership.service(key);
    const managed = service ? hasManagedEndpoints(service) : object.metadata.annotations?.[TRIGGER_TIME_ANNOTATION] !== undefined;
    if (managed) this.queue.add(key);
  }

  /**
   * One Service: compute its Endpoints and, when they differ from the stored
   * object, write them in a savepoint of the next group commit, shared with
   * every other write of the tick.
   */
  private sync(key: string, triggerTimeMs: number | undefined): Promise<void> | undefined {
    const { membership, endpoints, registry, store, hub } = this.deps;
    const last = this.lastWrite.get(key);
    if (last !== undefined && endpoints.revision < last) {
      this.queue.addAfter(key, triggerTimeMs, STALE_CACHE_RETRY_MS);
      return undefined;
    }
    const { namespace, name } = splitKey(key);
    const service = membership.service(key);
    const current = endpoints.get(namespace, name);
    let write: () => Endpoints;
    if (!service) {
      this.lastWrite.delete(key);
      // Left over from a Service deleted while no server ran its hook: upstream's checkLeftoverEndpoints.
      if (current?.metadata.annotations?.[TRIGGER_TIME_ANNOTATION] === undefined) return undefined;
      write = () => registry.delete(namespace, name, { preconditions: { resourceVersion: current.metadata.resourceVersion } });
    } else {
      if (!hasManagedEndpoints(service)) return undefined;
      const trigger = formatRfc3339Nano(triggerTimeMs ?? Date.now());
      const desired = desiredEndpoints(service, membership.membersOf(key), membership.nodeLost, current, trigger);
      if (!desired) return undefined;
      write = () => (current ? registry.update(namespace, name, desired).object : registry.create(namespace, desired));
    }
    return store.transactionGrouped(write).then((written) => {
      if (service) this.lastWrite.set(key, Number(written.metadata.resourceVersion));
      hub.notify();
    });
  }
}
