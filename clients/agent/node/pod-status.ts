// The status a kubelet would report for a Pod whose containers it started,
// computed from the Pod, what the runtime says of each container and the
// readiness of its containers (pure; pkg/kubelet/status/generate.go:
// GeneratePodReadyCondition & co., kubelet_pods.go getPhase). Without a
// runtime (`--runtime none`) every container counts as running from the
// moment the agent first reports the Pod, and readiness comes from probes alone.

import type { ContainerStatus, Pod, PodCondition, PodStatus } from '../../client/types.js';
import type { ContainerRuntimeStatus } from './runtime/container-worker.js';

export interface PodStatusInput {
  /** RFC 3339 with second precision, as metav1.Time is serialised. */
  now: string;
  /** The node's address for status.hostIP; the server's choice is kept when undefined. */
  hostIP: string | undefined;
  /**
   * Whether a container's readiness probe currently passes; undefined for a
   * container without a readiness probe.
   */
  probeReady: (containerName: string) => boolean | undefined;
  /** What the runtime says of a container; absent when the agent runs no processes. */
  runtime?: (containerName: string) => ContainerRuntimeStatus | undefined;
}

export const CONTAINERS_NOT_READY = 'ContainersNotReady';

export function desiredPodStatus(pod: Pod, input: PodStatusInput): PodStatus {
  const previous = pod.status ?? {};
  const status: PodStatus = structuredClone(previous);
  const hasIP = (previous.podIP ?? '') !== '';
  status.phase = 'Running';
  if (input.hostIP !== undefined && input.hostIP !== '') {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  status.startTime = previous.startTime ?? input.now;

  const containerStatuses: ContainerStatus[] = [];
  for (const container of pod.spec?.containers ?? []) {
    const old = previous.containerStatuses?.find((s) => s.name === container.name);
    // Without a runtime a container counts as running since the agent first reported it.
    const observed: ContainerRuntimeStatus | undefined =
      input.runtime !== undefined
        ? input.runtime(container.name)
        : { state: { running: { startedAt: runningSince(old) ?? status.startTime } }, restartCount: old?.restartCount ?? 0, started: true, instance: undefined, imageID: old?.imageID ?? '', ...(old?.containerID === undefined ? {} : { containerID: old.containerID }) };
    const running = observed !== undefined && 'running' in observed.state;
    // Without a probe a running container is ready; a pod without an IP cannot serve anything yet.
    const ready = running && observed.started && hasIP && (input.probeReady(container.name) ?? true);
    const next: ContainerStatus = {
      name: container.name,
      ready,
      restartCount: observed?.restartCount ?? 0,
      image: container.image ?? '',
      imageID: observed?.imageID ?? '',
      started: running && (observed?.started ?? false),
      state: (observed?.state ?? { waiting: { reason: 'ContainerCreating' } }) as ContainerStatus['state'],
    };
    if (observed?.lastState !== undefined) next.lastState = observed.lastState as unknown as ContainerStatus['lastState'];
    if (observed?.containerID !== undefined) next.containerID = observed.containerID;
    containerStatuses.push(next);
  }
  if (input.runtime !== undefined) status.phase = podPhase(pod, containerStatuses);
  status.containerStatuses = containerStatuses;

  const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  const allReady = unready.length === 0;
  const completed = status.phase === 'Succeeded' || status.phase === 'Failed';
  const notReady = completed ? { reason: 'PodCompleted' } : { reason: CONTAINERS_NOT_READY, message: `containers with unready status: [${unready.join(' ')}]` };
  const conditions = [...(previous.conditions ?? [])];
  setCondition(conditions, { type: 'Initialized', status: 'True' }, input.now);
  setCondition(conditions, allReady ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', ...notReady }, input.now);
  setCondition(conditions, allReady ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', ...notReady }, input.now);
  setCondition(conditions, { type: 'PodScheduled', status: 'True' }, input.now);
  status.conditions = conditions;
  return status;
}

/**
 * The kubelet's getPhase: Pending while a container waits to run for the
 * first time; Running while any runs (or restarts); once all have ended,
 * Succeeded if all succeeded, Failed if one failed and none will restart.
 */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[]): NonNullable<PodStatus['phase']> {
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const status of statuses) {
    const state = status.state ?? {};
    if (state.running !== undefined) running++;
    else if (state.terminated !== undefined) {
      stopped++;
      if (state.terminated.exitCode === 0) succeeded++;
    } else if (status.lastState?.terminated !== undefined) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    const policy = pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function runningSince(status: ContainerStatus | undefined): string | undefined {
  const startedAt = status?.state?.running?.startedAt;
  return typeof startedAt === 'string' ? startedAt : undefined;
}

/** Replaces or appends a condition; lastTransitionTime moves only when the status does. */
function setCondition(conditions: PodCondition[], wanted: Omit<PodCondition, 'lastTransitionTime'>, now: string): void {
  const index = conditions.findIndex((c) => c.type === wanted.type);
  const old = index === -1 ? undefined : conditions[index];
  const next: PodCondition = { ...wanted, lastTransitionTime: old !== undefined && old.status === wanted.status ? (old.lastTransitionTime ?? now) : now };
  if (old?.lastProbeTime !== undefined) next.lastProbeTime = old.lastProbeTime;
  if (index === -1) conditions.push(next);
  else conditions[index] = next;
}

/**
 * Equal as the API server would store them: a missing field, null and
 * undefined are the same, so the agent never rewrites a status over a
 * difference the server erases.
 */
export function sameStatus(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== null && field !== undefined) out[key] = canonical(field);
  }
  return out;
}
