import type { FastifyBaseLogger } from 'fastify';
import { ConflictError, NotFoundError } from '../../errors.js';
import { applyPodBinding, setPodCondition } from '../../resources/binding.js';
import type { GenericRegistry } from '../../resources/generic-registry.js';
import { timestamp } from '../../resources/object-meta-defaults.js';
import type { Node } from '../../schemas/node.js';
import type { Pod } from '../../schemas/pod.js';
import type { WatchHub } from '../../watch/watch-hub.js';
import type { Controller } from '../controller.js';
import { CoalescingQueue } from '../coalescing-queue.js';
import type { LocalInformer } from '../local-informer.js';
import { nodeReadyCondition } from '../node-lifecycle/node-conditions.js';
import { objectKey, splitKey } from '../object-key.js';
import { isActiveOnNode, needsScheduling, scheduleOne } from './scheduling.js';

export interface SchedulerDeps {
  pods: LocalInformer<Pod>;
  nodes: LocalInformer<Node>;
  podRegistry: GenericRegistry<Pod>;
  hub: WatchHub;
  log?: FastifyBaseLogger;
}

/** Pods that occupy a node, by node name: the least-pods score reads this. */
export const ACTIVE_POD_NODE_INDEX = 'scheduler.active-node';

/** What the filters read of a node. */
function schedulingSignature(node: Node): string {
  return JSON.stringify([nodeReadyCondition(node)?.status, node.spec?.unschedulable, node.spec?.taints, node.metadata.labels]);
}

function activeNode(pod: Pod): string[] {
  return isActiveOnNode(pod) ? [pod.spec!.nodeName!] : [];
}

/**
 * The default scheduler, reduced to what skiff models: every pending pod
 * goes to the feasible node (Ready, schedulable, taints tolerated, node
 * selector matched) with the fewest pods, ties by name. Binding is the
 * registry's `binding` write, the one POST pods/{name}/binding makes, so the
 * Pod IP admission hook runs in the same transaction. A pod with nowhere to
 * go gets PodScheduled=False / Unschedulable with kube-scheduler's message,
 * and is tried again whenever a node changes.
 */
export class Scheduler implements Controller {
  private readonly queue: CoalescingQueue;
  /** Bound by this scheduler but not yet seen bound by the informer ("assumed" pods), by node. */
  private readonly assumed = new Map<string, Set<string>>();
  private readonly assumedNode = new Map<string, string>();
  private readonly unschedulable = new Set<string>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: SchedulerDeps) {
    deps.pods.addIndex(ACTIVE_POD_NODE_INDEX, activeNode);
    this.queue = new CoalescingQueue((key) => this.scheduleKey(key), {
      onError: (key, error) => deps.log?.warn({ err: error, pod: key }, 'scheduling failed; retrying'),
    });
  }

  start(): void {
    const { pods, nodes } = this.deps;
    this.unsubscribers.push(
      pods.addHandler({
        added: (pod) => this.podSeen(pod),
        updated: (pod) => this.podSeen(pod),
        deleted: (pod) => this.forget(objectKey(pod)),
      }),
      nodes.addHandler({
        added: () => this.retryUnschedulable(),
        // Heartbeats change nodes every few seconds; only what the filters read is worth a retry.
        updated: (node, old) => {
          if (schedulingSignature(node) !== schedulingSignature(old)) this.retryUnschedulable();
        },
        deleted: () => this.retryUnschedulable(),
      }),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.queue.stop();
  }

  private podSeen(pod: Pod): void {
    const key = objectKey(pod);
    if (needsScheduling(pod)) {
      this.queue.add(key);
      return;
    }
    this.forget(key);
  }

  private forget(key: string): void {
    this.unschedulable.delete(key);
    const node = this.assumedNode.get(key);
    if (node === undefined) return;
    this.assumedNode.delete(key);
    const set = this.assumed.get(node);
    set?.delete(key);
    if (set?.size === 0) this.assumed.delete(node);
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
  }

  private podsOn = (nodeName: string): number =>
    this.deps.pods.keysByIndex(ACTIVE_POD_NODE_INDEX, nodeName).size + (this.assumed.get(nodeName)?.size ?? 0);

  private scheduleKey(key: string): Promise<void> | undefined {
    const pod = this.deps.pods.getByKey(key);
    if (!pod || !needsScheduling(pod) || this.assumedNode.has(key)) return undefined;
    const result = scheduleOne(pod, [...this.deps.nodes.values()], this.podsOn);
    if ('node' in result) return this.bind(key, pod, result.node);
    return this.markUnschedulable(key, pod, result.message);
  }

  /**
   * Assumes the pod on its node at once, so the next decision in this tick
   * counts it, then binds through a group-committed write (kube-scheduler's
   * assume-then-bind).
   */
  private async bind(key: string, pod: Pod, nodeName: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    this.unschedulable.delete(key);
    this.assumedNode.set(key, nodeName);
    let set = this.assumed.get(nodeName);
    if (!set) this.assumed.set(nodeName, (set = new Set()));
    set.add(key);
    try {
      await this.deps.podRegistry.grouped.modify(namespace, name, (current) => {
        applyPodBinding(current, { metadata: { name, uid: pod.metadata.uid }, target: { kind: 'Node', name: nodeName } }, timestamp());
        return current;
      }, 'binding');
    } catch (error) {
      this.forget(key);
      // Bound by someone else, or gone: the informer will say so.
      if (error instanceof ConflictError || error instanceof NotFoundError) return;
      throw error;
    }
    this.deps.hub.notify();
  }

  private async markUnschedulable(key: string, pod: Pod, message: string): Promise<void> {
    this.unschedulable.add(key);
    const { namespace, name } = splitKey(key);
    const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message };
    const existing = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (existing && existing.status === 'False' && existing.reason === condition.reason && existing.message === message) return;
    try {
      await this.deps.podRegistry.grouped.modify(namespace, name, (current) => {
        if (current.metadata.uid === pod.metadata.uid && needsScheduling(current)) setPodCondition(current, condition, timestamp());
        return current;
      }, 'status');
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    this.deps.hub.notify();
  }
}
