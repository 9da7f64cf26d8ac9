import type { TableColumnDefinition } from './table-types.js';

// Descriptions are the OpenAPI documentation of the field each column shows,
// as upstream fills them from SwaggerDoc(); kubectl does not print them.

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

const CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(
  name: string,
  description: string,
  options: { type?: TableColumnDefinition['type']; format?: string; priority?: number } = {},
): TableColumnDefinition {
  return Object.freeze({ name, type: options.type ?? 'string', format: options.format ?? '', description, priority: options.priority ?? 0 });
}

export const nameColumn = column('Name', NAME_DOC, { format: 'name' });

export const ageColumn = column('Age', CREATION_TIMESTAMP_DOC);

/** `k=v` pairs sorted by key and joined with commas, `<none>` when empty: labels.FormatLabels. */
export function formatLabels(labels: unknown): string {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return '<none>';
  const pairs: string[] = [];
  for (const key of Object.keys(labels).sort()) {
    const value = (labels as Record<string, unknown>)[key];
    pairs.push(`${key}=${typeof value === 'string' ? value : ''}`);
  }
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}

/** Joins the first three entries and counts the rest, as upstream's listWithMoreString does. */
export function listWithMore(list: readonly string[], more: boolean, count: number, max: number): string {
  const joined = list.join(',');
  if (more) return `${joined} + ${count - max} more...`;
  return joined === '' ? '<unset>' : joined;
}
