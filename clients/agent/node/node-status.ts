// The Node status the agent reports, kubelet style (pkg/kubelet/nodestatus):
// addresses, capacity, nodeInfo and the four standard conditions, with
// lastTransitionTime kept while a condition's status stays the same (pure).

import type { Node, NodeCondition, NodeStatus } from '../../client/types.js';
import type { HostInfo } from './host-info.js';
import { sameStatus } from './pod-status.js';

export interface NodeIdentity {
  name: string;
  /** InternalIP addresses, primary first. */
  ips: readonly string[];
  /** Where the kubelet endpoints (logs, exec) answer; reported as status.daemonEndpoints. */
  kubeletPort?: number;
}

export function nodeLabels(name: string, architecture: string, operatingSystem: string): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/arch': architecture, 'kubernetes.io/os': operatingSystem };
}

const conditions: ReadonlyArray<Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>> = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'skiff agent is posting ready status' },
];

/**
 * `existing`'s status with what this agent knows filled in. `heartbeat`
 * stamps every condition's lastHeartbeatTime with `now`; without it the old
 * heartbeat is kept, so the result can be compared with what is stored.
 */
export function desiredNodeStatus(existing: Node | undefined, identity: NodeIdentity, host: HostInfo, now: string, heartbeat: boolean): NodeStatus {
  const status: NodeStatus = structuredClone(existing?.status ?? {});
  status.addresses = [...identity.ips.map((address) => ({ type: 'InternalIP' as const, address })), { type: 'Hostname', address: identity.name }];
  status.capacity = { ...status.capacity, ...host.capacity };
  status.allocatable = { ...status.allocatable, ...host.capacity };
  status.nodeInfo = { ...status.nodeInfo, ...host.nodeInfo };
  if (identity.kubeletPort !== undefined) status.daemonEndpoints = { kubeletEndpoint: { Port: identity.kubeletPort } };
  const current = status.conditions ?? [];
  const next: NodeCondition[] = current.filter((c) => !conditions.some((own) => own.type === c.type));
  for (const own of conditions) {
    const old = current.find((c) => c.type === own.type);
    const transitioned = old === undefined || old.status !== own.status;
    next.push({
      ...own,
      lastHeartbeatTime: heartbeat || old?.lastHeartbeatTime === undefined ? now : old.lastHeartbeatTime,
      lastTransitionTime: transitioned ? now : (old.lastTransitionTime ?? now),
    });
  }
  status.conditions = next;
  return status;
}

/** True when the stored status differs from ours in anything but heartbeat times. */
export function nodeStatusChanged(stored: NodeStatus | undefined, desired: NodeStatus): boolean {
  const withoutHeartbeats = (status: NodeStatus | undefined): unknown => ({
    ...status,
    conditions: (status?.conditions ?? []).map(({ lastHeartbeatTime: _ignored, ...rest }) => rest),
  });
  return !sameStatus(withoutHeartbeats(stored), withoutHeartbeats(desired));
}
