import { column, nameColumn } from './common-columns.js';
import { metadataOf, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

// The API server's fallback for kinds without a printer
// (rest.DefaultTableConvertor): the name and the creation time.

export const defaultColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' }),
]);

export function defaultCells(object: unknown): TableCell[] {
  const meta = metadataOf(object);
  const created = text(meta.creationTimestamp);
  const ms = created === '' ? Number.NaN : Date.parse(created);
  // Go formats the time in UTC to whole seconds (time.RFC3339).
  const createdAt = Number.isNaN(ms) ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [text(meta.name), createdAt];
}
