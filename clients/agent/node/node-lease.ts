// The node heartbeat: a Lease `kube-node-lease/<node>` whose spec.renewTime
// the agent moves forward every renew interval (the kubelet renews every
// quarter of leaseDurationSeconds). A Lease write is tiny compared with a
// Node status write, which is why Kubernetes moved heartbeats there.

import type { KubeClient } from '../../client/client.js';
import { leases } from '../../client/resources.js';
import type { Lease, OwnerReference } from '../../client/types.js';
import { isConflict, isNotFound } from './api-errors.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLeaseOptions {
  client: KubeClient;
  nodeName: string;
  leaseDurationSeconds: number;
  /** The Node, so the Lease is garbage with it. */
  owner?: () => OwnerReference | undefined;
  now?: () => Date;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class NodeLease {
  private lease: Lease | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: NodeLeaseOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the Lease or moves its renewTime to now; retries a conflict once with a fresh copy. */
  async renew(): Promise<Lease> {
    for (let attempt = 0; ; attempt++) {
      const current = this.lease ?? (await this.fetch());
      try {
        this.lease = await this.write(current);
        return this.lease;
      } catch (error) {
        this.lease = undefined;
        if (attempt >= 1 || !(isConflict(error) || isNotFound(error))) throw error;
      }
    }
  }

  private async fetch(): Promise<Lease | undefined> {
    try {
      return await this.options.client.get(leases, this.options.nodeName, { namespace: NODE_LEASE_NAMESPACE });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async write(current: Lease | undefined): Promise<Lease> {
    const { nodeName, leaseDurationSeconds } = this.options;
    const renewTime = microTime(this.now());
    const owner = this.options.owner?.();
    const metadata = { ...current?.metadata, name: nodeName, namespace: NODE_LEASE_NAMESPACE };
    if (owner !== undefined && !(metadata.ownerReferences ?? []).some((ref) => ref.uid === owner.uid)) metadata.ownerReferences = [owner];
    const body: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata,
      spec: { ...current?.spec, holderIdentity: nodeName, leaseDurationSeconds, renewTime },
    };
    if (current === undefined) return this.options.client.create(leases, body, { namespace: NODE_LEASE_NAMESPACE });
    return this.options.client.update(leases, body, { namespace: NODE_LEASE_NAMESPACE });
  }
}
