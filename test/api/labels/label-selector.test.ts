import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../api/errors.js';
import {
  LabelSelector,
  newLabelRequirement,
  parseLabelSelector,
  selectorFromLabelSelectorObject,
  selectorFromSet,
} from '../../../api/labels/label-selector.js';

type Labels = Record<string, string> | undefined;

interface ValidCase {
  selector: string;
  canonical: string;
  matches: Labels[];
  rejects: Labels[];
}

const valid: ValidCase[] = [
  { selector: '', canonical: '', matches: [undefined, {}, { a: 'b' }], rejects: [] },
  { selector: '   \t\n ', canonical: '', matches: [undefined, { a: 'b' }], rejects: [] },
  { selector: 'a=b', canonical: 'a=b', matches: [{ a: 'b' }, { a: 'b', c: 'd' }], rejects: [undefined, {}, { a: 'c' }, { b: 'b' }] },
  { selector: 'a==b', canonical: 'a==b', matches: [{ a: 'b' }], rejects: [{ a: 'B' }, {}] },
  { selector: 'a!=b', canonical: 'a!=b', matches: [undefined, {}, { a: 'c' }, { a: '' }], rejects: [{ a: 'b' }] },
  { selector: 'a', canonical: 'a', matches: [{ a: '' }, { a: 'x' }], rejects: [undefined, {}, { b: 'a' }] },
  { selector: '!a', canonical: '!a', matches: [undefined, {}, { b: 'a' }], rejects: [{ a: '' }, { a: 'x' }] },
  { selector: 'a in (x,y)', canonical: 'a in (x,y)', matches: [{ a: 'x' }, { a: 'y' }], rejects: [{}, { a: 'z' }, { a: '' }] },
  { selector: 'a in (y,x,y)', canonical: 'a in (x,y)', matches: [{ a: 'x' }], rejects: [{ a: 'xy' }] },
  { selector: 'a notin (x)', canonical: 'a notin (x)', matches: [undefined, {}, { a: 'y' }], rejects: [{ a: 'x' }] },
  { selector: 'a notin (b,a)', canonical: 'a notin (a,b)', matches: [{ a: 'c' }], rejects: [{ a: 'a' }, { a: 'b' }] },
  { selector: 'a=', canonical: 'a=', matches: [{ a: '' }], rejects: [{}, { a: 'x' }] },
  { selector: 'a==', canonical: 'a==', matches: [{ a: '' }], rejects: [{}] },
  { selector: 'a!=', canonical: 'a!=', matches: [{}, { a: 'x' }], rejects: [{ a: '' }] },
  { selector: 'a=,b', canonical: 'a=,b', matches: [{ a: '', b: '1' }], rejects: [{ a: '' }, { b: '1' }] },
  { selector: 'a in ()', canonical: 'a in ()', matches: [{ a: '' }], rejects: [{}, { a: 'x' }] },
  { selector: 'a in (,)', canonical: 'a in ()', matches: [{ a: '' }], rejects: [{ a: 'x' }] },
  { selector: 'a in (,x)', canonical: 'a in (,x)', matches: [{ a: '' }, { a: 'x' }], rejects: [{}, { a: 'y' }] },
  { selector: 'a in (x,)', canonical: 'a in (,x)', matches: [{ a: '' }, { a: 'x' }], rejects: [{ a: 'y' }] },
  { selector: 'a in (x,,y)', canonical: 'a in (,x,y)', matches: [{ a: '' }, { a: 'y' }], rejects: [{ a: 'z' }] },
  { selector: 'a notin ()', canonical: 'a notin ()', matches: [{}, { a: 'x' }], rejects: [{ a: '' }] },
  {
    selector: 'x in (foo,,baz),y,z notin ()',
    canonical: 'x in (,baz,foo),y,z notin ()',
    matches: [{ x: 'foo', y: '' }, { x: '', y: 'q', z: 'r' }],
    rejects: [{ x: 'foo' }, { x: 'bar', y: '' }, { x: 'foo', y: '', z: '' }],
  },
  { selector: 'b=2,a=1', canonical: 'a=1,b=2', matches: [{ a: '1', b: '2' }], rejects: [{ a: '1' }, { a: '1', b: '3' }] },
  { selector: '  a  =  b  ,  c  ', canonical: 'a=b,c', matches: [{ a: 'b', c: '' }], rejects: [{ a: 'b' }] },
  { selector: 'a\t!=\tb', canonical: 'a!=b', matches: [{ a: 'c' }], rejects: [{ a: 'b' }] },
  { selector: 'a in(x)', canonical: 'a in (x)', matches: [{ a: 'x' }], rejects: [{ a: 'y' }] },
  { selector: 'a=b,a!=c', canonical: 'a=b,a!=c', matches: [{ a: 'b' }], rejects: [{ a: 'c' }, {}] },
  { selector: 'a=b,a=c', canonical: 'a=b,a=c', matches: [], rejects: [{ a: 'b' }, { a: 'c' }] },
  { selector: 'in in (in)', canonical: 'in in (in)', matches: [{ in: 'in' }], rejects: [{ in: 'notin' }] },
  { selector: 'notin notin (notin,in)', canonical: 'notin notin (in,notin)', matches: [{ notin: 'x' }, {}], rejects: [{ notin: 'in' }] },
  { selector: 'a=in', canonical: 'a=in', matches: [{ a: 'in' }], rejects: [{ a: 'notin' }] },
  {
    selector: 'app.kubernetes.io/name=web',
    canonical: 'app.kubernetes.io/name=web',
    matches: [{ 'app.kubernetes.io/name': 'web' }],
    rejects: [{ name: 'web' }],
  },
  { selector: 'Key_1.x=Val-1.y_z', canonical: 'Key_1.x=Val-1.y_z', matches: [{ 'Key_1.x': 'Val-1.y_z' }], rejects: [{ 'key_1.x': 'Val-1.y_z' }] },
  { selector: 'a>5', canonical: 'a>5', matches: [{ a: '6' }, { a: '+10' }], rejects: [{}, { a: '5' }, { a: 'x' }, { a: '-7' }] },
  { selector: 'a<5', canonical: 'a<5', matches: [{ a: '4' }, { a: '-9223372036854775808' }], rejects: [{}, { a: '5' }, { a: '9223372036854775808' }] },
  {
    selector: 'a>9007199254740993',
    canonical: 'a>9007199254740993',
    matches: [{ a: '9007199254740994' }],
    rejects: [{ a: '9007199254740993' }, { a: '9007199254740992' }],
  },
  { selector: 'constructor', canonical: 'constructor', matches: [{ constructor: 'x' }], rejects: [{}, undefined] },
  { selector: '!toString', canonical: '!toString', matches: [{}], rejects: [{ toString: '' }] },
  { selector: 'hasOwnProperty=x', canonical: 'hasOwnProperty=x', matches: [{ hasOwnProperty: 'x' }], rejects: [{}] },
  {
    selector: 'a in (v0,v1,v2,v3,v4,v5,v6,v7,v8,v9)',
    canonical: 'a in (v0,v1,v2,v3,v4,v5,v6,v7,v8,v9)',
    matches: [{ a: 'v0' }, { a: 'v9' }],
    rejects: [{ a: 'v10' }, {}],
  },
  {
    selector: 'a notin (v0,v1,v2,v3,v4,v5,v6,v7,v8,v9)',
    canonical: 'a notin (v0,v1,v2,v3,v4,v5,v6,v7,v8,v9)',
    matches: [{ a: 'v10' }, {}],
    rejects: [{ a: 'v5' }],
  },
  {
    selector: 'env in (prod,staging),tier!=frontend,!legacy,team',
    canonical: 'env in (prod,staging),!legacy,team,tier!=frontend',
    matches: [{ env: 'prod', team: 'a' }, { env: 'staging', team: 'b', tier: 'backend' }],
    rejects: [{ env: 'prod', team: 'a', tier: 'frontend' }, { env: 'prod', team: 'a', legacy: '' }, { env: 'dev', team: 'a' }, { env: 'prod' }],
  },
];

interface InvalidCase {
  selector: string;
  /** The whole message, where it is worth pinning down. */
  message?: string;
  /** Text the message must contain otherwise (the offending token or key). */
  mentions?: string[];
}

const keyRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const invalid: InvalidCase[] = [
  { selector: '-bad', message: `unable to parse requirement: <nil>: Invalid value: "-bad": ${keyRule}` },
  { selector: 'a=-x', message: `unable to parse requirement: values[0][a]: Invalid value: "-x": ${valueRule}` },
  { selector: 'a in (ok,-no)', message: `unable to parse requirement: values[0][a]: Invalid value: "-no": ${valueRule}` },
  { selector: '!(', message: "unable to parse requirement: found '(', expected: identifier" },
  { selector: 'a=(b)', message: "unable to parse requirement: found '(', expected: identifier" },
  { selector: 'a in (b c)', message: "unable to parse requirement: found 'c', expected: ',' or ')'" },
  { selector: 'a b', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
  { selector: 'a!', message: "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt" },
  { selector: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
  { selector: 'a in', message: "unable to parse requirement: found '' expected: '('" },
  { selector: 'a in (', message: "unable to parse requirement: found '', expected: ',', ')' or identifier" },
  { selector: 'a in (=)', message: "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
  { selector: 'a in (b,', message: "unable to parse requirement: found '', expected: ',', or identifier" },
  { selector: 'a in (b', message: "unable to parse requirement: found '', expected: ',' or ')'" },
  { selector: '(a)', message: "found '(', expected: !, identifier, or 'end of string'" },
  { selector: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
  { selector: '=b', message: "found '=', expected: !, identifier, or 'end of string'" },
  { selector: 'a,', message: "found '', expected: identifier after ','" },
  { selector: 'a,,b', message: "found ',', expected: identifier after ','" },
  { selector: 'a=b c', message: "found 'c', expected: ',' or 'end of string'" },
  { selector: 'a=b=c', message: "found '=', expected: ',' or 'end of string'" },
  { selector: '!a=b', message: "found '=', expected: ',' or 'end of string'" },
  { selector: 'a in (x) y', message: "found 'y', expected: ',' or 'end of string'" },
  { selector: 'a>x', message: `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer` },
  { selector: 'a<', mentions: ['values[0]: Invalid value: ""', 'must be an integer'] },
  { selector: 'a>99999999999999999999', mentions: ['"99999999999999999999"', 'must be an integer'] },
  { selector: 'a/b/c', mentions: ['<nil>: Invalid value: "a/b/c"', 'a qualified name must consist of'] },
  { selector: '/a', mentions: ['"/a"', 'prefix part must be non-empty'] },
  { selector: 'Example.com/a', mentions: ['"Example.com/a"', 'prefix part a lowercase RFC 1123 subdomain'] },
  { selector: `${'k'.repeat(64)}=v`, mentions: [`"${'k'.repeat(64)}"`, 'name part must be no more than 63 characters'] },
  { selector: `k=${'v'.repeat(64)}`, mentions: [`values[0][k]: Invalid value: "${'v'.repeat(64)}"`, 'must be no more than 63 characters'] },
  { selector: 'a=b;c', mentions: ['"b;c"', 'a valid label must be'] },
  { selector: 'a b=c', mentions: ["found 'b'"] },
  { selector: 'a\u0000=b', mentions: ['<nil>: Invalid value: "a\\u0000"'] },
];

describe('parseLabelSelector: valid selectors', () => {
  for (const c of valid) {
    it(`parses ${JSON.stringify(c.selector)} to ${JSON.stringify(c.canonical)} and matches as Kubernetes does`, () => {
      const selector = parseLabelSelector(c.selector);
      assert.equal(selector.toString(), c.canonical);
      for (const labels of c.matches) assert.equal(selector.matches(labels), true, `should match ${JSON.stringify(labels)}`);
      for (const labels of c.rejects) assert.equal(selector.matches(labels), false, `should not match ${JSON.stringify(labels)}`);
    });
  }

  it('gives a canonical string that parses back to the same selector', () => {
    for (const c of valid) {
      assert.equal(parseLabelSelector(parseLabelSelector(c.selector).toString()).toString(), c.canonical);
    }
  });

  it('sorts requirements by key and keeps the operator spelled as written', () => {
    const selector = parseLabelSelector('z==1,a notin (q),m');
    assert.deepEqual(
      selector.requirements.map((r) => [r.key, r.operator, [...r.values]]),
      [
        ['a', 'NotIn', ['q']],
        ['m', 'Exists', []],
        ['z', 'DoubleEquals', ['1']],
      ],
    );
  });

  it('reports empty only for selectors that restrict nothing', () => {
    assert.equal(parseLabelSelector('').isEmpty(), true);
    assert.equal(parseLabelSelector(' ').isEmpty(), true);
    assert.equal(parseLabelSelector('a').isEmpty(), false);
    assert.equal(parseLabelSelector('!a').isEmpty(), false);
  });
});

describe('parseLabelSelector: invalid selectors', () => {
  for (const c of invalid) {
    it(`rejects ${JSON.stringify(c.selector)} with a BadRequest naming the problem`, () => {
      assert.throws(
        () => parseLabelSelector(c.selector),
        (err: unknown) => {
          assert.ok(err instanceof BadRequestError, `expected BadRequestError, got ${String(err)}`);
          assert.equal(err.code, 400);
          if (c.message !== undefined) assert.equal(err.message, c.message);
          for (const m of c.mentions ?? []) assert.ok(err.message.includes(m), `${JSON.stringify(err.message)} should mention ${JSON.stringify(m)}`);
          return true;
        },
      );
    });
  }

  it('joins several problems in one requirement the way an error aggregate does', () => {
    assert.throws(() => parseLabelSelector('a>-x'), {
      message: `unable to parse requirement: [values[0]: Invalid value: "-x": for 'Gt', 'Lt' operators, the value must be an integer, values[0][a]: Invalid value: "-x": ${valueRule}]`,
    });
  });
});

describe('LabelSelector.indexTerms', () => {
  const cases: Array<{ selector: string; terms: Array<{ key: string; values?: string[] }> }> = [
    { selector: '', terms: [] },
    { selector: 'a=b', terms: [{ key: 'a', values: ['b'] }] },
    { selector: 'a==b', terms: [{ key: 'a', values: ['b'] }] },
    { selector: 'a in (y,x)', terms: [{ key: 'a', values: ['x', 'y'] }] },
    { selector: 'a', terms: [{ key: 'a' }] },
    { selector: 'a!=b', terms: [] },
    { selector: 'a notin (b)', terms: [] },
    { selector: '!a', terms: [] },
    { selector: 'a>1', terms: [{ key: 'a' }] },
    {
      selector: 'tier!=db,env in (prod),!old,app=web,team,zone notin (z1)',
      terms: [{ key: 'app', values: ['web'] }, { key: 'env', values: ['prod'] }, { key: 'team' }],
    },
  ];
  for (const c of cases) {
    it(`returns only the positive terms of ${JSON.stringify(c.selector)}`, () => {
      assert.deepEqual(parseLabelSelector(c.selector).indexTerms(), c.terms);
    });
  }

  it('hands out copies, so a caller cannot change the selector', () => {
    const selector = parseLabelSelector('a=b');
    const [term] = selector.indexTerms();
    term?.values?.push('c');
    assert.equal(selector.matches({ a: 'c' }), false);
    assert.deepEqual(selector.indexTerms(), [{ key: 'a', values: ['b'] }]);
  });
});

describe('LabelSelector.requiresExactMatch', () => {
  it('gives the one value an equality or one-value in requires', () => {
    assert.equal(parseLabelSelector('a=b,c').requiresExactMatch('a'), 'b');
    assert.equal(parseLabelSelector('a in (b)').requiresExactMatch('a'), 'b');
    assert.equal(parseLabelSelector('a in (b,c)').requiresExactMatch('a'), undefined);
    assert.equal(parseLabelSelector('a!=b').requiresExactMatch('a'), undefined);
    assert.equal(parseLabelSelector('a=b').requiresExactMatch('c'), undefined);
  });
});

describe('selectorFromSet', () => {
  it('requires every entry with =, printed in key order', () => {
    const selector = selectorFromSet({ tier: 'web', app: 'shop' });
    assert.equal(selector.toString(), 'app=shop,tier=web');
    assert.equal(selector.matches({ app: 'shop', tier: 'web', extra: 'x' }), true);
    assert.equal(selector.matches({ app: 'shop' }), false);
    assert.equal(selector.matches({ app: 'shop', tier: 'db' }), false);
    assert.deepEqual(selector.indexTerms(), [{ key: 'app', values: ['shop'] }, { key: 'tier', values: ['web'] }]);
  });

  it('selects everything for an empty set', () => {
    const selector = selectorFromSet({});
    assert.equal(selector.isEmpty(), true);
    assert.equal(selector.matches(undefined), true);
    assert.equal(selector.matches({ a: 'b' }), true);
  });

  it('matches an empty value only against a present, empty label', () => {
    const selector = selectorFromSet({ a: '' });
    assert.equal(selector.matches({ a: '' }), true);
    assert.equal(selector.matches({}), false);
  });
});

describe('selectorFromLabelSelectorObject', () => {
  it('combines matchLabels and matchExpressions', () => {
    const selector = selectorFromLabelSelectorObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'canary'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['z9'] },
        { key: 'team', operator: 'Exists' },
      ],
    });
    assert.equal(selector.toString(), 'app=web,env in (canary,prod),!legacy,team,zone notin (z9)');
    assert.equal(selector.matches({ app: 'web', env: 'canary', team: 'x' }), true);
    assert.equal(selector.matches({ app: 'web', env: 'canary', team: 'x', zone: 'z9' }), false);
    assert.equal(selector.matches({ app: 'web', env: 'dev', team: 'x' }), false);
  });

  it('selects everything for an object without terms and nothing for null', () => {
    assert.equal(selectorFromLabelSelectorObject({}).matches({ a: 'b' }), true);
    assert.equal(selectorFromLabelSelectorObject({ matchLabels: {}, matchExpressions: [] }).isEmpty(), true);
    const nothing = selectorFromLabelSelectorObject(null);
    assert.equal(nothing.matches({}), false);
    assert.equal(nothing.matches(undefined), false);
    assert.equal(nothing.isEmpty(), false);
    assert.equal(nothing.selectsNothing(), true);
    assert.equal(selectorFromLabelSelectorObject(undefined).selectsNothing(), true);
  });

  it('rejects an In expression without values', () => {
    assert.throws(() => selectorFromLabelSelectorObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
      name: 'BadRequestError',
      message: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    });
  });

  it('rejects an Exists expression with values', () => {
    assert.throws(() => selectorFromLabelSelectorObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), {
      name: 'BadRequestError',
      message: 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    });
  });

  it('rejects an unknown operator', () => {
    const expr = { key: 'a', operator: 'Gt' } as unknown as { key: string; operator: 'In' };
    assert.throws(() => selectorFromLabelSelectorObject({ matchExpressions: [expr] }), {
      name: 'BadRequestError',
      message: '"Gt" is not a valid label selector operator',
    });
  });

  it('rejects an invalid matchLabels key and value', () => {
    assert.throws(() => selectorFromLabelSelectorObject({ matchLabels: { '-a': 'b' } }), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.ok(err.message.startsWith('key: Invalid value: "-a": name part must consist'), err.message);
      return true;
    });
    assert.throws(() => selectorFromLabelSelectorObject({ matchLabels: { a: 'b c' } }), {
      message: `values[0][a]: Invalid value: "b c": ${valueRule}`,
    });
  });
});

describe('LabelSelector.fromRequirements', () => {
  it('builds a selector from validated requirements', () => {
    const selector = LabelSelector.fromRequirements([newLabelRequirement('b', 'NotEquals', ['x']), newLabelRequirement('a', 'Exists', [])]);
    assert.equal(selector.toString(), 'a,b!=x');
    assert.equal(selector.matches({ a: '1' }), true);
    assert.equal(selector.matches({ a: '1', b: 'x' }), false);
  });

  it('refuses an invalid requirement with the path it was given', () => {
    assert.throws(() => newLabelRequirement('a', 'Equals', ['x', 'y'], 'spec.selector'), {
      message: 'spec.selector.values: Invalid value: []string{"x", "y"}: exact-match compatibility requires one single value',
    });
  });
});
