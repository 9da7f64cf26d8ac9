import type { PodSpec } from '../schemas/pod.js';
import { parseQuantity } from './quantity.js';

// The Quality of Service class the API server records in status.qosClass at
// creation (k8s.io/kubernetes/pkg/apis/core/helper/qos): Guaranteed when every
// container limits and requests cpu and memory at equal values, BestEffort
// when nothing is requested or limited, Burstable otherwise.

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function resourceList(resources: unknown, field: 'requests' | 'limits'): Record<string, unknown> {
  if (resources === null || typeof resources !== 'object') return {};
  const list = (resources as Record<string, unknown>)[field];
  return list !== null && typeof list === 'object' ? list as Record<string, unknown> : {};
}

export function podQOSClass(spec: PodSpec | undefined): QOSClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    const limitList = resourceList(container.resources, 'limits');
    // Requests default to limits (SetDefaults_Pod); upstream computes QoS after defaulting.
    const requestList = { ...limitList, ...resourceList(container.resources, 'requests') };
    for (const [list, totals] of [[requestList, requests], [limitList, limits]] as const) {
      const seen = new Set<string>();
      for (const [name, raw] of Object.entries(list)) {
        if (!(QOS_RESOURCES as readonly string[]).includes(name)) continue;
        const value = parseQuantity(raw);
        if (value === undefined || value === 0) continue;
        seen.add(name);
        totals.set(name, (totals.get(name) ?? 0) + value);
      }
      if (seen.size < QOS_RESOURCES.length) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, value] of requests) if (limits.get(name) !== value) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
