import type { FieldErrors } from './field-errors.js';

// Port numbers and IANA service names (RFC 6335) as Kubernetes checks them
// (k8s.io/apimachinery/pkg/util/validation IsValidPortNum, IsValidPortName).
// A named port is what a Service's targetPort or a probe may use instead of
// a number, resolved against the container ports of each Pod.

export const PORT_NAME_MAX_LENGTH = 15;

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isValidPortName(port: string): string[] {
  const errors: string[] = [];
  if (port.length > PORT_NAME_MAX_LENGTH) errors.push(`must be no more than ${PORT_NAME_MAX_LENGTH} characters`);
  if (!/^[-a-z0-9]+$/.test(port)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errors.push('must not begin or end with a hyphen');
  return errors;
}

/** ValidatePortNumOrName: an IntOrString port is a number in range or a valid port name. */
export function validatePortNumOrName(errors: FieldErrors, path: string, port: number | string | undefined): void {
  // An unset IntOrString is the integer 0 in Go, so it fails as a number.
  if (typeof port === 'string') errors.invalidEach(path, port, isValidPortName(port));
  else errors.invalidEach(path, port ?? 0, isValidPortNum(port ?? 0));
}
