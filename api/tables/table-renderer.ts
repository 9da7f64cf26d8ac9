import type { TableRenderer } from '../http/table.js';
import type { ObjectList } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import { parseIncludeObject, rowObject, type IncludeObjectPolicy } from './include-object.js';
import { DEFAULT_KIND_TABLE, kindTableFor } from './kind-tables.js';
import { metadataOf, record, text } from './object-fields.js';
import type { KindTable } from './table-types.js';

export interface KubeTableRendererOptions {
  /** The clock the AGE columns are measured against; tests pin it. */
  now?: () => Date;
}

type ListInput = Pick<ObjectList<KubeObject>, 'items' | 'resourceVersion' | 'continueToken'> & { remainingItemCount?: number };

const TABLE_PREFIX = '{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":';

/**
 * Renders meta.k8s.io/v1 Tables the way the API server's table convertor
 * does: every column, wide ones included (kubectl hides priority ≥ 1 unless
 * `-o wide`), cells computed on the server, and each row's object trimmed
 * to what `includeObject` asks for.
 */
export class KubeTableRenderer implements TableRenderer {
  private readonly now: () => Date;
  private readonly columnsJson = new Map<KindTable, string>();

  constructor(options: KubeTableRendererOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  supports(resource: string): boolean {
    return kindTableFor(resource) !== undefined;
  }

  renderList(resource: string, list: ListInput, includeObject: string | undefined): string {
    const policy = parseIncludeObject(includeObject);
    const table = kindTableFor(resource) ?? DEFAULT_KIND_TABLE;
    const metadata: Record<string, unknown> = { resourceVersion: list.resourceVersion };
    if (list.continueToken) metadata.continue = list.continueToken;
    if (list.remainingItemCount !== undefined) metadata.remainingItemCount = list.remainingItemCount;
    return this.render(table, metadata, list.items, policy);
  }

  renderEvent(resource: string, object: unknown, includeObject: string | undefined): string {
    // A Status (a watch ERROR) passes through untransformed, as upstream does.
    if (record(object).kind === 'Status') return JSON.stringify(object);
    const policy = parseIncludeObject(includeObject);
    const table = kindTableFor(resource) ?? DEFAULT_KIND_TABLE;
    return this.render(table, { resourceVersion: text(metadataOf(object).resourceVersion) }, [object], policy);
  }

  private render(table: KindTable, metadata: Record<string, unknown>, items: readonly unknown[], policy: IncludeObjectPolicy): string {
    const now = this.now().getTime();
    const rows = new Array<Record<string, unknown>>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const row: Record<string, unknown> = { cells: table.cells(item, now) };
      const conditions = table.conditions?.(item);
      if (conditions !== undefined) row.conditions = conditions;
      const object = rowObject(item, policy);
      if (object !== undefined) row.object = object;
      rows[i] = row;
    }
    return `${TABLE_PREFIX}${JSON.stringify(metadata)},"columnDefinitions":${this.columns(table)},"rows":${JSON.stringify(rows)}}`;
  }

  private columns(table: KindTable): string {
    let json = this.columnsJson.get(table);
    if (json === undefined) {
      json = JSON.stringify(table.columns);
      this.columnsJson.set(table, json);
    }
    return json;
  }
}
