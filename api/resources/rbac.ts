import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../schemas/rbac.js';
import {
  RBAC_GROUP,
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
  validateRoleRefUnchanged,
} from './rbac-validation.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';
import type { FieldErrors } from '../validation/field-errors.js';

// Strategies of the RBAC kinds. None has a status; a binding's roleRef is
// fixed at creation, so changing what a binding grants means a new binding.

/** SetDefaults_RoleBinding and SetDefaults_Subject: User and Group subjects, and roleRef, name the RBAC group. */
function defaultBinding(binding: RoleBinding | ClusterRoleBinding): void {
  if (binding.roleRef && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  for (const subject of binding.subjects ?? []) {
    if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = RBAC_GROUP;
  }
}

function noStatus(): void {
  // RBAC objects have no status to reset or carry over.
}

export const roleStrategy: ResourceStrategy<Role> = {
  applyDefaults: noStatus,
  prepareForCreate: noStatus,
  prepareForUpdate: noStatus,
  validate: validateRole,
  validateUpdate: validateRole,
  specChanged: (role, old) => !semanticEqual(role.rules, old.rules),
};

export const clusterRoleStrategy: ResourceStrategy<ClusterRole> = {
  applyDefaults: noStatus,
  prepareForCreate: noStatus,
  prepareForUpdate: noStatus,
  validate: validateClusterRole,
  validateUpdate: validateClusterRole,
  specChanged: (role, old) => !semanticEqual(role.rules, old.rules) || !semanticEqual(role.aggregationRule, old.aggregationRule),
};

function bindingStrategy<T extends RoleBinding | ClusterRoleBinding>(validate: (binding: T) => FieldErrors): ResourceStrategy<T> {
  return {
    applyDefaults: defaultBinding,
    prepareForCreate: noStatus,
    prepareForUpdate: noStatus,
    validate,
    validateUpdate: (binding, old) => validate(binding).addAll(validateRoleRefUnchanged(binding, old)),
    specChanged: (binding, old) => !semanticEqual(binding.subjects, old.subjects) || !semanticEqual(binding.roleRef, old.roleRef),
  };
}

export const roleBindingStrategy: ResourceStrategy<RoleBinding> = bindingStrategy<RoleBinding>(validateRoleBinding);
export const clusterRoleBindingStrategy: ResourceStrategy<ClusterRoleBinding> = bindingStrategy<ClusterRoleBinding>(validateClusterRoleBinding);
