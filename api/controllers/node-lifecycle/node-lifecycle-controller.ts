import type { FastifyBaseLogger } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { setPodCondition } from '../../resources/binding.js';
import type { GenericRegistry } from '../../resources/generic-registry.js';
import { timestamp } from '../../resources/object-meta-defaults.js';
import type { Lease } from '../../schemas/lease.js';
import type { Node, NodeCondition } from '../../schemas/node.js';
import type { Pod } from '../../schemas/pod.js';
import type { WatchHub } from '../../watch/watch-hub.js';
import type { Controller } from '../controller.js';
import type { LocalInformer } from '../local-informer.js';
import { isNodeLost, nodeReadyCondition } from './node-conditions.js';
import { POD_NODE_INDEX, podNodeIndexValues } from '../scheduler/pod-node-index.js';

/** Where node agents keep their heartbeat Leases, named after their Node. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The conditions upstream turns Unknown on a silent node; NetworkUnavailable belongs to the network plugin. */
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export interface NodeLifecycleOptions {
  /** A node whose newest heartbeat is older than this is declared lost (--node-monitor-grace-period). */
  gracePeriodMs: number;
  /** The same for a node that never posted a Ready condition (--node-startup-grace-period, default 60 s). */
  startupGracePeriodMs?: number;
  /** How often nodes are checked (--node-monitor-period, default 5 s). */
  monitorPeriodMs?: number;
  now?: () => number;
}

export interface NodeLifecycleDeps {
  nodes: LocalInformer<Node>;
  leases: LocalInformer<Lease>;
  pods: LocalInformer<Pod>;
  nodeRegistry: GenericRegistry<Node>;
  podRegistry: GenericRegistry<Pod>;
  leaseRegistry: GenericRegistry<Lease>;
  hub: WatchHub;
  log?: FastifyBaseLogger;
}

/** How often to look at nodes for a grace period: a quarter of it, within upstream's 5 s. */
export function defaultMonitorPeriodMs(gracePeriodMs: number): number {
  return Math.min(5000, Math.max(50, Math.floor(gracePeriodMs / 4)));
}

function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A node's newest heartbeat: its Lease's renewTime or its Ready condition's
 * lastHeartbeatTime, whichever is later; undefined when it has neither.
 */
export function lastHeartbeat(node: Node, lease: Lease | undefined): number | undefined {
  const times = [parseTime(lease?.spec?.renewTime), parseTime(nodeReadyCondition(node)?.lastHeartbeatTime)].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/**
 * tryUpdateNodeHealth's rewrite of a silent node: every monitored condition
 * that is not yet Unknown becomes Unknown / NodeStatusUnknown; one the agent
 * never posted is added as Unknown / NodeStatusNeverUpdated. Returns whether
 * anything changed.
 */
export function markNodeStatusUnknown(node: Node, now: string): boolean {
  const status = (node.status ??= {});
  const conditions = (status.conditions ??= []);
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const condition = conditions.find((c) => c.type === type);
    if (!condition) {
      const added: NodeCondition = {
        type,
        status: 'Unknown',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? now,
        lastTransitionTime: now,
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
      };
      conditions.push(added);
      changed = true;
    } else if (condition.status !== 'Unknown') {
      condition.status = 'Unknown';
      condition.reason = 'NodeStatusUnknown';
      condition.message = 'Kubelet stopped posting node status.';
      condition.lastTransitionTime = now;
      changed = true;
    }
  }
  return changed;
}

/**
 * controllerutil.MarkPodsNotReady for one pod: its Ready condition, when it
 * has one that is not False, becomes False (reason and message kept, the
 * transition time moved). Returns whether anything changed.
 */
export function markPodNotReady(pod: Pod, now: string): boolean {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'False') return false;
  const { lastTransitionTime: _previous, ...rest } = ready;
  setPodCondition(pod, { ...rest, status: 'False' }, now);
  return true;
}

/**
 * The server half of node heartbeats (upstream's node lifecycle controller,
 * without taint-based eviction): a node whose agent has been silent for the
 * grace period gets its conditions set to Unknown, and its pods' Ready
 * condition set to False, which takes them out of every Service's ready
 * endpoints. When the agent heartbeats again it posts Ready=True and its
 * pods' readiness itself; this controller does not undo anything.
 *
 * The heartbeat is read from the objects (Lease renewTime, Ready
 * lastHeartbeatTime) but never counted from before this controller started,
 * so a server restart does not declare every node lost at once.
 */
export class NodeLifecycleController implements Controller {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private readonly now: () => number;
  private readonly startupGracePeriodMs: number;
  private readonly monitorPeriodMs: number;

  constructor(private readonly deps: NodeLifecycleDeps, private readonly options: NodeLifecycleOptions) {
    this.now = options.now ?? Date.now;
    this.startupGracePeriodMs = options.startupGracePeriodMs ?? Math.max(60_000, options.gracePeriodMs);
    this.monitorPeriodMs = options.monitorPeriodMs ?? defaultMonitorPeriodMs(options.gracePeriodMs);
    deps.pods.addIndex(POD_NODE_INDEX, podNodeIndexValues);
  }

  start(): void {
    this.startedAt = this.now();
    this.timer = setInterval(() => this.monitor(), this.monitorPeriodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over every node (monitorNodeHealth). */
  monitor(): void {
    let wrote = false;
    for (const node of [...this.deps.nodes.values()]) {
      try {
        if (!isNodeLost(node) && this.isSilent(node, this.leaseOf(node))) wrote = this.markLost(node.metadata.name ?? '') || wrote;
        const current = this.deps.nodes.get('', node.metadata.name ?? '');
        if (current && isNodeLost(current)) wrote = this.markPodsNotReady(current.metadata.name ?? '') || wrote;
      } catch (error) {
        this.deps.log?.warn({ err: error, node: node.metadata.name }, 'node health update failed; retrying next period');
      }
    }
    if (wrote) this.deps.hub.notify();
  }

  private leaseOf(node: Node): Lease | undefined {
    return this.deps.leases.get(NODE_LEASE_NAMESPACE, node.metadata.name ?? '');
  }

  private isSilent(node: Node, lease: Lease | undefined): boolean {
    const heartbeat = lastHeartbeat(node, lease);
    const neverPosted = nodeReadyCondition(node) === undefined && heartbeat === undefined;
    const since = Math.max(heartbeat ?? parseTime(node.metadata.creationTimestamp) ?? 0, this.startedAt);
    return this.now() - since > (neverPosted ? this.startupGracePeriodMs : this.options.gracePeriodMs);
  }

  /** Rechecks inside the write, against the stored node and lease: a heartbeat that just arrived wins. */
  private markLost(name: string): boolean {
    let changed = false;
    const stored = this.deps.nodeRegistry.modify('', name, (node) => {
      const lease = this.storedLease(name);
      changed = this.isSilent(node, lease) && markNodeStatusUnknown(node, timestamp(new Date(this.now())));
      return node;
    }, 'status');
    if (changed) this.deps.log?.info({ node: name, resourceVersion: stored.metadata.resourceVersion }, 'node stopped posting status; marked Unknown');
    return changed;
  }

  private storedLease(name: string): Lease | undefined {
    try {
      return this.deps.leaseRegistry.get(NODE_LEASE_NAMESPACE, name);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  private markPodsNotReady(nodeName: string): boolean {
    let wrote = false;
    for (const pod of this.deps.pods.byIndex(POD_NODE_INDEX, nodeName)) {
      if (!markPodNotReady(structuredClone(pod), '')) continue;
      const namespace = pod.metadata.namespace ?? '';
      const name = pod.metadata.name ?? '';
      try {
        this.deps.podRegistry.modify(namespace, name, (current) => {
          if (current.spec?.nodeName === nodeName) markPodNotReady(current, timestamp(new Date(this.now())));
          return current;
        }, 'status');
        wrote = true;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return wrote;
  }
}
