import { BadRequestError } from '../errors.js';
import { elementIdentity, orderMergedList } from './element-order.js';
import { goFormat, goTypeName } from './go-format.js';
import { cloneJson, isJsonObject, jsonKind, type JsonObject, type JsonValue } from './json-value.js';
import { UnprocessablePatchError } from './patch-errors.js';
import { mergesLists, replacesMaps, schemaRoot, type PatchSchema, type SchemaNode } from './patch-schema.js';

export type { FieldPatchStrategy, PatchSchema, PatchStrategy } from './patch-schema.js';
export { patchSchemas } from './patch-schemas.js';

// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`:
// kubectl apply, patch, cordon), a port of the server half of
// k8s.io/apimachinery/pkg/util/strategicpatch (StrategicMergeMapPatch with
// MergeParallelList and IgnoreUnmatchedNulls, as the apiserver calls it).
// README.md in this folder explains the semantics; the deliberate departures
// from upstream are all of one kind: upstream stores what it cannot interpret
// and lets decoding into Go structs throw it away, and skiff, which keeps
// objects as JSON, interprets or drops it instead, so that no directive ever
// reaches storage.

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

// apimachinery's sentinel errors (pkg/util/mergepatch/errors.go). The apiserver
// sends these as 400; skiff appends what exactly was wrong.
const BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';

/**
 * Applies a strategic merge patch to a copy of `target`, merging lists as
 * `schema` says; neither argument is modified. Malformed patches and
 * directives throw BadRequestError; a list of lists throws
 * UnprocessablePatchError (422), as upstream.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (!isJsonObject(patch)) {
    throw new BadRequestError(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  if (!isJsonObject(target)) throw new BadRequestError('invalid JSON document');
  // Working on copies lets the merge edit in place the way upstream does,
  // without the result sharing a node with either input.
  return mergeMap(cloneJson(target), cloneJson(patch), schemaRoot(schema));
}

function mergeMap(original: JsonObject, patch: JsonObject, node: SchemaNode): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return applyMapDirective(patch, node);
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, node);
  const deletions: Array<[string, JsonValue]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) deletions.push([key, value]);
    else mergeField(original, key, value, node.child(key));
  }
  for (const [key, value] of deletions) deleteFromPrimitiveList(original, key, value);
  return original;
}

function mergeField(original: JsonObject, key: string, value: JsonValue, node: SchemaNode): void {
  if (value === null) {
    delete original[key];
    return;
  }
  const live = ownField(original, key);
  if (isJsonObject(live) && isJsonObject(value) && !replacesMaps(node.strategy)) {
    setField(original, key, mergeMap(live, value, node));
  } else if (Array.isArray(live) && Array.isArray(value)) {
    setField(original, key, mergeList(live, value, node));
  } else {
    // Absent, a different type, a scalar, or an atomic map: the patch value wins.
    setField(original, key, settle(value, node));
  }
}

/** `$patch` in a map: `replace` swaps in the rest of the map, `delete` empties it (the key stays, as upstream). */
function applyMapDirective(patch: JsonObject, node: SchemaNode): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return mergeMap({}, patch, node);
  }
  if (directive === 'delete') return {};
  throw new BadRequestError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
}

/** `$retainKeys: [...]` clears every key of the live map that is not listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retained = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retained)) {
    throw new BadRequestError(`${BAD_RETAIN_KEYS}: ${RETAIN_KEYS} must be a list, not ${goFormat(retained)}`);
  }
  const keep = new Set<JsonValue>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(key)) throw new BadRequestError(`${BAD_RETAIN_KEYS}: "${key}" is patched but not listed in ${RETAIN_KEYS}`);
  }
  for (const key of Object.keys(original)) {
    if (!keep.has(key)) delete original[key];
  }
}

/**
 * `$setElementOrder/<field>: [...]` merges `<field>` now, then orders the
 * result: listed elements in the listed order, the server's other elements
 * interleaved by their live order (see element-order.ts).
 */
function applySetElementOrders(original: JsonObject, patch: JsonObject, node: SchemaNode): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    const field = directiveField(key, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
    // The patch deletes the list; there is nothing left to order.
    if (ownField(patch, field) === null) continue;
    if (!Array.isArray(order)) throw new BadRequestError(`${BAD_SET_ELEMENT_ORDER}: ${key} must be a list, not ${goFormat(order)}`);
    const fieldNode = node.child(field);
    const mergeKey = fieldNode.strategy?.patchMergeKey ?? '';
    const live = listField(original, field, key);
    const patched = listField(patch, field, key);
    if (live === undefined && patched === undefined) continue;
    checkOrderCoversPatch(patched ?? [], order, mergeKey);
    let merged: JsonValue[];
    if (live !== undefined && patched !== undefined) merged = mergeList(live, patched, fieldNode);
    else if (patched !== undefined) merged = settleList(patched, fieldNode);
    else merged = live ?? [];
    delete patch[field];
    if (mergeKey !== '') requireMergeKeys([...merged, ...order], mergeKey);
    setField(original, field, orderMergedList(merged, order, live ?? [], elementIdentity(mergeKey)));
  }
}

/** Upstream's validatePatchWithSetOrderList: the patch list must be a subsequence of the order list. */
function checkOrderCoversPatch(patched: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (patched.length === 0 || order.length === 0) return;
  let items = patched;
  if (mergeKey !== '') {
    for (const item of patched) {
      if (!isJsonObject(item)) throw new BadRequestError(`expected a map[string]interface {}, but received a ${goTypeName(item)}`);
    }
    items = patched.filter((item) => (item as JsonObject)[DIRECTIVE] !== 'delete');
  }
  const isDirective = (item: JsonValue | undefined): boolean => isJsonObject(item) && Object.hasOwn(item, DIRECTIVE);
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p] as JsonValue;
    if (isDirective(item)) {
      p++;
      continue;
    }
    if (sameElement(item, order[o] as JsonValue, mergeKey)) p++;
    o++;
  }
  while (p < items.length && isDirective(items[p])) p++;
  if (p < items.length) {
    throw new BadRequestError(
      `The order in patch list:\n${goFormat(patched)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameElement(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  requireMergeKeys([left, right], mergeKey);
  return (left as JsonObject)[mergeKey] === (right as JsonObject)[mergeKey];
}

/** `$deleteFromPrimitiveList/<field>: [...]` removes those values from a list of primitives. */
function deleteFromPrimitiveList(original: JsonObject, key: string, values: JsonValue): void {
  const field = directiveField(key, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST);
  if (!Array.isArray(values)) throw new BadRequestError(`${BAD_PRIMITIVE_LIST}: ${key} must be a list, not ${goFormat(values)}`);
  const live = ownField(original, field);
  // Upstream would store the deletion list itself as the field; there is nothing to delete from.
  if (live === undefined || live === null) return;
  if (!Array.isArray(live)) throw new BadRequestError(`${BAD_PRIMITIVE_LIST}: "${field}" is not a list`);
  const doomed = new Set(values.filter((value) => typeof value !== 'object'));
  setField(original, field, live.filter((value) => typeof value === 'object' || !doomed.has(value)));
}

function mergeList(live: JsonValue[], patch: JsonValue[], node: SchemaNode): JsonValue[] {
  if (!mergesLists(node.strategy)) return settleList(patch, node);
  const mergeKey = node.strategy?.patchMergeKey ?? '';
  if (live.length === 0 && patch.length === 0) return live;
  if (elementKind(live, patch) !== 'object') {
    if (mergeKey !== '') requireMergeKeys([...live, ...patch], mergeKey);
    const union = [...new Set([...live, ...patch])];
    return orderMergedList(union, patch, live, elementIdentity(''));
  }
  if (mergeKey === '') throw new BadRequestError('cannot merge lists without merge key for type map');
  const { remaining, updates } = applyListDirectives(live as JsonObject[], patch as JsonObject[], mergeKey, node);
  const merged: JsonValue[] = [...remaining];
  for (const update of updates) {
    requireMergeKeys([update], mergeKey);
    const at = merged.findIndex((element) => matchesKey(element, mergeKey, update[mergeKey]));
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, update, node);
    else merged.push(mergeMap({}, update, node));
  }
  return orderMergedList(merged, updates, remaining, elementIdentity(mergeKey));
}

/**
 * Elements carrying `$patch` act on the list: `delete` removes every live
 * element with that key, `{"$patch": "replace"}` makes the other patch
 * elements the whole list. Upstream refuses `merge` here, and so do we.
 */
function applyListDirectives(
  live: JsonObject[],
  patch: JsonObject[],
  mergeKey: string,
  node: SchemaNode,
): { remaining: JsonObject[]; updates: JsonObject[] } {
  let remaining = live;
  let replace = false;
  const updates: JsonObject[] = [];
  for (const element of patch) {
    if (!Object.hasOwn(element, DIRECTIVE)) {
      updates.push(element);
      continue;
    }
    const directive = element[DIRECTIVE];
    if (directive === 'delete') {
      requireMergeKeys([element], mergeKey);
      remaining = remaining.filter((candidate) => !matchesKey(candidate, mergeKey, element[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new BadRequestError('merging lists cannot yet be specified in the patch');
    } else {
      throw new BadRequestError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(element)}`);
    }
  }
  if (replace) return { remaining: updates.map((element) => mergeMap({}, element, node)), updates: [] };
  return { remaining, updates };
}

/**
 * The form a patch value takes when there is nothing to merge it into (a new
 * field, a replaced one): the same value with directives acted out against
 * an empty original and `null`s dropped, as upstream's Go decoding would.
 */
function settle(value: JsonValue, node: SchemaNode): JsonValue {
  if (isJsonObject(value)) return mergeMap({}, value, node);
  if (Array.isArray(value)) return settleList(value, node);
  return value;
}

function settleList(list: JsonValue[], node: SchemaNode): JsonValue[] {
  if (!mergesLists(node.strategy)) return list.map((element) => settle(element, node));
  const settled: JsonValue[] = [];
  for (const element of list) {
    if (isJsonObject(element) && Object.hasOwn(element, DIRECTIVE)) {
      // With no live list, `delete` has nothing to remove and `replace` nothing to replace.
      const directive = element[DIRECTIVE];
      if (directive === 'delete' || directive === 'replace') continue;
      if (directive === 'merge') throw new BadRequestError('merging lists cannot yet be specified in the patch');
      throw new BadRequestError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(element)}`);
    }
    settled.push(settle(element, node));
  }
  return settled;
}

/** All elements share one JSON type, which is not a list (upstream's sliceElementType). */
function elementKind(...lists: JsonValue[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const element of list) {
      const current = jsonKind(element);
      if (kind === undefined) {
        if (current === 'array') throw new UnprocessablePatchError('lists of lists are not supported');
        kind = current;
      } else if (current !== kind) {
        throw new BadRequestError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return kind ?? 'null';
}

function requireMergeKeys(elements: JsonValue[], mergeKey: string): void {
  for (const element of elements) {
    if (!isJsonObject(element)) throw new BadRequestError(`expected a map[string]interface {}, but received a ${goTypeName(element)}`);
    if (!Object.hasOwn(element, mergeKey)) {
      throw new BadRequestError(`map: ${goFormat(element)} does not contain declared merge key: ${mergeKey}`);
    }
  }
}

function matchesKey(element: JsonValue, mergeKey: string, value: JsonValue | undefined): boolean {
  return isJsonObject(element) && Object.hasOwn(element, mergeKey) && element[mergeKey] === value;
}

/** The field named after the slash of a `$prefix/<field>` key. */
function directiveField(key: string, prefix: string, sentinel: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix || slash === key.length - 1) {
    throw new BadRequestError(`${sentinel}: malformed directive key "${key}", want "${prefix}/<field>"`);
  }
  return key.slice(slash + 1);
}

/** A list-valued field of a map, or undefined when absent or null; anything else is a malformed patch. */
function listField(map: JsonObject, field: string, directive: string): JsonValue[] | undefined {
  const value = ownField(map, field);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new BadRequestError(`${BAD_SET_ELEMENT_ORDER}: ${directive} orders "${field}", which is not a list`);
  return value;
}

function ownField(map: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Assignment that cannot reach a prototype, even for a key spelled `__proto__`. */
function setField(map: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}
