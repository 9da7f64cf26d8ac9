import { configMapCells, configMapColumns } from './configmap-columns.js';
import { defaultCells, defaultColumns } from './default-columns.js';
import { endpointsCells, endpointsColumns } from './endpoints-columns.js';
import { endpointSliceCells, endpointSliceColumns } from './endpointslice-columns.js';
import { eventCells, eventColumns } from './event-columns.js';
import { leaseCells, leaseColumns } from './lease-columns.js';
import { namespaceCells, namespaceColumns } from './namespace-columns.js';
import { nodeCells, nodeColumns } from './node-columns.js';
import { podCells, podColumns, podRowConditions } from './pod-columns.js';
import { secretCells, secretColumns } from './secret-columns.js';
import { serviceCells, serviceColumns } from './service-columns.js';
import { serviceAccountCells, serviceAccountColumns } from './serviceaccount-columns.js';
import { roleBindingCells, roleBindingColumns, roleCells, roleColumns } from './rbac-columns.js';
import type { KindTable } from './table-types.js';

/** The printers skiff has, by resource (the plural path segment). */
const KIND_TABLES: ReadonlyMap<string, KindTable> = new Map<string, KindTable>([
  ['pods', { columns: podColumns, cells: podCells, conditions: podRowConditions }],
  ['services', { columns: serviceColumns, cells: serviceCells }],
  ['endpoints', { columns: endpointsColumns, cells: endpointsCells }],
  ['endpointslices', { columns: endpointSliceColumns, cells: endpointSliceCells }],
  ['nodes', { columns: nodeColumns, cells: nodeCells }],
  ['namespaces', { columns: namespaceColumns, cells: namespaceCells }],
  ['leases', { columns: leaseColumns, cells: leaseCells }],
  ['events', { columns: eventColumns, cells: eventCells }],
  ['configmaps', { columns: configMapColumns, cells: configMapCells }],
  ['secrets', { columns: secretColumns, cells: secretCells }],
  ['serviceaccounts', { columns: serviceAccountColumns, cells: serviceAccountCells }],
  ['roles', { columns: roleColumns, cells: roleCells }],
  ['clusterroles', { columns: roleColumns, cells: roleCells }],
  ['rolebindings', { columns: roleBindingColumns, cells: roleBindingCells }],
  ['clusterrolebindings', { columns: roleBindingColumns, cells: roleBindingCells }],
]);

/** Name and creation time, for a resource without its own printer. */
export const DEFAULT_KIND_TABLE: KindTable = { columns: defaultColumns, cells: defaultCells };

export function kindTableFor(resource: string): KindTable | undefined {
  return KIND_TABLES.get(resource);
}
