import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '../schemas/rbac.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isDNS1123Subdomain } from '../validation/identifiers.js';

// Validation of the RBAC kinds (pkg/apis/rbac/validation): rule shapes,
// roleRef and subject kinds, and the immutable roleRef.

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** path.IsValidPathSegmentName: RBAC object names only need to be usable in a URL. */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const problems: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) problems.push(`may not contain '${illegal}'`);
  return problems;
}

function validatePolicyRule(errors: FieldErrors, rule: PolicyRule, namespaced: boolean, path: string): void {
  if ((rule.verbs ?? []).length === 0) errors.required(`${path}.verbs`, 'verbs must contain at least one value');
  if ((rule.nonResourceURLs ?? []).length > 0) {
    if (namespaced) errors.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs');
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0) {
      errors.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs');
    }
    return;
  }
  if ((rule.apiGroups ?? []).length === 0) errors.required(`${path}.apiGroups`, 'resource rules must supply at least one api group');
  if ((rule.resources ?? []).length === 0) errors.required(`${path}.resources`, 'resource rules must supply at least one resource');
}

function validateRules(errors: FieldErrors, rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldErrors {
  (rules ?? []).forEach((rule, i) => validatePolicyRule(errors, rule, namespaced, `rules[${i}]`));
  return errors;
}

export function validateRole(role: Role): FieldErrors {
  return validateRules(new FieldErrors(), role.rules, true);
}

export function validateClusterRole(role: ClusterRole): FieldErrors {
  const errors = validateRules(new FieldErrors(), role.rules, false);
  const aggregation = role.aggregationRule;
  if (aggregation && (aggregation.clusterRoleSelectors ?? []).length === 0) {
    errors.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil');
  }
  (aggregation?.clusterRoleSelectors ?? []).forEach((selector, i) => {
    (selector.matchExpressions ?? []).forEach((requirement, j) => {
      const path = `aggregationRule.clusterRoleSelectors[${i}].matchExpressions[${j}]`;
      const values = requirement.values ?? [];
      if (requirement.operator === 'In' || requirement.operator === 'NotIn') {
        if (values.length === 0) errors.required(`${path}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\'');
      } else if (requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') {
        if (values.length > 0) errors.forbidden(`${path}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'');
      } else {
        errors.notSupported(`${path}.operator`, requirement.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
      }
    });
  });
  return errors;
}

function validateSubject(errors: FieldErrors, subject: Subject, namespaced: boolean, path: string): void {
  if (!subject.name) errors.required(`${path}.name`);
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name) errors.invalidEach(`${path}.name`, subject.name, isDNS1123Subdomain(subject.name));
      if ((subject.apiGroup ?? '') !== '') errors.notSupported(`${path}.apiGroup`, subject.apiGroup, ['']);
      if (!namespaced && !subject.namespace) errors.required(`${path}.namespace`);
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) errors.notSupported(`${path}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]);
      break;
    default:
      errors.notSupported(`${path}.kind`, subject.kind, ['ServiceAccount', 'User', 'Group']);
  }
}

function validateBinding(binding: RoleBinding | ClusterRoleBinding, kinds: readonly string[], namespaced: boolean): FieldErrors {
  const errors = new FieldErrors();
  const ref: Partial<RoleRef> = binding.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errors.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]);
  if (!kinds.includes(ref.kind ?? '')) errors.notSupported('roleRef.kind', ref.kind ?? '', kinds);
  if (!ref.name) errors.required('roleRef.name');
  else errors.invalidEach('roleRef.name', ref.name, isValidPathSegmentName(ref.name));
  (binding.subjects ?? []).forEach((subject, i) => validateSubject(errors, subject, namespaced, `subjects[${i}]`));
  return errors;
}

export function validateRoleBinding(binding: RoleBinding): FieldErrors {
  return validateBinding(binding, ['Role', 'ClusterRole'], true);
}

export function validateClusterRoleBinding(binding: ClusterRoleBinding): FieldErrors {
  return validateBinding(binding, ['ClusterRole'], false);
}

/** A binding's role is fixed: upstream refuses any change to roleRef. */
export function validateRoleRefUnchanged(binding: RoleBinding | ClusterRoleBinding, old: RoleBinding | ClusterRoleBinding): FieldErrors {
  const errors = new FieldErrors();
  const a = binding.roleRef;
  const b = old.roleRef;
  if (a?.apiGroup !== b?.apiGroup || a?.kind !== b?.kind || a?.name !== b?.name) errors.invalid('roleRef', a, 'cannot change roleRef');
  return errors;
}
