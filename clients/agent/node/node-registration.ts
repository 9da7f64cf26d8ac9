// Registers this node's Node object and keeps its status current, the way
// the kubelet's registerWithAPIServer and updateNodeStatus do: create it with
// status (allowed on create for Nodes), or adopt an existing one and write
// status through /status; afterwards write only when something other than a
// heartbeat time changed, or when the report period has passed.

import type { KubeClient } from '../../client/client.js';
import { nodes } from '../../client/resources.js';
import type { Node, OwnerReference } from '../../client/types.js';
import { isConflict, isNotFound } from './api-errors.js';
import type { HostInfo } from './host-info.js';
import { desiredNodeStatus, nodeLabels, nodeStatusChanged, type NodeIdentity } from './node-status.js';

export interface NodeRegistrationOptions {
  client: KubeClient;
  identity: NodeIdentity;
  host: HostInfo;
  now?: () => Date;
}

/** metav1.Time: RFC 3339, seconds. */
export function metaTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

export class NodeRegistration {
  private node: Node | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: NodeRegistrationOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The Node as last read or written. */
  get current(): Node | undefined {
    return this.node;
  }

  /** An owner reference to the Node, for objects that should go with it (its Lease). */
  ownerReference(): OwnerReference | undefined {
    const uid = this.node?.metadata.uid;
    if (uid === undefined) return undefined;
    return { apiVersion: 'v1', kind: 'Node', name: this.options.identity.name, uid };
  }

  /** Creates the Node, or brings an existing one's labels and status up to date. */
  async register(): Promise<Node> {
    const { client, identity, host } = this.options;
    const labels = nodeLabels(identity.name, host.nodeInfo.architecture ?? '', host.nodeInfo.operatingSystem ?? '');
    let existing = await this.fetch();
    if (existing === undefined) {
      try {
        this.node = await client.create(nodes, {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: identity.name, labels },
          spec: {},
          status: desiredNodeStatus(undefined, identity, host, metaTime(this.now()), true),
        });
        return this.node;
      } catch (error) {
        if (!isConflict(error)) throw error;
        existing = await this.fetch();
        if (existing === undefined) throw error;
      }
    }
    const missing = Object.entries(labels).filter(([key, value]) => existing?.metadata.labels?.[key] !== value);
    if (missing.length > 0) {
      existing = await client.patch(nodes, identity.name, { metadata: { labels: Object.fromEntries(missing) } });
    }
    this.node = existing;
    await this.reportStatus(true);
    return this.node;
  }

  /**
   * Reads the Node and writes its status if it differs from ours (say, the
   * node-lifecycle controller set Ready to Unknown while we were cut off), or
   * always with `force` (a periodic report with fresh heartbeat times).
   * Returns whether it wrote. A deleted Node is registered again.
   */
  async reportStatus(force: boolean): Promise<boolean> {
    const { client, identity, host } = this.options;
    for (let attempt = 0; ; attempt++) {
      const stored = await this.fetch();
      if (stored === undefined) {
        await this.register();
        return true;
      }
      this.node = stored;
      const desired = desiredNodeStatus(stored, identity, host, metaTime(this.now()), true);
      if (!force && !nodeStatusChanged(stored.status, desired)) return false;
      try {
        this.node = await client.updateStatus(nodes, { ...stored, status: desired });
        return true;
      } catch (error) {
        if (attempt >= 2 || !isConflict(error)) throw error;
      }
    }
  }

  private async fetch(): Promise<Node | undefined> {
    try {
      return await this.options.client.get(nodes, this.options.identity.name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
