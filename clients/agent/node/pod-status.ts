// The status a kubelet would report for a Pod whose containers it started,
// computed from the Pod and the readiness of its containers (pure). skiff runs
// no containers: every container counts as running from the moment the agent
// first reports the Pod, and readiness comes from probes alone
// (pkg/kubelet/status/generate.go: GeneratePodReadyCondition & co.).

import type { ContainerStatus, Pod, PodCondition, PodStatus } from '../../client/types.js';

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
    const startedAt = runningSince(old) ?? status.startTime;
    const probed = input.probeReady(container.name);
    // Without a probe a running container is ready; a pod without an IP cannot serve anything yet.
    const ready = hasIP && (probed ?? true);
    const next: ContainerStatus = {
      name: container.name,
      ready,
      restartCount: old?.restartCount ?? 0,
      image: container.image ?? '',
      imageID: old?.imageID ?? '',
      started: true,
      state: { running: { startedAt } },
    };
    if (old?.containerID !== undefined) next.containerID = old.containerID;
    containerStatuses.push(next);
  }
  status.containerStatuses = containerStatuses;

  const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  const allReady = unready.length === 0;
  const notReady = { reason: CONTAINERS_NOT_READY, message: `containers with unready status: [${unready.join(' ')}]` };
  const conditions = [...(previous.conditions ?? [])];
  setCondition(conditions, { type: 'Initialized', status: 'True' }, input.now);
  setCondition(conditions, allReady ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', ...notReady }, input.now);
  setCondition(conditions, allReady ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', ...notReady }, input.now);
  setCondition(conditions, { type: 'PodScheduled', status: 'True' }, input.now);
  status.conditions = conditions;
  return status;
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
