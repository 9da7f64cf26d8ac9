import { BadRequestError } from '../errors.js';
import { formatValue } from '../validation/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../validation/identifiers.js';

// One requirement of a label selector, as k8s.io/apimachinery/pkg/labels
// defines it: a key, an operator and a set of values. The operator names keep
// the distinctions Kubernetes keeps (`=` and `==` are both kept so that
// toString() prints back what was asked), and include `>` and `<`, which the
// Kubernetes parser accepts although they are rarely used.

/**
 * Selector operators. `Equals` is `=`, `DoubleEquals` is `==`, `NotEquals` is `!=`,
 * `In`/`NotIn` are the set forms, `Exists` is a bare key, `DoesNotExist` is `!key`,
 * `GreaterThan`/`LessThan` are `key>N`/`key<N` (integer comparison).
 */
export type SelectorOperator =
  | 'Equals'
  | 'DoubleEquals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'GreaterThan'
  | 'LessThan';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Empty for Exists/DoesNotExist; one value for the equality and comparison forms. */
  readonly values: readonly string[];
}

/** Renders a field path as field.Path does; Kubernetes' parser uses a nil path, printed `<nil>`. */
export function pathString(path: string | undefined): string {
  return path === undefined ? '<nil>' : path;
}

function child(path: string | undefined, name: string): string {
  return path === undefined || path === '' ? name : `${path}.${name}`;
}

function invalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${formatValue(value)}: ${detail}`;
}

/** Go's `%#v` of a []string, the way field errors print a values list. */
function formatStringSlice(values: readonly string[]): string {
  if (values.length === 0) return '[]string(nil)';
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** validateLabelKey: the key problems joined with "; ", as one field error. */
export function labelKeyProblem(key: string, path: string | undefined): string | undefined {
  const problems = isQualifiedName(key);
  return problems.length === 0 ? undefined : invalid(pathString(path), key, problems.join('; '));
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * strconv.ParseInt(s, 10, 64). Short inputs become exact numbers (no
 * allocation); longer ones a bigint. JavaScript compares number and bigint
 * exactly, so callers can mix them.
 */
export function parseInt64(s: string): number | bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const digits = s.charCodeAt(0) === 43 /* + */ || s.charCodeAt(0) === 45 /* - */ ? s.length - 1 : s.length;
  if (digits <= 15) return Number(s);
  const n = BigInt(s);
  return n > INT64_MAX || n < INT64_MIN ? undefined : n;
}

/**
 * The checks of labels.NewRequirement, in its order, as field-error messages.
 * `path` prefixes the field names (`key`, `values[0][key]`, …); undefined is
 * Kubernetes' nil path.
 */
export function requirementProblems(
  key: string,
  operator: SelectorOperator,
  values: readonly string[],
  path?: string,
): string[] {
  const problems: string[] = [];
  const keyProblem = labelKeyProblem(key, child(path, 'key'));
  if (keyProblem !== undefined) problems.push(keyProblem);

  const valuePath = child(path, 'values');
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        problems.push(`${valuePath}: Invalid value: ${formatStringSlice(values)}: for 'in', 'notin' operators, values set can't be empty`);
      }
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) {
        problems.push(`${valuePath}: Invalid value: ${formatStringSlice(values)}: exact-match compatibility requires one single value`);
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) {
        problems.push(`${valuePath}: Invalid value: ${formatStringSlice(values)}: values set must be empty for exists and does not exist`);
      }
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) {
        problems.push(`${valuePath}: Invalid value: ${formatStringSlice(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          problems.push(invalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }

  values.forEach((v, i) => {
    const valueProblems = isValidLabelValue(v);
    if (valueProblems.length > 0) problems.push(invalid(`${valuePath}[${i}][${key}]`, v, valueProblems.join('; ')));
  });
  return problems;
}

/** utilerrors.Aggregate's message: one error as is, several deduplicated inside `[…]`. */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** labels.NewRequirement: a validated requirement, or BadRequestError naming every problem. */
export function newLabelRequirement(
  key: string,
  operator: SelectorOperator,
  values: readonly string[],
  path?: string,
): LabelRequirement {
  const problems = requirementProblems(key, operator, values, path);
  if (problems.length > 0) throw new BadRequestError(aggregateMessage(problems));
  return Object.freeze({ key, operator, values: Object.freeze([...values]) });
}

const OPERATOR_TEXT: Readonly<Record<SelectorOperator, string>> = {
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  In: ' in ',
  NotIn: ' notin ',
  Exists: '',
  DoesNotExist: '',
  GreaterThan: '>',
  LessThan: '<',
};

function sortedValues(values: readonly string[]): readonly string[] {
  for (let i = 1; i < values.length; i++) {
    if ((values[i - 1] ?? '') > (values[i] ?? '')) return [...values].sort();
  }
  return values;
}

/** Requirement.String(): values sorted, `!key` and bare `key` for the unary forms. */
export function requirementToString(r: LabelRequirement): string {
  if (r.operator === 'DoesNotExist') return `!${r.key}`;
  if (r.operator === 'Exists') return r.key;
  const values = sortedValues(r.values).join(',');
  const op = OPERATOR_TEXT[r.operator];
  return r.operator === 'In' || r.operator === 'NotIn' ? `${r.key}${op}(${values})` : `${r.key}${op}${values}`;
}

// Above this many values a Set beats a linear scan; most selectors have one value.
const SET_THRESHOLD = 8;

const Op = { In: 0, NotIn: 1, Exists: 2, DoesNotExist: 3, GreaterThan: 4, LessThan: 5 } as const;
type Op = (typeof Op)[keyof typeof Op];

function opcode(operator: SelectorOperator): Op {
  switch (operator) {
    case 'Equals':
    case 'DoubleEquals':
    case 'In':
      return Op.In;
    case 'NotEquals':
    case 'NotIn':
      return Op.NotIn;
    case 'Exists':
      return Op.Exists;
    case 'DoesNotExist':
      return Op.DoesNotExist;
    case 'GreaterThan':
      return Op.GreaterThan;
    case 'LessThan':
      return Op.LessThan;
  }
}

/**
 * A requirement prepared for matching: everything that can be decided once
 * (operator class, value set, the integer bound) is decided here, so that
 * matches() allocates nothing.
 */
export class CompiledRequirement {
  private readonly key: string;
  private readonly op: Op;
  private readonly values: readonly string[];
  private readonly valueSet: ReadonlySet<string> | undefined;
  private readonly bound: number | bigint | undefined;

  constructor(r: LabelRequirement) {
    this.key = r.key;
    this.op = opcode(r.operator);
    this.values = r.values;
    this.valueSet = r.values.length > SET_THRESHOLD ? new Set(r.values) : undefined;
    this.bound = this.op === Op.GreaterThan || this.op === Op.LessThan ? parseInt64(r.values[0] ?? '') : undefined;
  }

  private hasValue(value: string): boolean {
    if (this.valueSet !== undefined) return this.valueSet.has(value);
    const values = this.values;
    for (let i = 0; i < values.length; i++) if (values[i] === value) return true;
    return false;
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    // hasOwn, not `in` or a truthiness test: a key such as "constructor" is a
    // valid label key and must not find Object.prototype's member.
    const present = labels !== undefined && Object.hasOwn(labels, this.key);
    switch (this.op) {
      case Op.In:
        return present && this.hasValue(labels[this.key] as string);
      case Op.NotIn:
        return !present || !this.hasValue(labels[this.key] as string);
      case Op.Exists:
        return present;
      case Op.DoesNotExist:
        return !present;
      case Op.GreaterThan:
      case Op.LessThan: {
        if (!present || this.bound === undefined) return false;
        const actual = parseInt64(labels[this.key] as string);
        if (actual === undefined) return false;
        return this.op === Op.GreaterThan ? actual > this.bound : actual < this.bound;
      }
    }
  }
}
