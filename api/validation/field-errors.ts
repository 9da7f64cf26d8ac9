import type { StatusCause } from '../errors.js';

// Accumulates field errors the way k8s.io/apimachinery's field.ErrorList does,
// so messages read exactly as Kubernetes prints them:
//   spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive

/** Formats a value as Kubernetes does inside `Invalid value: …`. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export class FieldErrors {
  readonly causes: StatusCause[] = [];

  get empty(): boolean {
    return this.causes.length === 0;
  }

  invalid(field: string, value: unknown, detail: string): this {
    this.causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${formatValue(value)}: ${detail}` });
    return this;
  }

  required(field: string, detail = ''): this {
    this.causes.push({ reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' });
    return this;
  }

  duplicate(field: string, value: unknown): this {
    this.causes.push({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}` });
    return this;
  }

  notSupported(field: string, value: unknown, supported: readonly string[]): this {
    const list = supported.map((s) => JSON.stringify(s)).join(', ');
    this.causes.push({ reason: 'FieldValueNotSupported', field, message: `Unsupported value: ${formatValue(value)}: supported values: ${list}` });
    return this;
  }

  forbidden(field: string, detail: string): this {
    this.causes.push({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` });
    return this;
  }

  tooLong(field: string, maxLength: number): this {
    this.causes.push({ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${maxLength} bytes` });
    return this;
  }

  /** Appends each message of an identifier check (see identifiers.ts) as an Invalid cause. */
  invalidEach(field: string, value: unknown, problems: readonly string[]): this {
    for (const problem of problems) this.invalid(field, value, problem);
    return this;
  }

  addAll(other: FieldErrors): this {
    this.causes.push(...other.causes);
    return this;
  }
}
