import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../../storage/store.js';
import { repairAllocations } from '../allocators/repair.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { Lease } from '../schemas/lease.js';
import type { ServerConfig } from '../server-config.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { startControllers, type ControllerSet } from './controller-set.js';
import { LeaderElector } from './leader-election/leader-elector.js';
import { registryLeaseLock } from './leader-election/registry-lease-lock.js';

/** kube-controller-manager's Lease; one per cluster, in kube-system. */
export const CONTROLLER_LEASE_NAMESPACE = 'kube-system';
export const CONTROLLER_LEASE_NAME = 'skiff-controller-manager';

/**
 * The controllers of one server under leader election: of all servers on one
 * store, only the Lease holder repairs allocations and runs the controllers,
 * as kube-controller-manager does; the others serve the API and wait.
 */
export class ControllerManager {
  private readonly elector: LeaderElector | undefined;
  private controllers: ControllerSet | undefined;
  private repairedAtStart = false;
  readonly identity = `${hostname()}_${randomUUID()}`;

  constructor(
    private readonly config: ServerConfig,
    private readonly registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
    private readonly hub: WatchHub,
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
  ) {
    if (!config.controllers) return;
    const leases = registries.get('leases') as GenericRegistry<Lease> | undefined;
    if (!leases) throw new Error('leader election needs the leases resource');
    this.elector = new LeaderElector({
      ...config.leaderElection,
      lock: registryLeaseLock(leases, CONTROLLER_LEASE_NAMESPACE, CONTROLLER_LEASE_NAME),
      identity: this.identity,
      log,
      callbacks: {
        onStartedLeading: () => this.lead(),
        onStoppedLeading: () => this.standDown(),
      },
    });
  }

  /** Whether this server runs the controllers now. */
  get leading(): boolean {
    return this.controllers !== undefined;
  }

  /** Resolves after the first election attempt: a lone server runs its controllers before it serves. */
  async start(): Promise<void> {
    if (!this.elector) return;
    // Like kube-apiserver's own repair loops, every server checks the
    // allocations before it serves, so a damaged file is mended even while a
    // crashed leader's Lease has yet to expire.
    this.repair();
    this.repairedAtStart = true;
    await this.elector.start();
  }

  async stop(): Promise<void> {
    await this.elector?.stop();
    await this.standDown();
  }

  private lead(): void {
    // The start-up check just ran; a later term reconciles what happened while another server led.
    if (!this.repairedAtStart) this.repair();
    this.repairedAtStart = false;
    this.controllers = startControllers(this.config, this.registries, this.hub, this.store, this.log);
  }

  /** A crash between two servers' writes cannot leave a shared address, but a hand-edited or older file can. */
  private repair(): void {
    repairAllocations(this.store, this.config, this.log);
  }

  private async standDown(): Promise<void> {
    const running = this.controllers;
    this.controllers = undefined;
    await running?.stop();
  }
}
