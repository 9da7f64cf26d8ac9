import { serviceSelectorMatches } from './pod-endpoint-rules.js';

interface Entry {
  namespace: string;
  selector: Readonly<Record<string, string>>;
  /** The bucket this selector is filed under: one pair it requires. */
  bucket: string;
}

function pairKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}

/**
 * Finds the Services whose selector matches a set of labels without looking
 * at every Service. A Service selector is an equality map, so a Service can
 * only match labels that contain every one of its pairs; it is filed under
 * one of them (namespace, key=value), and a lookup visits only the buckets of
 * the labels' own pairs, then checks each candidate's full selector.
 *
 * Of a selector's pairs, the one with the smallest bucket at filing time is
 * chosen, so a pair every Service shares (`tier=backend`) does not pile all
 * of them into one bucket.
 */
export class ServiceSelectorIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, Set<string>>();

  get size(): number {
    return this.entries.size;
  }

  /** Files (or refiles) a Service; an empty selector removes it, as it selects no pods here. */
  set(serviceKey: string, namespace: string, selector: Readonly<Record<string, string>>): void {
    const existing = this.entries.get(serviceKey);
    if (existing && existing.namespace === namespace && sameSelector(existing.selector, selector)) return;
    this.delete(serviceKey);
    const keys = Object.keys(selector);
    if (keys.length === 0) return;
    let bucket = '';
    let smallest = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const candidate = pairKey(namespace, key, selector[key]!);
      const size = this.buckets.get(candidate)?.size ?? 0;
      if (size < smallest) {
        smallest = size;
        bucket = candidate;
      }
    }
    this.entries.set(serviceKey, { namespace, selector: { ...selector }, bucket });
    let set = this.buckets.get(bucket);
    if (!set) this.buckets.set(bucket, (set = new Set()));
    set.add(serviceKey);
  }

  delete(serviceKey: string): void {
    const entry = this.entries.get(serviceKey);
    if (!entry) return;
    this.entries.delete(serviceKey);
    const set = this.buckets.get(entry.bucket);
    set?.delete(serviceKey);
    if (set?.size === 0) this.buckets.delete(entry.bucket);
  }

  /** The Services of `namespace` whose selector `labels` satisfy. */
  matching(namespace: string, labels: Readonly<Record<string, string>> | undefined): string[] {
    const found: string[] = [];
    if (!labels) return found;
    for (const key in labels) {
      const set = this.buckets.get(pairKey(namespace, key, labels[key]!));
      if (!set) continue;
      for (const serviceKey of set) {
        if (serviceSelectorMatches(this.entries.get(serviceKey)!.selector, labels)) found.push(serviceKey);
      }
    }
    return found;
  }
}

function sameSelector(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}
