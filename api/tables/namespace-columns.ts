import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { metadataOf, statusOf, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

export const namespaceColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Status', 'The status of the namespace'),
  ageColumn,
]);

export function namespaceCells(namespace: unknown, now: number): TableCell[] {
  const meta = metadataOf(namespace);
  return [text(meta.name), text(statusOf(namespace).phase), translateTimestampSince(meta.creationTimestamp, now)];
}
