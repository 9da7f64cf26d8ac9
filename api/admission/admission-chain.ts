import { SILENT_ALLOCATION_LOG, type AllocationLog } from '../allocators/allocation-log.js';
import { networkAllocators } from '../allocators/network-allocators.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { ServerConfig } from '../server-config.js';
import { appendHooks, type AdmissionChain } from './admission-hooks.js';
import { namespaceCascadeHooks } from './namespace-cascade.js';
import { nodeAllocationHooks } from './node-allocation.js';
import { podAllocationHooks } from './pod-allocation.js';
import { podSecurityAdmissionHooks } from './pod-security-admission.js';
import { serviceAllocationHooks } from './service-allocation.js';
import { serviceEndpointsCascadeHooks } from './service-endpoints-cascade.js';

/**
 * Every admission step of `skiff server`, by resource, in the order they run
 * inside a write: a Namespace's contents go with it; Services get ClusterIPs
 * and NodePorts, Nodes podCIDRs; Pods are held to their Namespace's Pod
 * Security level, then bound ones get their IPs; a Service's Endpoints
 * and EndpointSlices go with it.
 */
export function admissionChain(
  config: ServerConfig,
  registries: ReadonlyMap<string, GenericRegistry<KubeObject>>,
  log: AllocationLog = SILENT_ALLOCATION_LOG,
): AdmissionChain {
  const allocators = networkAllocators(config);
  const chain: AdmissionChain = new Map();
  appendHooks(chain, 'namespaces', namespaceCascadeHooks(registries));
  appendHooks(chain, 'services', serviceAllocationHooks(allocators));
  appendHooks(chain, 'nodes', nodeAllocationHooks(allocators.podCidrs, log));
  // Pod Security judges the Pod as the client sent it, before anything is allocated for it.
  appendHooks(chain, 'pods', podSecurityAdmissionHooks());
  appendHooks(chain, 'pods', podAllocationHooks(allocators.podIps, log));
  appendHooks(chain, 'services', serviceEndpointsCascadeHooks(registries));
  return chain;
}
