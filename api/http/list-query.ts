import { BadRequestError } from '../errors.js';
import { parseFieldSelector, type FieldSelector } from '../labels/field-selector.js';
import { parseLabelSelector, type LabelSelector } from '../labels/label-selector.js';

export type Query = Record<string, string | string[] | undefined>;

/** The last value of a query parameter, as the Go apiserver reads repeated parameters. */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function queryFlag(query: Query, name: string): boolean {
  const value = queryValue(query, name);
  return value === 'true' || value === '1';
}

function nonNegativeInteger(query: Query, name: string): number | undefined {
  const text = queryValue(query, name);
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new BadRequestError(`${name}: Invalid value: "${text}": must be a non-negative integer`);
  return Number(text);
}

export interface ListQuery {
  watch: boolean;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

export function parseListQuery(query: Query, supportedFields: readonly string[]): ListQuery {
  const labelText = queryValue(query, 'labelSelector');
  const fieldText = queryValue(query, 'fieldSelector');
  const resourceVersion = queryValue(query, 'resourceVersion');
  if (resourceVersion !== undefined && resourceVersion !== '' && !/^\d+$/.test(resourceVersion)) {
    throw new BadRequestError(`resourceVersion: Invalid value: "${resourceVersion}": must be a non-negative integer`);
  }
  const sendInitialText = queryValue(query, 'sendInitialEvents');
  const parsed: ListQuery = {
    watch: queryFlag(query, 'watch'),
    labelSelector: labelText ? parseLabelSelector(labelText) : undefined,
    fieldSelector: fieldText ? parseFieldSelector(fieldText, supportedFields) : undefined,
    limit: nonNegativeInteger(query, 'limit'),
    continueToken: queryValue(query, 'continue') || undefined,
    resourceVersion: resourceVersion || undefined,
    resourceVersionMatch: queryValue(query, 'resourceVersionMatch') || undefined,
    timeoutSeconds: nonNegativeInteger(query, 'timeoutSeconds'),
    allowWatchBookmarks: queryFlag(query, 'allowWatchBookmarks'),
    sendInitialEvents: sendInitialText === undefined ? undefined : sendInitialText === 'true' || sendInitialText === '1',
  };
  if (parsed.resourceVersionMatch && !['NotOlderThan', 'Exact'].includes(parsed.resourceVersionMatch)) {
    throw new BadRequestError(`resourceVersionMatch: Unsupported value: "${parsed.resourceVersionMatch}": supported values: "Exact", "NotOlderThan"`);
  }
  if (parsed.sendInitialEvents !== undefined && !parsed.watch) {
    throw new BadRequestError('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
  }
  if (parsed.sendInitialEvents && parsed.resourceVersionMatch !== 'NotOlderThan') {
    throw new BadRequestError('resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
  }
  return parsed;
}

export function dryRunRequested(query: Query): boolean {
  const value = query.dryRun;
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  for (const v of values) {
    if (v !== 'All') throw new BadRequestError(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}
