/**
 * Query strings in the form encoding Kubernetes clients use (`+` for a space,
 * as Go's url.Values.Encode writes it). Undefined values are left out so
 * callers can pass their options objects through unchanged.
 */
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.append(key, String(value));
  }
  const encoded = search.toString();
  return encoded === '' ? path : `${path}?${encoded}`;
}
