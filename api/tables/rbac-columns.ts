import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { list, metadataOf, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

// kubectl's printers for the RBAC kinds: roles show when they were created,
// bindings the role they grant and, in the wide view, to whom.

export const roleColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Created At', 'Time at which the object was created', { type: 'date' }),
]);

export function roleCells(role: unknown): TableCell[] {
  const meta = metadataOf(role);
  const created = typeof meta.creationTimestamp === 'string' ? new Date(meta.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
  return [text(meta.name), created];
}

export const roleBindingColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.'),
  ageColumn,
  column('Users', 'Users in the binding', { priority: 1 }),
  column('Groups', 'Groups in the binding', { priority: 1 }),
  column('ServiceAccounts', 'ServiceAccounts in the binding', { priority: 1 }),
]);

export function roleBindingCells(binding: unknown, now: number): TableCell[] {
  const meta = metadataOf(binding);
  const ref = record(record(binding).roleRef);
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const item of list(record(binding).subjects)) {
    const subject = record(item);
    if (subject.kind === 'User') users.push(text(subject.name));
    else if (subject.kind === 'Group') groups.push(text(subject.name));
    else if (subject.kind === 'ServiceAccount') serviceAccounts.push(`${text(subject.namespace)}/${text(subject.name)}`);
  }
  return [
    text(meta.name),
    `${text(ref.kind)}/${text(ref.name)}`,
    translateTimestampSince(meta.creationTimestamp, now),
    users.join(', '),
    groups.join(', '),
    serviceAccounts.join(', '),
  ];
}
