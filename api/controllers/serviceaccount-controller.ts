import type { FastifyBaseLogger } from 'fastify';
import { isApiError } from '../resources/generic-registry.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import { SharedInformers } from './shared-informers.js';
import type { KubeObject } from '../resources/strategy.js';
import type { Namespace } from '../schemas/namespace.js';
import type { ServiceAccount } from '../schemas/serviceaccount.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { CoalescingQueue } from './coalescing-queue.js';
import type { Controller } from './controller.js';
import type { LocalInformer } from './local-informer.js';

/** The account every Namespace has, that Pods run as unless they name another. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

export interface ServiceAccountControllerDeps {
  namespaces: LocalInformer<Namespace>;
  serviceAccounts: LocalInformer<ServiceAccount>;
  registry: GenericRegistry<ServiceAccount>;
  hub: WatchHub;
  log?: FastifyBaseLogger;
}

/**
 * Upstream's ServiceAccountsController: keeps a `default` ServiceAccount in
 * every active Namespace, recreating it when it is deleted. A work queue of
 * namespace names, each processed idempotently: create when missing, nothing
 * when present or when the Namespace is terminating.
 */
export class ServiceAccountController implements Controller {
  private readonly queue: CoalescingQueue;
  private readonly removers: Array<() => void> = [];

  constructor(private readonly deps: ServiceAccountControllerDeps) {
    this.queue = new CoalescingQueue((namespace) => this.sync(namespace), {
      onError: (namespace, error) => deps.log?.warn({ err: error, namespace }, 'could not create the default ServiceAccount'),
    });
  }

  start(): void {
    this.removers.push(this.deps.namespaces.addHandler({
      added: (ns) => this.queue.add(ns.metadata.name ?? ''),
      updated: (ns) => this.queue.add(ns.metadata.name ?? ''),
    }));
    this.removers.push(this.deps.serviceAccounts.addHandler({
      deleted: (account) => {
        if (account.metadata.name === DEFAULT_SERVICE_ACCOUNT) this.queue.add(account.metadata.namespace ?? '');
      },
    }));
  }

  stop(): void {
    for (const remove of this.removers.splice(0)) remove();
    this.queue.stop();
  }

  private async sync(namespaceName: string): Promise<void> {
    const namespace = this.deps.namespaces.get('', namespaceName);
    if (!namespace || namespace.metadata.deletionTimestamp || namespace.status?.phase === 'Terminating') return;
    if (this.deps.serviceAccounts.get(namespaceName, DEFAULT_SERVICE_ACCOUNT)) return;
    try {
      await this.deps.registry.grouped.create(namespaceName, { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: namespaceName } } satisfies KubeObject);
      this.deps.hub.notify();
    } catch (error) {
      // Already there (the cache lags the store), or the Namespace went away or began terminating meanwhile.
      if (isApiError(error) && [403, 404, 409].includes(error.code)) return;
      throw error;
    }
  }
}

/** The controller over its own informers for Namespaces and ServiceAccounts; the informers start after its handlers are in place. */
export function serviceAccountControllers(registries: ReadonlyMap<string, GenericRegistry<KubeObject>>, hub: WatchHub, log?: FastifyBaseLogger): Controller[] {
  const informers = new SharedInformers(hub, registries, log);
  const registry = registries.get('serviceaccounts') as unknown as GenericRegistry<ServiceAccount> | undefined;
  if (!registry) throw new Error('no registry for serviceaccounts');
  const controller = new ServiceAccountController({
    namespaces: informers.informer<Namespace>('namespaces'),
    serviceAccounts: informers.informer<ServiceAccount>('serviceaccounts'),
    registry, hub, log,
  });
  return [controller, informers];
}
