import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { list, metadataOf, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

// kubectl get serviceaccounts: NAME, SECRETS (how many it references), AGE.
export const serviceAccountColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { type: 'string' }),
  ageColumn,
]);

export function serviceAccountCells(account: unknown, now: number): TableCell[] {
  const meta = metadataOf(account);
  return [text(meta.name), list(record(account).secrets).length, translateTimestampSince(meta.creationTimestamp, now)];
}
