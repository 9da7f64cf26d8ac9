import type { FastifyBaseLogger } from 'fastify';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { LocalInformer } from './local-informer.js';

/**
 * One informer per resource for every controller of the server, as
 * client-go's SharedInformerFactory: 100,000 pods are listed and cached
 * once, not once per controller. Informers are created on first request and
 * started together; one asked for after start() starts at once.
 */
export class SharedInformers {
  private readonly informers = new Map<string, LocalInformer<KubeObject>>();
  private started = false;

  constructor(
    private readonly hub: WatchHub,
    private readonly registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
    private readonly log?: FastifyBaseLogger,
  ) {}

  informer<T extends KubeObject>(resource: string): LocalInformer<T> {
    let informer = this.informers.get(resource);
    if (!informer) {
      const registry = this.registries.get(resource);
      if (!registry) throw new Error(`no registry for ${resource}`);
      informer = new LocalInformer(this.hub, registry, {
        onError: (error) => this.log?.error({ err: error, resource }, 'informer handler failed'),
      });
      this.informers.set(resource, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as LocalInformer<T>;
  }

  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  stop(): void {
    this.started = false;
    for (const informer of this.informers.values()) informer.stop();
  }
}
