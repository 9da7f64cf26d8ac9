// The shapes of meta.k8s.io/v1 Table, as the API server serialises them.

/** One column of a Table. kubectl shows `priority` ≥ 1 columns only with `-o wide`. */
export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** `name` marks the column that holds the object's name. */
  format: string;
  description: string;
  priority: number;
}

/** A cell holds a string, a number or a boolean; kubectl prints it as given. */
export type TableCell = string | number | boolean;

/** Row conditions; upstream marks finished Pods `Completed` this way. */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** How one kind turns an object into the cells of its row, in column order. */
export interface KindTable {
  columns: readonly TableColumnDefinition[];
  cells(object: unknown, now: number): TableCell[];
  conditions?(object: unknown): readonly TableRowCondition[] | undefined;
}
