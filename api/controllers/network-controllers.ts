import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../storage/store.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { Endpoints } from '../schemas/endpoints.js';
import type { EndpointSlice } from '../schemas/endpointslice.js';
import type { Lease } from '../schemas/lease.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import type { Service } from '../schemas/service.js';
import type { ServerConfig } from '../server-config.js';
import type { WatchHub } from '../watch/watch-hub.js';
import type { Controller } from './controller.js';
import { EndpointSliceController } from './endpoints/endpointslice-controller.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { NodeLifecycleController } from './node-lifecycle/node-lifecycle-controller.js';
import { Scheduler } from './scheduler/scheduler.js';
import { ServiceMembership } from './endpoints/service-membership.js';
import { SharedInformers } from './shared-informers.js';

function registry<T extends KubeObject>(registries: ReadonlyMap<string, GenericRegistry<KubeObject>>, resource: string): GenericRegistry<T> {
  const found = registries.get(resource);
  if (!found) throw new Error(`no registry for ${resource}`);
  return found as unknown as GenericRegistry<T>;
}

/**
 * The scheduler, the node lifecycle controller and the endpoints and
 * EndpointSlice controllers, over one set of shared informers. The informers
 * start last, so every handler is in place for the initial lists; services
 * are listed before pods, so each pod's arrival finds its Services through
 * the selector index instead of one storage query per Service.
 */
export function networkControllers(
  config: ServerConfig,
  registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
  hub: WatchHub,
  store: Store,
  log?: FastifyBaseLogger,
): Controller[] {
  const informers = new SharedInformers(hub, registries, log);
  const nodes = informers.informer<Node>('nodes');
  const services = informers.informer<Service>('services');
  const pods = informers.informer<Pod>('pods');
  const leases = informers.informer<Lease>('leases');
  const endpoints = informers.informer<Endpoints>('endpoints');
  const slices = informers.informer<EndpointSlice>('endpointslices');
  const podRegistry = registry<Pod>(registries, 'pods');
  const membership = new ServiceMembership({ pods, services, nodes, podRegistry });
  return [
    new Scheduler({ pods, nodes, podRegistry, hub, log }),
    new NodeLifecycleController(
      {
        nodes, leases, pods, podRegistry, hub, log,
        nodeRegistry: registry<Node>(registries, 'nodes'),
        leaseRegistry: registry<Lease>(registries, 'leases'),
      },
      { gracePeriodMs: config.nodeMonitorGracePeriodMs },
    ),
    membership,
    // Slices first: agents program from them, so their writes lead each tick.
    new EndpointSliceController({ membership, slices, registry: registry<EndpointSlice>(registries, 'endpointslices'), store, hub, log }),
    new EndpointsController({ membership, endpoints, registry: registry<Endpoints>(registries, 'endpoints'), store, hub, log }),
    informers,
  ];
}
