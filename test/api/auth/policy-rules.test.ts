import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactRuleString, ruleAllows, uncoveredRules } from '../../../api/auth/policy-rules.js';
import { requestAttributes } from '../../../api/auth/request-attributes.js';
import type { PolicyRule } from '../../../api/schemas/rbac.js';

const user = { name: 'u', groups: [] };
const request = (method: string, url: string) => requestAttributes(user, method, url);

test('matches verbs, groups, resources, subresources, names and URLs with upstream semantics', () => {
  const cases: Array<[PolicyRule, string, string, boolean]> = [
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, 'GET', '/api/v1/namespaces/d/pods/p', true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, 'GET', '/api/v1/namespaces/d/pods', false],
    [{ verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, 'GET', '/api/v1/namespaces/d/pods/p', false],
    [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, 'DELETE', '/apis/discovery.k8s.io/v1/namespaces/d/endpointslices/e', true],
    [{ verbs: ['update'], apiGroups: [''], resources: ['pods'] }, 'PUT', '/api/v1/namespaces/d/pods/p/status', false],
    [{ verbs: ['update'], apiGroups: [''], resources: ['pods/status'] }, 'PUT', '/api/v1/namespaces/d/pods/p/status', true],
    [{ verbs: ['update'], apiGroups: [''], resources: ['*/status'] }, 'PUT', '/api/v1/nodes/n/status', true],
    [{ verbs: ['update'], apiGroups: [''], resources: ['pods/*'] }, 'PUT', '/api/v1/namespaces/d/pods/p/status', true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, 'GET', '/api/v1/namespaces/d/pods/a', true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, 'GET', '/api/v1/namespaces/d/pods/b', false],
    [{ verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, 'GET', '/api/v1/namespaces/d/pods?fieldSelector=metadata.name%3Da', true],
    [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }, 'GET', '/healthz', true],
    [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, 'GET', '/apis/apps/v1', true],
    [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, 'GET', '/api', false],
    [{ verbs: ['get'], nonResourceURLs: ['*'] }, 'GET', '/anything', true],
    [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }, 'GET', '/api/v1/namespaces/d/pods/p', false],
  ];
  for (const [rule, method, url, allowed] of cases) assert.equal(ruleAllows(request(method, url), rule), allowed, `${compactRuleString(rule)} ${method} ${url}`);
});

test('reports the rules an owner does not cover, compacted and in upstream notation', () => {
  const owner: PolicyRule[] = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'services'] }, { verbs: ['get'], nonResourceURLs: ['/apis/*'] }];
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/apis/apps'] }]), []);
  const missing = uncoveredRules(owner, [{ verbs: ['get', 'delete', 'create'], apiGroups: [''], resources: ['pods'] }]);
  assert.deepEqual(missing.map(compactRuleString), ['{APIGroups:[""], Resources:["pods"], Verbs:["delete" "create"]}']);
  assert.deepEqual(uncoveredRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).length, 1);
  assert.deepEqual(uncoveredRules([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get'], apiGroups: ['x'], resources: ['y/status'], resourceNames: ['n'] }]), []);
});
