import type { PolicyRule } from '../schemas/rbac.js';
import type { RequestAttributes } from './request-attributes.js';

// RBAC's rule semantics (plugin/pkg/auth/authorizer/rbac and
// pkg/registry/rbac/validation): what one PolicyRule allows, and whether a set
// of rules covers another (escalation prevention).

const ALL = '*';

function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === ALL || v === verb) return true;
  return false;
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === ALL || g === group) return true;
  return false;
}

/** `pods` matches only the resource, `pods/status` the subresource, `*` everything, `*\/status` and `pods/*` their halves. */
function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (!subresource) continue;
    if (r === `${ALL}/${subresource}`) return true;
    if (r === `${resource}/${ALL}`) return true;
  }
  return false;
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return names.includes(name);
}

/** A rule URL ending in `*` matches every path it prefixes. */
function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith(ALL) && path.startsWith(url.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(attributes: RequestAttributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (!attributes.resourceRequest) return nonResourceURLMatches(rule, attributes.path);
  return apiGroupMatches(rule, attributes.apiGroup)
    && resourceMatches(rule, attributes.resource, attributes.subresource)
    && resourceNameMatches(rule, attributes.name);
}

export function rulesAllow(attributes: RequestAttributes, rules: readonly PolicyRule[]): boolean {
  for (const rule of rules) if (ruleAllows(attributes, rule)) return true;
  return false;
}

function has(values: readonly string[] | undefined, value: string): boolean {
  return (values ?? []).includes(value);
}

/** Whether `owner` grants everything the single-valued rule `atom` does (upstream's ruleCovers). */
function ruleCovers(owner: PolicyRule, atom: PolicyRule): boolean {
  if (!has(owner.verbs, ALL) && !owner.verbs.includes(atom.verbs[0] ?? '')) return false;
  const url = atom.nonResourceURLs?.[0];
  if (url !== undefined) {
    return (owner.nonResourceURLs ?? []).some((ownerURL) => ownerURL === ALL || ownerURL === url
      || (ownerURL.endsWith(ALL) && url.startsWith(ownerURL.slice(0, -1))));
  }
  const group = atom.apiGroups?.[0] ?? '';
  if (!has(owner.apiGroups, ALL) && !has(owner.apiGroups, group)) return false;
  const resource = atom.resources?.[0] ?? '';
  const ownerResources = owner.resources ?? [];
  const [base = '', sub] = resource.split('/', 2) as [string, string | undefined];
  const resourceCovered = ownerResources.some((r) => r === ALL || r === resource
    || (sub !== undefined && (r === `${base}/${ALL}` || r === `${ALL}/${sub}`)));
  if (!resourceCovered) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  const name = atom.resourceNames?.[0];
  return name !== undefined && ownerNames.includes(name);
}

/** Splits a rule into single-verb, single-group, single-resource, single-name rules. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) atoms.push({ verbs: [verb], nonResourceURLs: [url] });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        for (const name of names) atoms.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
      }
    }
  }
  return atoms;
}

/** The parts of `wanted` no rule of `owner` grants, compacted as upstream reports them. */
export function uncoveredRules(owner: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  const missing = new Map<string, PolicyRule>();
  for (const rule of wanted) {
    for (const atom of breakdown(rule)) {
      if (owner.some((o) => ruleCovers(o, atom))) continue;
      const { verbs, ...target } = atom;
      const key = JSON.stringify(target);
      const existing = missing.get(key);
      if (existing) existing.verbs.push(...verbs);
      else missing.set(key, { ...target, verbs: [...verbs] });
    }
  }
  return [...missing.values()].sort((a, b) => compactRuleString(a).localeCompare(compactRuleString(b)));
}

/** Go's %q of a []string: `["a" "b"]`. */
export function quotedList(values: readonly string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(' ')}]`;
}

/** PolicyRule.CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}`. */
export function compactRuleString(rule: PolicyRule): string {
  const fields: string[] = [];
  if ((rule.apiGroups ?? []).length > 0) fields.push(`APIGroups:${quotedList(rule.apiGroups ?? [])}`);
  if ((rule.resources ?? []).length > 0) fields.push(`Resources:${quotedList(rule.resources ?? [])}`);
  if ((rule.nonResourceURLs ?? []).length > 0) fields.push(`NonResourceURLs:${quotedList(rule.nonResourceURLs ?? [])}`);
  if ((rule.resourceNames ?? []).length > 0) fields.push(`ResourceNames:${quotedList(rule.resourceNames ?? [])}`);
  if (rule.verbs.length > 0) fields.push(`Verbs:${quotedList(rule.verbs)}`);
  return `{${fields.join(', ')}}`;
}

