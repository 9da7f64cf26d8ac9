import type { JsonValue } from './json-value.js';

// Where each element of a merged list ends up. This follows apimachinery's
// normalizeElementOrder / mergeSortedSlice (the "preserve order in strategic
// merge patch" design) exactly, because the resulting order is visible to
// every client that lists the object afterwards:
//
//   1. Split the merged list into the elements the patch names ("wanted",
//      in the order of the patch list or of $setElementOrder) and the
//      elements only the server had ("server-only", in their live order).
//   2. Interleave the two runs: a server-only element is emitted first only
//      when it preceded the next wanted element in the live list; otherwise
//      the wanted element goes first.
//
// A consequence clients notice: an element the patch adds without a
// $setElementOrder lands before the server-only elements that follow the
// patch's previous element — added to a list it shares nothing with, it is
// prepended, not appended. kubectl apply always sends $setElementOrder, which
// names every element and so fixes the whole order.

/** What identifies an element: its merge-key value for objects, the value itself for primitives. */
export type ElementIdentity = (element: JsonValue) => unknown;

export function elementIdentity(mergeKey: string): ElementIdentity {
  if (mergeKey === '') return (element) => element;
  return (element) =>
    typeof element === 'object' && element !== null && !Array.isArray(element) ? element[mergeKey] : undefined;
}

/**
 * Orders `merged` so that the elements named in `wanted` follow its order and
 * the rest keep their order in `live`, interleaved as described above.
 */
export function orderMergedList(
  merged: JsonValue[],
  wanted: readonly JsonValue[],
  live: readonly JsonValue[],
  identity: ElementIdentity,
): JsonValue[] {
  const wantedIds = wanted.map(identity);
  const wantedItems: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const element of merged) {
    (wantedIds.includes(identity(element)) ? wantedItems : serverOnly).push(element);
  }
  const liveIds = live.map(identity);
  return interleave(sortBy(serverOnly, liveIds, identity), sortBy(wantedItems, wantedIds, identity), liveIds, identity);
}

/**
 * Stable sort by position in `order`. Elements absent from it keep their
 * relative order after the others; upstream's comparator is undefined for
 * them, and no well-formed patch produces any.
 */
function sortBy(elements: JsonValue[], order: readonly unknown[], identity: ElementIdentity): JsonValue[] {
  const ranked = elements.map((element, index) => {
    const rank = order.indexOf(identity(element));
    return { element, index, rank: rank < 0 ? Number.POSITIVE_INFINITY : rank };
  });
  ranked.sort((a, b) => (a.rank === b.rank ? a.index - b.index : a.rank - b.rank));
  return ranked.map((r) => r.element);
}

/** apimachinery's mergeSortedSlice: takes from `serverOnly` only when the live order says it comes first. */
function interleave(
  serverOnly: JsonValue[],
  wanted: JsonValue[],
  liveIds: readonly unknown[],
  identity: ElementIdentity,
): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length && j < wanted.length) {
    const left = serverOnly[i] as JsonValue;
    const right = wanted[j] as JsonValue;
    const leftAt = liveIds.indexOf(identity(left));
    const rightAt = liveIds.indexOf(identity(right));
    if (leftAt >= 0 && rightAt >= 0 && leftAt < rightAt) {
      out.push(left);
      i++;
    } else {
      out.push(right);
      j++;
    }
  }
  return [...out, ...serverOnly.slice(i), ...wanted.slice(j)];
}
