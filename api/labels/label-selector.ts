import { BadRequestError } from '../errors.js';
import {
  CompiledRequirement,
  type LabelRequirement,
  type SelectorOperator,
  newLabelRequirement,
  requirementToString,
} from './label-requirement.js';
import { parseRequirements } from './selector-parser.js';

export type { LabelRequirement, SelectorOperator } from './label-requirement.js';
export { newLabelRequirement } from './label-requirement.js';

/**
 * A term a label index can answer: objects carrying `key` (with one of
 * `values`, when given). Only requirements that an object must satisfy by
 * having a label are terms; the caller intersects the candidates and still
 * checks every one with matches().
 */
export interface LabelIndexTerm {
  key: string;
  values?: string[];
}

/** The metav1.LabelSelector form used in object specs. */
export interface LabelSelectorObject {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: ReadonlyArray<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: readonly string[] | null;
  }> | null;
}

function byKey(a: LabelRequirement, b: LabelRequirement): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * An AND of label requirements, kept sorted by key as Kubernetes keeps them,
 * so toString() is canonical. Parse once, then call matches() per object:
 * it allocates nothing.
 */
export class LabelSelector {
  private static readonly EVERYTHING = new LabelSelector([], false);
  private static readonly NOTHING = new LabelSelector([], true);

  readonly requirements: readonly LabelRequirement[];
  private readonly compiled: readonly CompiledRequirement[];
  private readonly nothing: boolean;

  private constructor(requirements: readonly LabelRequirement[], nothing: boolean) {
    this.requirements = Object.freeze([...requirements].sort(byKey));
    this.compiled = this.requirements.map((r) => new CompiledRequirement(r));
    this.nothing = nothing;
  }

  /** Matches every object (labels.Everything()). */
  static everything(): LabelSelector {
    return LabelSelector.EVERYTHING;
  }

  /** Matches no object (labels.Nothing()), what a nil metav1.LabelSelector means. */
  static nothing(): LabelSelector {
    return LabelSelector.NOTHING;
  }

  /** Requirements are taken as valid; build them with newLabelRequirement. */
  static fromRequirements(requirements: readonly LabelRequirement[]): LabelSelector {
    return requirements.length === 0 ? LabelSelector.EVERYTHING : new LabelSelector(requirements, false);
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    if (this.nothing) return false;
    const compiled = this.compiled;
    for (let i = 0; i < compiled.length; i++) {
      if (!(compiled[i] as CompiledRequirement).matches(labels)) return false;
    }
    return true;
  }

  /** True when the selector does not restrict anything (the nothing selector is not empty). */
  isEmpty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** True for the selector that matches no object; a list can skip its query. */
  selectsNothing(): boolean {
    return this.nothing;
  }

  /** The canonical Kubernetes form: requirements sorted by key, values sorted; "" for everything and nothing. */
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }

  /**
   * The positive requirements: `=`, `==` and `in` give the key and its values;
   * a bare key gives the key alone, and so do `>` and `<`, which hold only
   * when the label exists. `!=`, `notin` and `!key` give no term.
   */
  indexTerms(): LabelIndexTerm[] {
    const terms: LabelIndexTerm[] = [];
    for (const r of this.requirements) {
      switch (r.operator) {
        case 'Equals':
        case 'DoubleEquals':
        case 'In':
          terms.push({ key: r.key, values: [...new Set(r.values)] });
          break;
        case 'Exists':
        case 'GreaterThan':
        case 'LessThan':
          terms.push({ key: r.key });
          break;
        default:
          break;
      }
    }
    return terms;
  }

  /**
   * RequiresExactMatch: the one value `key` must have, when the first
   * requirement on `key` is `=`, `==` or a one-value `in`.
   */
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      if ((r.operator === 'Equals' || r.operator === 'DoubleEquals' || r.operator === 'In') && r.values.length === 1) {
        return r.values[0];
      }
      return undefined;
    }
    return undefined;
  }
}

/**
 * labels.Parse: the full Kubernetes syntax (`a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma as AND).
 * The empty string selects everything. Errors are BadRequestError with
 * Kubernetes' message.
 */
export function parseLabelSelector(text: string): LabelSelector {
  return LabelSelector.fromRequirements(parseRequirements(text));
}

/**
 * labels.SelectorFromSet: one `key=value` requirement per entry, unvalidated
 * (the set comes from an object that validation has already accepted). An
 * empty set gives the everything selector; a Service with an empty selector
 * means "no endpoints controller", which the caller has to decide before
 * asking for a selector.
 */
export function selectorFromSet(set: Readonly<Record<string, string>>): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const key of Object.keys(set)) {
    requirements.push(Object.freeze({ key, operator: 'Equals', values: Object.freeze([set[key] as string]) }));
  }
  return LabelSelector.fromRequirements(requirements);
}

const MATCH_EXPRESSION_OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * metav1.LabelSelectorAsSelector: null or undefined selects nothing; an object
 * with neither matchLabels nor matchExpressions selects everything; otherwise
 * matchLabels become `=` requirements and matchExpressions their operators.
 * Invalid keys, values or operators throw BadRequestError.
 */
export function selectorFromLabelSelectorObject(obj: LabelSelectorObject | null | undefined): LabelSelector {
  if (obj === null || obj === undefined) return LabelSelector.nothing();
  const matchLabels = obj.matchLabels ?? {};
  const matchExpressions = obj.matchExpressions ?? [];
  const requirements: LabelRequirement[] = [];
  // Sorted so that, of several bad entries, the same one is always reported.
  for (const key of Object.keys(matchLabels).sort()) {
    requirements.push(newLabelRequirement(key, 'Equals', [matchLabels[key] as string]));
  }
  for (const expr of matchExpressions) {
    const operator: string = expr.operator;
    if (!MATCH_EXPRESSION_OPERATORS.has(operator)) {
      throw new BadRequestError(`${JSON.stringify(operator)} is not a valid label selector operator`);
    }
    requirements.push(newLabelRequirement(expr.key, operator as SelectorOperator, expr.values ?? []));
  }
  return LabelSelector.fromRequirements(requirements);
}
