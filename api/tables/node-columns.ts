import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { list, metadataOf, record, specOf, statusOf, text, type JsonRecord } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

const ADDRESSES_DOC =
  'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses';

export const nodeColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Status', 'The status of the node'),
  column('Roles', 'The roles of the node'),
  ageColumn,
  column('Version', 'Kubelet Version reported by the node.'),
  column('Internal-IP', ADDRESSES_DOC, { priority: 1 }),
  column('External-IP', ADDRESSES_DOC, { priority: 1 }),
  column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
  column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
  column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
]);

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** `Ready`, `NotReady` or `Unknown` from the Ready condition, then `SchedulingDisabled` when cordoned. */
function nodeStatus(spec: JsonRecord, status: JsonRecord): string {
  const parts: string[] = [];
  // Upstream keeps the last condition of each type.
  let ready: JsonRecord | undefined;
  for (const c of list(status.conditions)) {
    if (record(c).type === 'Ready') ready = record(c);
  }
  if (ready === undefined) parts.push('Unknown');
  else parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (spec.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role=<role>`, sorted. */
export function nodeRoles(labels: unknown): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(record(labels))) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && typeof value === 'string' && value !== '') {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

function addressOf(status: JsonRecord, type: string): string {
  for (const a of list(status.addresses)) {
    if (record(a).type === type) return text(record(a).address);
  }
  return '<none>';
}

export function nodeCells(node: unknown, now: number): TableCell[] {
  const meta = metadataOf(node);
  const spec = specOf(node);
  const status = statusOf(node);
  const info = record(status.nodeInfo);
  const roles = nodeRoles(meta.labels);
  return [
    text(meta.name),
    nodeStatus(spec, status),
    roles.length > 0 ? roles.join(',') : '<none>',
    translateTimestampSince(meta.creationTimestamp, now),
    text(info.kubeletVersion),
    addressOf(status, 'InternalIP'),
    addressOf(status, 'ExternalIP'),
    text(info.osImage) || '<unknown>',
    text(info.kernelVersion) || '<unknown>',
    text(info.containerRuntimeVersion) || '<unknown>',
  ];
}
