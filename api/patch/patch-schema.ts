// What a strategic merge patch needs to know about a kind: which lists merge
// element by element (and by which key), which merge as sets of primitives,
// and which maps or lists are replaced whole. Upstream reads this from Go
// struct tags (`patchStrategy:"merge" patchMergeKey:"name"`), published in
// OpenAPI as x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key; skiff
// writes the same facts down as data, one entry per field path.

/**
 * - `merge`: a list merges instead of being replaced — by `patchMergeKey` when
 *   its elements are objects, as a set union when they are primitives.
 * - `merge,retainKeys` / `retainKeys`: as `merge` / the default; `retainKeys`
 *   only tells a client to send `$retainKeys`, which the server honours
 *   wherever it appears.
 * - `replace`: the map or list is atomic and replaced whole. Lists are atomic
 *   anyway unless they say `merge`; listing one as `replace` documents it.
 */
export type PatchStrategy = 'merge' | 'merge,retainKeys' | 'retainKeys' | 'replace';

export interface FieldPatchStrategy {
  readonly patchStrategy: PatchStrategy;
  /** The field that identifies an element of a merging list of objects. */
  readonly patchMergeKey?: string;
}

export interface PatchSchema {
  /**
   * Keyed by field path, dotted the way `kubectl explain` writes it, list
   * elements being transparent: `spec.containers.ports` is the ports list of
   * every container. A field not listed takes the defaults: maps merge key by
   * key, lists are replaced whole.
   */
  readonly fields: Readonly<Record<string, FieldPatchStrategy>>;
}

/** One position in a schema, reached by walking field names from the object root. */
export interface SchemaNode {
  readonly strategy: FieldPatchStrategy | undefined;
  child(field: string): SchemaNode;
}

class TreeNode implements SchemaNode {
  strategy: FieldPatchStrategy | undefined;
  readonly children = new Map<string, TreeNode>();

  child(field: string): SchemaNode {
    return this.children.get(field) ?? UNDESCRIBED;
  }
}

/** Below a field the schema does not mention, everything takes the defaults. */
const UNDESCRIBED: SchemaNode = {
  strategy: undefined,
  child: () => UNDESCRIBED,
};

const compiled = new WeakMap<PatchSchema, SchemaNode>();

/** The root of `schema` as a tree, built once per schema object. */
export function schemaRoot(schema: PatchSchema): SchemaNode {
  let root = compiled.get(schema);
  if (!root) {
    root = compileSchema(schema);
    compiled.set(schema, root);
  }
  return root;
}

function compileSchema(schema: PatchSchema): SchemaNode {
  const root = new TreeNode();
  for (const [path, strategy] of Object.entries(schema.fields)) {
    const segments = path.split('.');
    if (segments.some((segment) => segment === '')) throw new Error(`patch schema: malformed field path "${path}"`);
    if (strategy.patchMergeKey !== undefined && !mergesLists(strategy)) {
      throw new Error(`patch schema: "${path}" has a merge key but strategy "${strategy.patchStrategy}"`);
    }
    let node = root;
    for (const segment of segments) {
      let next = node.children.get(segment);
      if (!next) {
        next = new TreeNode();
        node.children.set(segment, next);
      }
      node = next;
    }
    node.strategy = strategy;
  }
  return root;
}

/** True when a list under this strategy merges rather than being replaced. */
export function mergesLists(strategy: FieldPatchStrategy | undefined): boolean {
  return strategy?.patchStrategy === 'merge' || strategy?.patchStrategy === 'merge,retainKeys';
}

/** True when a map under this strategy is replaced whole rather than merged key by key. */
export function replacesMaps(strategy: FieldPatchStrategy | undefined): boolean {
  return strategy?.patchStrategy === 'replace';
}
