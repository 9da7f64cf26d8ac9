import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { metadataOf, specOf, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

export const leaseColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Holder', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'),
  ageColumn,
]);

export function leaseCells(lease: unknown, now: number): TableCell[] {
  const meta = metadataOf(lease);
  return [text(meta.name), text(specOf(lease).holderIdentity), translateTimestampSince(meta.creationTimestamp, now)];
}
