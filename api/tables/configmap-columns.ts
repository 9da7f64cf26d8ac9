import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { metadataOf, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

export const configMapColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Data', "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
  ageColumn,
]);

/** DATA counts the keys of data and binaryData together, as upstream's printConfigMap does. */
export function configMapCells(configMap: unknown, now: number): TableCell[] {
  const meta = metadataOf(configMap);
  const object = record(configMap);
  const keys = Object.keys(record(object.data)).length + Object.keys(record(object.binaryData)).length;
  return [text(meta.name), keys, translateTimestampSince(meta.creationTimestamp, now)];
}
