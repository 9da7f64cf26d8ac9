import { parseTimestamp, translateTimestampSince } from './age.js';
import { column } from './common-columns.js';
import { integer, metadataOf, optionalRecord, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

// core/v1 Event, printed as upstream printEvent does (wide form). Events have
// no Age column: LAST SEEN comes first and NAME is a wide column.

export const eventColumns: readonly TableColumnDefinition[] = Object.freeze([
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column('Object', 'The object that this event is about.'),
  column('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', { priority: 1 }),
  column('Source', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
  column('Message', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
  column('Count', 'The number of times this event has occurred.', { priority: 1 }),
  column('Name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', { priority: 1, format: 'name' }),
]);

function firstNonEmpty(...values: string[]): string {
  return values.find((v) => v !== '') ?? '';
}

export function eventCells(event: unknown, now: number): TableCell[] {
  const object = record(event);
  const meta = metadataOf(event);
  const involved = record(object.involvedObject);
  const source = record(object.source);
  const series = optionalRecord(object.series);

  const firstSeen = parseTimestamp(object.firstTimestamp) !== undefined
    ? translateTimestampSince(object.firstTimestamp, now)
    : translateTimestampSince(object.eventTime, now);
  let lastSeen = parseTimestamp(object.lastTimestamp) !== undefined ? translateTimestampSince(object.lastTimestamp, now) : firstSeen;
  let count = integer(object.count);
  if (series !== undefined) {
    lastSeen = translateTimestampSince(series.lastObservedTime, now);
    count = integer(series.count);
  } else if (count === 0) {
    // Singleton events of the events.k8s.io API carry no count.
    count = 1;
  }

  const kind = text(involved.kind).toLowerCase();
  const name = text(involved.name);
  const component = firstNonEmpty(text(source.component), text(object.reportingController));
  const instance = firstNonEmpty(text(source.host), text(object.reportingInstance));
  return [
    lastSeen,
    text(object.type),
    text(object.reason),
    name !== '' ? `${kind}/${name}` : kind,
    text(involved.fieldPath),
    instance === '' ? component : `${component}, ${instance}`,
    text(object.message).trim(),
    firstSeen,
    count,
    text(meta.name),
  ];
}
