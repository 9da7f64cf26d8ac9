import { translateTimestampSince } from './age.js';
import { ageColumn, column, listWithMore, nameColumn } from './common-columns.js';
import { list, metadataOf, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

export const endpointSliceColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.'),
  column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.'),
  column('Endpoints', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
  ageColumn,
]);

const MAX_SHOWN = 3;

/** Port numbers; a port without a number shows its name, or `*` for "all ports". */
export function formatSlicePorts(ports: unknown): string {
  const shown: string[] = [];
  let more = false;
  let count = 0;
  for (const entry of list(ports)) {
    const port = record(entry);
    if (shown.length < MAX_SHOWN) {
      if (typeof port.port === 'number') shown.push(String(Math.trunc(port.port)));
      else if (typeof port.name === 'string') shown.push(port.name);
      else shown.push('*');
    } else if (shown.length === MAX_SHOWN) {
      more = true;
    }
    count++;
  }
  return listWithMore(shown, more, count, MAX_SHOWN);
}

/** Every endpoint's addresses, ready or not, the first three shown and the rest counted. */
export function formatSliceEndpoints(endpoints: unknown): string {
  const shown: string[] = [];
  let more = false;
  let count = 0;
  for (const endpoint of list(endpoints)) {
    for (const address of list(record(endpoint).addresses)) {
      if (shown.length < MAX_SHOWN) shown.push(text(address));
      else if (shown.length === MAX_SHOWN) more = true;
      count++;
    }
  }
  return listWithMore(shown, more, count, MAX_SHOWN);
}

export function endpointSliceCells(slice: unknown, now: number): TableCell[] {
  const meta = metadataOf(slice);
  const object = record(slice);
  return [
    text(meta.name),
    text(object.addressType),
    formatSlicePorts(object.ports),
    formatSliceEndpoints(object.endpoints),
    translateTimestampSince(meta.creationTimestamp, now),
  ];
}
