import type { AdmissionHooks, GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { ServerConfig } from '../server-config.js';
import { SILENT_ALLOCATION_LOG, type AllocationLog } from './allocation-log.js';
import { networkAllocators } from './network-allocators.js';
import { nodeAdmissionHooks } from './node-admission.js';
import { podAdmissionHooks } from './pod-admission.js';
import { serviceAdmissionHooks } from './service-admission.js';

/**
 * Admission hooks that allocate inside each write transaction: ClusterIPs and
 * NodePorts for Services, podCIDRs for Nodes, Pod IPs for bound Pods.
 */
export function networkAdmissionHooks(
  config: ServerConfig,
  _registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
  log: AllocationLog = SILENT_ALLOCATION_LOG,
): Map<string, AdmissionHooks<KubeObject>> {
  const allocators = networkAllocators(config);
  return new Map<string, AdmissionHooks<KubeObject>>([
    ['services', serviceAdmissionHooks(allocators) as AdmissionHooks<KubeObject>],
    ['nodes', nodeAdmissionHooks(allocators.podCidrs, log) as AdmissionHooks<KubeObject>],
    ['pods', podAdmissionHooks(allocators.podIps, log) as AdmissionHooks<KubeObject>],
  ]);
}
