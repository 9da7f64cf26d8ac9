// The label selector lexer of k8s.io/apimachinery/pkg/labels, token for token,
// so that the parser built on it fails on the same inputs with the same words.
// Identifiers run until whitespace or one of the operator characters; operator
// characters are scanned greedily (`!=` before `!`, `==` before `=`).

// Plain constants rather than an enum, so the file stays erasable TypeScript.
export const Token = {
  EndOfString: 0,
  ClosedPar: 1,
  Comma: 2,
  DoesNotExist: 3,
  DoubleEquals: 4,
  Equals: 5,
  GreaterThan: 6,
  Identifier: 7,
  In: 8,
  LessThan: 9,
  NotEquals: 10,
  NotIn: 11,
  OpenPar: 12,
} as const;
export type Token = (typeof Token)[keyof typeof Token];

export interface ScannedItem {
  readonly token: Token;
  /** The source text; empty for the end of the string, which is how Kubernetes prints it (`found ''`). */
  readonly literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map([
  [')', Token.ClosedPar],
  [',', Token.Comma],
  ['!', Token.DoesNotExist],
  ['==', Token.DoubleEquals],
  ['=', Token.Equals],
  ['>', Token.GreaterThan],
  ['in', Token.In],
  ['<', Token.LessThan],
  ['!=', Token.NotEquals],
  ['notin', Token.NotIn],
  ['(', Token.OpenPar],
]);

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  switch (ch) {
    case '=':
    case '!':
    case '(':
    case ')':
    case ',':
    case '>':
    case '<':
      return true;
    default:
      return false;
  }
}

/**
 * Splits a selector into tokens, ending with one EndOfString item.
 * Unlike the Go lexer, a NUL character is an ordinary identifier character
 * (and so fails key/value validation) rather than a silent end of input.
 */
export function scanSelector(s: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s.charAt(pos))) pos++;
    if (pos >= s.length) {
      items.push({ token: Token.EndOfString, literal: '' });
      return items;
    }
    const start = pos;
    if (isSpecialSymbol(s.charAt(pos))) {
      // Every single operator character is a token, so the first one always
      // matches; keep extending while the longer text is still a token.
      let token = LITERAL_TOKENS.get(s.charAt(pos)) as Token;
      pos++;
      while (pos < s.length && isSpecialSymbol(s.charAt(pos))) {
        const longer = LITERAL_TOKENS.get(s.slice(start, pos + 1));
        if (longer === undefined) break;
        token = longer;
        pos++;
      }
      items.push({ token, literal: s.slice(start, pos) });
      continue;
    }
    while (pos < s.length && !isSpecialSymbol(s.charAt(pos)) && !isWhitespace(s.charAt(pos))) pos++;
    const literal = s.slice(start, pos);
    items.push({ token: LITERAL_TOKENS.get(literal) ?? Token.Identifier, literal });
  }
}
