import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { metadataOf, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

export const secretColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Type', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
  column('Data', "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
  ageColumn,
]);

export function secretCells(secret: unknown, now: number): TableCell[] {
  const meta = metadataOf(secret);
  const object = record(secret);
  return [text(meta.name), text(object.type), Object.keys(record(object.data)).length, translateTimestampSince(meta.creationTimestamp, now)];
}
