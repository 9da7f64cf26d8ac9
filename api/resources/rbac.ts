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

export const roleBindingStrategy: ResourceStrategy<RoleBinding> = {
  applyDefaults: defaultBinding,
  prepareForCreate: noStatus,
  prepareForUpdate: noStatus,
  validate: validateRoleBinding,
  validateUpdate: (binding, old) => validateRoleBinding(binding).addAll(validateRoleRefUnchanged(binding, old)),
  specChanged: (binding, old) => !semanticEqual(binding.subjects, old.subjects) || !semanticEqual(binding.roleRef, old.roleRef),
};

export const clusterRoleBindingStrategy: ResourceStrategy<ClusterRoleBinding> = {
  applyDefaults: defaultBinding,
  prepareForCreate: noStatus,
  prepareForUpdate: noStatus,
  validate: validateClusterRoleBinding,
  validateUpdate: (binding, old) => validateClusterRoleBinding(binding).addAll(validateRoleRefUnchanged(binding, old)),
  specChanged: (binding, old) => !semanticEqual(binding.subjects, old.subjects) || !semanticEqual(binding.roleRef, old.roleRef),
};
