import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../storage/store.js';
import type { AdmissionHooks, GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { ServerConfig } from '../server-config.js';
import type { WatchHub } from '../watch/watch-hub.js';

export interface Controller {
  start(): void;
  stop(): Promise<void> | void;
}

export interface ControllerSet {
  stop(): Promise<void>;
}

/**
 * The in-process controllers of `skiff server`, each fed by the watch hub.
 * Every controller is listed here, in start order.
 */
export function startControllers(
  _config: ServerConfig,
  _registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
  _hub: WatchHub,
  _store: Store,
  _log: FastifyBaseLogger,
): ControllerSet {
  const controllers: Controller[] = [];
  for (const controller of controllers) controller.start();
  return {
    async stop() {
      for (const controller of [...controllers].reverse()) await controller.stop();
    },
  };
}

/** Admission hooks (allocations inside the write transaction), per resource. */
export function admissionHooksFor(
  _config: ServerConfig,
  _registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
): Map<string, AdmissionHooks<KubeObject>> {
  return new Map();
}
