import { BadRequestError } from '../errors.js';

// Field selectors as k8s.io/apimachinery/pkg/fields parses them, followed by
// the API server's per-kind field label check. Terms are split on unescaped
// commas, each term at its first `!=`, `==` or `=`; the value may carry the
// escapes `\\`, `\,` and `\=`. There is no whitespace trimming: Kubernetes
// reads `metadata.name = x` as the field "metadata.name ".

export type FieldSelectorOperator = 'Equals' | 'NotEquals';

export interface FieldRequirement {
  readonly field: string;
  /** `=` and `==` are both Equals, as fields.Requirements() reports them. */
  readonly operator: FieldSelectorOperator;
  /** The unescaped value. */
  readonly value: string;
}

/** fields.EscapeValue: makes any string safe as a selector value. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue, with the API server's messages for bad escapes. */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new BadRequestError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point number.
      throw new BadRequestError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new BadRequestError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Commas preceded by a backslash are data; the backslash stays in the term. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector.charAt(i);
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

// `==` is tried before `=` at each position so that `a==b` does not leave `=b` as the value.
const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { field: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** An AND of field requirements. */
export class FieldSelector {
  private static readonly EVERYTHING = new FieldSelector([]);

  readonly requirements: readonly FieldRequirement[];

  private constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = Object.freeze(requirements.map((r) => Object.freeze({ ...r })));
  }

  static everything(): FieldSelector {
    return FieldSelector.EVERYTHING;
  }

  /** Requirements are kept in the given order. */
  static fromRequirements(requirements: readonly FieldRequirement[]): FieldSelector {
    return requirements.length === 0 ? FieldSelector.EVERYTHING : new FieldSelector(requirements);
  }

  /** `get` returns a field's value; a missing field compares as "", as fields.Set.Get does. */
  matches(get: (field: string) => string | undefined): boolean {
    const requirements = this.requirements;
    for (let i = 0; i < requirements.length; i++) {
      const r = requirements[i] as FieldRequirement;
      const actual = get(r.field) ?? '';
      if ((actual === r.value) !== (r.operator === 'Equals')) return false;
    }
    return true;
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** Kubernetes' form: `field=value` (for `=` and `==`) or `field!=value`, values escaped. */
  toString(): string {
    return this.requirements
      .map((r) => `${r.field}${r.operator === 'Equals' ? '=' : '!='}${escapeFieldValue(r.value)}`)
      .join(',');
  }

  /**
   * RequiresExactMatch: the value of the first `=`/`==` requirement on
   * `field`, so that `metadata.name=x` can become a direct lookup. Other
   * requirements may still exclude it; re-check with matches().
   */
  exactValue(field: string): string | undefined {
    for (const r of this.requirements) {
      if (r.field === field && r.operator === 'Equals') return r.value;
    }
    return undefined;
  }
}

/**
 * fields.ParseSelector followed by the field label check of the API server's
 * list handler. Terms come out sorted by their source text, as Kubernetes
 * sorts them; empty terms are skipped, and so the empty string matches
 * everything. Every term must be well formed before any field is checked
 * against `supportedFields`.
 */
export function parseFieldSelector(text: string, supportedFields: readonly string[]): FieldSelector {
  const parts = splitTerms(text).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (term === undefined) throw new BadRequestError(`invalid selector: '${text}'; can't understand '${part}'`);
    const value = unescapeFieldValue(term.rhs);
    requirements.push({ field: term.field, operator: term.op === '!=' ? 'NotEquals' : 'Equals', value });
  }
  const kept: FieldRequirement[] = [];
  for (const r of requirements) {
    if (!supportedFields.includes(r.field)) throw new BadRequestError(`field label not supported: ${r.field}`);
    // Kubernetes turns a term with neither field nor value into "everything".
    if (r.field !== '' || r.value !== '') kept.push(r);
  }
  return FieldSelector.fromRequirements(kept);
}
