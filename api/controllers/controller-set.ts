import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../storage/store.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { ServerConfig } from '../server-config.js';
import type { WatchHub } from '../watch/watch-hub.js';
import type { Controller } from './controller.js';
import { networkControllers } from './network-controllers.js';
import { serviceAccountControllers } from './serviceaccount-controller.js';

export interface ControllerSet {
  stop(): Promise<void>;
}

type Registries = ReadonlyMap<string, GenericRegistry<KubeObject>>;

/** The in-process controllers of `skiff server`, fed by the watch hub, started in order and stopped in reverse. */
export function startControllers(config: ServerConfig, registries: Registries, hub: WatchHub, store: Store, log: FastifyBaseLogger): ControllerSet {
  const controllers: Controller[] = [...networkControllers(config, registries, hub, store, log), ...serviceAccountControllers(registries, hub, log)];
  for (const controller of controllers) controller.start();
  return {
    async stop() {
      for (const controller of [...controllers].reverse()) await controller.stop();
    },
  };
}

