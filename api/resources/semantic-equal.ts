// Equality the way Kubernetes compares API objects (apiequality.Semantic):
// a field that is absent equals its zero value, because the Go types cannot
// tell them apart. `{"hostNetwork": false}` and `{}` are the same PodSpec;
// so are `ports: []` and no ports at all.

function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isZero);
  return false;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!semanticEqual(left[key], right[key])) return false;
    return true;
  }
  return false;
}

/**
 * The leaves that differ between two values, as `- path: old` / `+ path: new`
 * lines: what an "updates may not change fields other than …" error appends so
 * the user can see which field they touched (upstream prints a Go cmp.Diff).
 */
export function describeDifferences(before: unknown, after: unknown, path: string): string[] {
  if (semanticEqual(before, after)) return [];
  const bothObjects = before !== null && after !== null && typeof before === 'object' && typeof after === 'object'
    && Array.isArray(before) === Array.isArray(after);
  if (bothObjects && !(Array.isArray(before) && (before as unknown[]).length !== (after as unknown[]).length)) {
    const left = before as Record<string, unknown>;
    const right = after as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
    return keys.flatMap((key) => describeDifferences(left[key], right[key], Array.isArray(before) ? `${path}[${key}]` : `${path}.${key}`));
  }
  const lines: string[] = [];
  if (!isZero(before)) lines.push(`- ${path}: ${JSON.stringify(before)}`);
  if (!isZero(after)) lines.push(`+ ${path}: ${JSON.stringify(after)}`);
  if (lines.length === 0) lines.push(`~ ${path}`);
  return lines;
}
