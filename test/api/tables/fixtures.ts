// Shared clock for the table tests: objects are created relative to NOW.
export const NOW = Date.parse('2025-01-01T12:00:00Z');

/** An RFC 3339 timestamp `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
