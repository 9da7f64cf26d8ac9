import { parseTimestamp, translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { integer, list, metadataOf, optionalRecord, record, specOf, statusOf, text, type JsonRecord } from './object-fields.js';
import type { TableCell, TableColumnDefinition, TableRowCondition } from './table-types.js';

// pkg/printers/internalversion printPod: the READY / STATUS / RESTARTS
// summary kubectl users know, including init-container progress
// (`Init:1/2`), container waiting reasons (`CrashLoopBackOff`) and
// `Terminating`.

export const podColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
  column('Node', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.', { priority: 1 }),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', { priority: 1 }),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True"', { priority: 1 }),
]);

/** status.reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

const SUCCEEDED: readonly TableRowCondition[] = Object.freeze([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
const FAILED: readonly TableRowCondition[] = Object.freeze([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);

function conditionTrue(conditions: readonly unknown[], type: string): boolean {
  return conditions.some((c) => record(c).type === type && record(c).status === 'True');
}

/** finishedAt of the container's last termination, if it has one. */
function lastTerminatedAt(containerStatus: JsonRecord): number | undefined {
  const terminated = optionalRecord(record(containerStatus.lastState).terminated);
  return terminated ? parseTimestamp(terminated.finishedAt) : undefined;
}

/** `ExitCode:N` or `Signal:N` for a container that terminated without a reason. */
function exitDescription(terminated: JsonRecord): string {
  const signal = integer(terminated.signal);
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${integer(terminated.exitCode)}`;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestart: number | undefined;
}

function summarize(pod: unknown): PodSummary {
  const meta = metadataOf(pod);
  const spec = specOf(pod);
  const status = statusOf(pod);
  const conditions = list(status.conditions);
  const initContainers = list(spec.initContainers);

  const phase = text(status.phase);
  let reason = text(status.reason) || phase;
  for (const c of conditions) {
    if (record(c).type === 'PodScheduled' && record(c).reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  // Sidecars (init containers with restartPolicy Always) count as containers.
  const sidecars = new Set<string>();
  for (const c of initContainers) {
    if (record(c).restartPolicy === 'Always') sidecars.add(text(record(c).name));
  }
  const containerStatuses = list(status.containerStatuses);
  const initStatuses = list(status.initContainerStatuses);
  const total = list(spec.containers).length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const container = record(initStatuses[i]);
    const isSidecar = sidecars.has(text(container.name));
    const count = integer(container.restartCount);
    const finished = lastTerminatedAt(container);
    restarts += count;
    if (finished !== undefined && (lastRestart === undefined || finished > lastRestart)) lastRestart = finished;
    if (isSidecar) {
      sidecarRestarts += count;
      if (finished !== undefined && (lastSidecarRestart === undefined || finished > lastSidecarRestart)) lastSidecarRestart = finished;
    }
    const state = record(container.state);
    const terminated = optionalRecord(state.terminated);
    const waiting = optionalRecord(state.waiting);
    if (terminated && integer(terminated.exitCode) === 0) continue;
    if (isSidecar && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = text(terminated.reason) ? `Init:${text(terminated.reason)}` : `Init:${exitDescription(terminated)}`;
    } else if (waiting && text(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${text(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    for (let i = containerStatuses.length - 1; i >= 0; i--) {
      const container = record(containerStatuses[i]);
      restarts += integer(container.restartCount);
      const finished = lastTerminatedAt(container);
      if (finished !== undefined && (lastRestart === undefined || finished > lastRestart)) lastRestart = finished;
      const state = record(container.state);
      const waiting = optionalRecord(state.waiting);
      const terminated = optionalRecord(state.terminated);
      if (waiting && text(waiting.reason) !== '') {
        reason = text(waiting.reason);
      } else if (terminated && text(terminated.reason) !== '') {
        reason = text(terminated.reason);
      } else if (terminated) {
        reason = exitDescription(terminated);
      } else if (container.ready === true && (optionalRecord(state.running) !== undefined || waiting === undefined)) {
        // Upstream requires state.running, which every kubelet sets; a status
        // that carries no state at all is read by its ready flag alone.
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  // Skiff deviation: a pod whose status has no container statuses at all
  // takes its readiness from the Ready condition, all or nothing.
  if (containerStatuses.length === 0 && initStatuses.length === 0 && conditionTrue(conditions, 'Ready')) ready = total;

  const deleting = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready, total, reason, restarts, lastRestart };
}

function readinessGates(spec: JsonRecord, status: JsonRecord): string {
  const gates = list(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = list(status.conditions);
  let trueConditions = 0;
  for (const gate of gates) {
    const type = record(gate).conditionType;
    const condition = conditions.find((c) => record(c).type === type);
    if (condition !== undefined && record(condition).status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export function podCells(pod: unknown, now: number): TableCell[] {
  const meta = metadataOf(pod);
  const spec = specOf(pod);
  const status = statusOf(pod);
  const s = summarize(pod);
  const restarts = s.restarts !== 0 && s.lastRestart !== undefined ? `${s.restarts} (${translateTimestampSince(s.lastRestart, now)} ago)` : String(s.restarts);
  const podIPs = list(status.podIPs);
  const podIP = (podIPs.length > 0 ? text(record(podIPs[0]).ip) : text(status.podIP)) || '<none>';
  return [
    text(meta.name),
    `${s.ready}/${s.total}`,
    s.reason,
    restarts,
    translateTimestampSince(meta.creationTimestamp, now),
    podIP,
    text(spec.nodeName) || '<none>',
    text(status.nominatedNodeName) || '<none>',
    readinessGates(spec, status),
  ];
}

/** Finished pods carry a `Completed` row condition, as upstream marks them. */
export function podRowConditions(pod: unknown): readonly TableRowCondition[] | undefined {
  const phase = statusOf(pod).phase;
  if (phase === 'Succeeded') return SUCCEEDED;
  if (phase === 'Failed') return FAILED;
  return undefined;
}
