import { BadRequestError } from '../errors.js';
import {
  type LabelRequirement,
  type SelectorOperator,
  aggregateMessage,
  labelKeyProblem,
  requirementProblems,
} from './label-requirement.js';
import { type ScannedItem, Token, scanSelector } from './selector-lexer.js';

// The recursive-descent parser of labels.Parse, with its error messages:
//
//   <selector-syntax>         ::= <requirement> | <requirement> "," <selector-syntax>
//   <requirement>             ::= [!] KEY [ <set-based-restriction> | <exact-match-restriction> ]
//   <set-based-restriction>   ::= "" | <inclusion-exclusion> <value-set>
//   <inclusion-exclusion>     ::= "in" | "notin"
//   <value-set>               ::= "(" <values> ")"
//   <values>                  ::= VALUE | VALUE "," <values>
//   <exact-match-restriction> ::= ["=" | "==" | "!=" | ">" | "<"] VALUE
//
// `in` and `notin` are keywords only where an operator is expected; as keys
// and values they are ordinary identifiers (`in in (notin)` is valid).

/** Where the parser is: only in operator position are `in`/`notin` keywords. */
const Context = { KeyAndOperator: 0, Values: 1 } as const;
type Context = (typeof Context)[keyof typeof Context];

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/** A failure inside one requirement; parse() prefixes "unable to parse requirement: ". */
class RequirementError extends Error {}

class Parser {
  private position = 0;

  constructor(private readonly items: readonly ScannedItem[]) {}

  private item(context: Context, advance: boolean): ScannedItem {
    // The list always ends with EndOfString and parsing stops there, so
    // clamping only guards against reading past it.
    const index = Math.min(this.position, this.items.length - 1);
    if (advance) this.position++;
    const item = this.items[index] as ScannedItem;
    if (context === Context.Values && (item.token === Token.In || item.token === Token.NotIn)) {
      return { token: Token.Identifier, literal: item.literal };
    }
    return item;
  }

  private lookahead(context: Context): ScannedItem {
    return this.item(context, false);
  }

  private consume(context: Context): ScannedItem {
    return this.item(context, true);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { token, literal } = this.lookahead(Context.Values);
      switch (token) {
        case Token.Identifier:
        case Token.DoesNotExist: {
          requirements.push(this.parseRequirement());
          const next = this.consume(Context.Values);
          if (next.token === Token.EndOfString) return requirements;
          if (next.token !== Token.Comma) {
            throw new BadRequestError(`found '${next.literal}', expected: ',' or 'end of string'`);
          }
          const after = this.lookahead(Context.Values);
          if (after.token !== Token.Identifier && after.token !== Token.DoesNotExist) {
            throw new BadRequestError(`found '${after.literal}', expected: identifier after ','`);
          }
          break;
        }
        case Token.EndOfString:
          return requirements;
        default:
          throw new BadRequestError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    try {
      const { key, operator: inferred } = this.parseKeyAndInferOperator();
      let operator: SelectorOperator;
      let values: string[];
      if (inferred !== undefined) {
        operator = inferred;
        values = [];
      } else {
        operator = this.parseOperator();
        values = operator === 'In' || operator === 'NotIn' ? this.parseValues() : this.parseExactValue();
      }
      const problems = requirementProblems(key, operator, values);
      if (problems.length > 0) throw new RequirementError(aggregateMessage(problems));
      return Object.freeze({ key, operator, values: Object.freeze(values) });
    } catch (err) {
      if (err instanceof RequirementError) throw new BadRequestError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  /**
   * A bare key followed by `,` or the end is Exists; `!key` is DoesNotExist
   * whatever follows (so `!a=b` fails afterwards, on the `=`).
   */
  private parseKeyAndInferOperator(): { key: string; operator: SelectorOperator | undefined } {
    let operator: SelectorOperator | undefined;
    let item = this.consume(Context.Values);
    if (item.token === Token.DoesNotExist) {
      operator = 'DoesNotExist';
      item = this.consume(Context.Values);
    }
    if (item.token !== Token.Identifier) {
      throw new RequirementError(`found '${item.literal}', expected: identifier`);
    }
    const keyProblem = labelKeyProblem(item.literal, undefined);
    if (keyProblem !== undefined) throw new RequirementError(keyProblem);
    const next = this.lookahead(Context.Values).token;
    if ((next === Token.EndOfString || next === Token.Comma) && operator === undefined) operator = 'Exists';
    return { key: item.literal, operator };
  }

  private parseOperator(): SelectorOperator {
    const { token, literal } = this.consume(Context.KeyAndOperator);
    switch (token) {
      case Token.In:
        return 'In';
      case Token.NotIn:
        return 'NotIn';
      case Token.Equals:
        return 'Equals';
      case Token.DoubleEquals:
        return 'DoubleEquals';
      case Token.NotEquals:
        return 'NotEquals';
      case Token.GreaterThan:
        return 'GreaterThan';
      case Token.LessThan:
        return 'LessThan';
      default:
        throw new RequirementError(`found '${literal}', expected: ${BINARY_OPERATORS}`);
    }
  }

  /** `(x,y)`; empty entries are the empty value, so `()` and `(,x)` contain "". */
  private parseValues(): string[] {
    const open = this.consume(Context.Values);
    if (open.token !== Token.OpenPar) {
      // Kubernetes' wording, without the comma its other messages have.
      throw new RequirementError(`found '${open.literal}' expected: '('`);
    }
    const { token, literal } = this.lookahead(Context.Values);
    switch (token) {
      case Token.Identifier:
      case Token.Comma: {
        const values = this.parseIdentifiersList();
        this.consume(Context.Values); // the ')' that parseIdentifiersList stopped at
        return values;
      }
      case Token.ClosedPar:
        this.consume(Context.Values);
        return [''];
      default:
        throw new RequirementError(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  /** Returns the values as a sorted set, as sets.String.List() does. */
  private parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const { token, literal } = this.consume(Context.Values);
      if (token === Token.Identifier) {
        values.add(literal);
        const next = this.lookahead(Context.Values);
        if (next.token === Token.Comma) continue;
        if (next.token === Token.ClosedPar) return [...values].sort();
        throw new RequirementError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token === Token.Comma) {
        if (values.size === 0) values.add(''); // "(,"
        const next = this.lookahead(Context.Values).token;
        if (next === Token.ClosedPar) {
          values.add(''); // ",)"
          return [...values].sort();
        }
        if (next === Token.Comma) {
          this.consume(Context.Values);
          values.add(''); // ",,"
        }
        continue;
      }
      throw new RequirementError(`found '${literal}', expected: ',', or identifier`);
    }
  }

  /** The single value after `=`, `==`, `!=`, `>` or `<`; nothing before `,` or the end is "". */
  private parseExactValue(): string[] {
    const next = this.lookahead(Context.Values).token;
    if (next === Token.EndOfString || next === Token.Comma) return [''];
    const { token, literal } = this.consume(Context.Values);
    if (token === Token.Identifier) return [literal];
    throw new RequirementError(`found '${literal}', expected: identifier`);
  }
}

/**
 * Parses the Kubernetes label selector syntax into requirements in source
 * order; throws BadRequestError with Kubernetes' message on any error.
 */
export function parseRequirements(text: string): LabelRequirement[] {
  return new Parser(scanSelector(text)).parse();
}
