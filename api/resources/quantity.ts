// resource.Quantity parsing, enough to compare requests with limits: "100m",
// "1Gi", "1.5", "2e3" or a bare JSON number. Values become floating-point
// numbers of base units, which is exact for every realistic quantity.

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?$/;

/** The value of a quantity in base units, or undefined when it is not a valid quantity. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY_SUFFIXES) return number * (BINARY_SUFFIXES[suffix] ?? 1);
  if (suffix in DECIMAL_SUFFIXES) return number * (DECIMAL_SUFFIXES[suffix] ?? 1);
  return number * 10 ** Number(suffix.slice(1));
}

/** Kubernetes always serializes a quantity as a string; a JSON number becomes its decimal text. */
export function canonicalQuantity(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}
