import type { Node, Taint } from '../../schemas/node.js';
import type { Pod, Toleration } from '../../schemas/pod.js';
import { nodeReadyCondition } from '../node-lifecycle/node-conditions.js';

// The scheduler's decision as pure functions: the default profile's filters
// that apply without resource accounting (NodeUnschedulable, TaintToleration,
// NodeAffinity for nodeSelector), a least-pods score, and the FitError
// message kube-scheduler writes into PodScheduled=False.

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Whether the default scheduler should place this pod now. */
export function needsScheduling(pod: Pod): boolean {
  if (pod.spec?.nodeName) return false;
  if (pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const scheduler = pod.spec?.schedulerName;
  return !scheduler || scheduler === DEFAULT_SCHEDULER_NAME;
}

/** A pod that occupies its node: bound and not finished. */
export function isActiveOnNode(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && phase !== 'Succeeded' && phase !== 'Failed';
}

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/**
 * The taints the node lifecycle controller would put on a node that is not
 * Ready (TaintNodesByCondition): not-ready when the agent says False or has
 * said nothing, unreachable when the node was declared lost. They are
 * derived here rather than written, so readiness alone decides.
 */
export function conditionTaints(node: Node): Taint[] {
  const ready = nodeReadyCondition(node);
  if (ready?.status === 'True') return [];
  if (ready?.status === 'Unknown') return [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }];
  return [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
}

function tolerated(pod: Pod, taint: Taint): boolean {
  return (pod.spec?.tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** Why `node` cannot take `pod` (the first failing filter's reason), or undefined when it can. */
export function filterNode(pod: Pod, node: Node): string | undefined {
  if (node.spec?.unschedulable === true && !tolerated(pod, UNSCHEDULABLE_TAINT)) return 'node(s) were unschedulable';
  for (const taint of [...conditionTaints(node), ...(node.spec?.taints ?? [])]) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(pod, taint)) return `node(s) had untolerated taint {${taint.key ?? ''}: ${taint.value ?? ''}}`;
  }
  const selector = pod.spec?.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  for (const key of Object.keys(selector)) {
    if (labels[key] !== selector[key]) return "node(s) didn't match Pod's node affinity/selector";
  }
  return undefined;
}

export type SchedulingResult = { node: string } | { message: string };

/**
 * Filters every node, then picks the feasible one with the fewest pods
 * (ties by name). Without a feasible node, the message is FitError's:
 * "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had
 * untolerated taint {node.kubernetes.io/not-ready: }. preemption: …".
 */
export function scheduleOne(pod: Pod, nodes: readonly Node[], podsOn: (nodeName: string) => number): SchedulingResult {
  if (nodes.length === 0) return { message: NO_NODES_AVAILABLE };
  let best: { name: string; pods: number } | undefined;
  const reasons = new Map<string, number>();
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const reason = filterNode(pod, node);
    if (reason) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    const pods = podsOn(name);
    if (!best || pods < best.pods || (pods === best.pods && name < best.name)) best = { name, pods };
  }
  if (best) return { node: best.name };
  return { message: fitErrorMessage(nodes.length, reasons) };
}

/**
 * FitError.Error(): the reasons histogram, sorted, then the preemption
 * post-filter's verdict; none of these filters can be resolved by evicting
 * pods, so preemption is never helpful.
 */
export function fitErrorMessage(nodeCount: number, reasons: ReadonlyMap<string, number>): string {
  const histogram = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${nodeCount} nodes are available: ${histogram.join(', ')}. `
    + `preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`;
}
