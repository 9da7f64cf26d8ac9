import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandVariables } from '../../../../../clients/agent/node/runtime/variable-expansion.js';

const vars: Record<string, string> = { NAME: 'web', EMPTY: '' };
const lookup = (name: string) => vars[name];

describe('expandVariables ($(VAR) as Kubernetes expands it)', () => {
  const cases: Array<[string, string]> = [
    ['$(NAME)', 'web'],
    ['hello-$(NAME)-x', 'hello-web-x'],
    ['$(UNDEFINED)', '$(UNDEFINED)'],
    ['$$(NAME)', '$(NAME)'],
    ['$$$(NAME)', '$web'],
    ['$(EMPTY)x', 'x'],
    ['$NAME', '$NAME'],
    ['cost: 5$', 'cost: 5$'],
    ['$(NAME', '$(NAME'],
    ['$()', '$()'],
    ['$(NAME)$(NAME)', 'webweb'],
  ];
  for (const [input, want] of cases) {
    it(`expands ${JSON.stringify(input)} to ${JSON.stringify(want)}`, () => assert.equal(expandVariables(input, lookup), want));
  }
});
