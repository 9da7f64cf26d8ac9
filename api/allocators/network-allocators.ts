import type { ServerConfig } from '../server-config.js';
import { ClusterIpAllocator } from './clusterip-allocator.js';
import { NodePortAllocator } from './nodeport-allocator.js';
import { PodCidrAllocator } from './podcidr-allocator.js';
import { PodIpAllocator } from './podip-allocator.js';
import type { Random } from './value-range.js';

/** The four allocators of one server, built from its configuration. */
export interface NetworkAllocators {
  clusterIps: ClusterIpAllocator;
  nodePorts: NodePortAllocator;
  podCidrs: PodCidrAllocator;
  podIps: PodIpAllocator;
}

export function networkAllocators(config: Pick<ServerConfig, 'serviceCidr' | 'nodePortRange' | 'podCidr' | 'nodeCidrMaskSize'>, random: Random = Math.random): NetworkAllocators {
  return {
    clusterIps: new ClusterIpAllocator(config.serviceCidr, random),
    nodePorts: new NodePortAllocator(config.nodePortRange, random),
    podCidrs: new PodCidrAllocator(config.podCidr, config.nodeCidrMaskSize),
    podIps: new PodIpAllocator(config.podCidr, random),
  };
}
