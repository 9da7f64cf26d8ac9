import { translateTimestampSince } from './age.js';
import { ageColumn, column, nameColumn } from './common-columns.js';
import { integer, list, metadataOf, record, text } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

export const endpointsColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Endpoints', 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.'),
  ageColumn,
]);

const MAX_SHOWN = 3;

/** net.JoinHostPort: IPv6 addresses go in brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Upstream formatEndpoints: ready addresses only, `ip:port` per port (bare IPs
 * for a subset without ports), the first three shown and the rest counted.
 */
export function formatEndpoints(endpoints: unknown): string {
  const subsets = list(record(endpoints).subsets);
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let more = false;
  let count = 0;
  for (const subsetValue of subsets) {
    const subset = record(subsetValue);
    const addresses = list(subset.addresses);
    const ports = list(subset.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const address of addresses) {
        if (shown.length === MAX_SHOWN) {
          more = true;
          break;
        }
        shown.push(text(record(address).ip));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const address of addresses) {
        if (shown.length === MAX_SHOWN) {
          more = true;
          break;
        }
        shown.push(joinHostPort(text(record(address).ip), integer(record(port).port)));
      }
    }
  }
  const joined = shown.join(',');
  return more ? `${joined} + ${count - MAX_SHOWN} more...` : joined;
}

export function endpointsCells(endpoints: unknown, now: number): TableCell[] {
  const meta = metadataOf(endpoints);
  return [text(meta.name), formatEndpoints(endpoints), translateTimestampSince(meta.creationTimestamp, now)];
}
