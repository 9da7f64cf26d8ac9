import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors.js';
import { applyPatch } from '../http/resource-routes.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { UserAdmission } from './authorization-hook.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from '../schemas/rbac.js';
import { semanticEqual } from '../resources/semantic-equal.js';
import type { Authorizer } from './authorizer.js';
import { compactRuleString, quotedList, uncoveredRules } from './policy-rules.js';
import type { RbacPolicy } from './rbac-policy.js';
import type { RequestAttributes } from './request-attributes.js';
import { SYSTEM_MASTERS } from './user-info.js';

// Escalation prevention (pkg/registry/rbac/*/policybased): nobody grants
// through RBAC what they do not hold themselves. Writing a Role or ClusterRole
// needs every rule it contains, or the `escalate` verb on it; writing a binding
// needs every rule of the role it names, or the `bind` verb on that role.

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** An aggregated ClusterRole can pick up any rule later, so writing one takes full authority. */
const FULL_AUTHORITY: readonly PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

type Registries = ReadonlyMap<string, GenericRegistry<KubeObject>>;
type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;

export function isRbacWrite(attributes: RequestAttributes): boolean {
  return attributes.resourceRequest && attributes.apiGroup === RBAC_GROUP && attributes.subresource === ''
    && (attributes.verb === 'create' || attributes.verb === 'update' || attributes.verb === 'patch');
}

function allowedBy(authorizer: Authorizer, attributes: RequestAttributes, verb: string, resource: string, name: string): boolean {
  return authorizer.authorize({ ...attributes, verb, resource, subresource: '', name, apiGroup: RBAC_GROUP }).decision === 'Allow';
}

function confirmNoEscalation(policy: RbacPolicy, attributes: RequestAttributes, namespace: string, rules: readonly PolicyRule[], name: string): void {
  const { rules: owned, errors } = policy.rulesFor(attributes.user, namespace);
  const missing = uncoveredRules(owned, rules);
  if (missing.length === 0) return;
  const user = attributes.user;
  let message = `user "${user.name}" (groups=${quotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactRuleString).join('\n')}`;
  if (errors.length > 0) message += `; resolution errors: [${errors.join(', ')}]`;
  throw ForbiddenError.forResource(attributes.resource, name, RBAC_GROUP, message);
}

/**
 * Refuses an RBAC write that would grant more than its author holds.
 * `object` is the object as it will be written, `old` the stored one on update.
 */
export function checkRbacEscalation(authorizer: Authorizer, policy: RbacPolicy, attributes: RequestAttributes, object: RbacObject, old: RbacObject | undefined): void {
  if (attributes.user.groups.includes(SYSTEM_MASTERS)) return;
  const name = object.metadata?.name ?? attributes.name;
  const namespace = attributes.namespace;
  if (attributes.resource === 'roles' || attributes.resource === 'clusterroles') {
    const role = object as ClusterRole;
    if (old && semanticEqual(role.rules, (old as ClusterRole).rules) && semanticEqual(role.aggregationRule, (old as ClusterRole).aggregationRule)) return;
    if (allowedBy(authorizer, attributes, 'escalate', attributes.resource, name)) return;
    const rules = role.aggregationRule ? FULL_AUTHORITY : role.rules ?? [];
    confirmNoEscalation(policy, attributes, namespace, rules, name);
    return;
  }
  if (attributes.resource !== 'rolebindings' && attributes.resource !== 'clusterrolebindings') return;
  const binding = object as RoleBinding;
  if (old && semanticEqual(binding.subjects, (old as RoleBinding).subjects) && semanticEqual(binding.roleRef, (old as RoleBinding).roleRef)) return;
  const ref = binding.roleRef;
  // A binding without a usable roleRef is refused by validation with a better message.
  if (!ref?.name || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) return;
  const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
  if (allowedBy(authorizer, attributes, 'bind', roleResource, ref.name)) return;
  const rules = policy.roleRules(ref, namespace);
  if (typeof rules === 'string') {
    throw ForbiddenError.forResource(attributes.resource, name, RBAC_GROUP, `${roleResource}.${RBAC_GROUP} "${ref.name}" not found`);
  }
  confirmNoEscalation(policy, attributes, namespace, rules, name);
}

/** The object an RBAC write will store: the body, or for PATCH the body applied to the stored object. */
function writtenObject(attributes: RequestAttributes, request: FastifyRequest, registries: Registries, policy: RbacPolicy): { object: RbacObject; old: RbacObject | undefined } | undefined {
  const informer = { roles: policy.roles, clusterroles: policy.clusterRoles, rolebindings: policy.roleBindings, clusterrolebindings: policy.clusterRoleBindings }[attributes.resource];
  const registry = registries.get(attributes.resource);
  if (!informer || !registry) return undefined;
  const body = request.body as RbacObject | undefined;
  const old = attributes.verb === 'create' ? undefined : informer.get(attributes.namespace, attributes.name) as RbacObject | undefined;
  if (attributes.verb !== 'patch') return body && typeof body === 'object' ? { object: body, old } : undefined;
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!old) return contentType === 'application/apply-patch+yaml' && body && typeof body === 'object' ? { object: body, old } : undefined;
  return { object: applyPatch(registry, structuredClone(old), contentType, body) as RbacObject, old };
}

export function rbacEscalationAdmission(authorizer: Authorizer, policy: RbacPolicy, registries: Registries): UserAdmission {
  return (attributes, request) => {
    if (!isRbacWrite(attributes)) return;
    const written = writtenObject(attributes, request, registries, policy);
    if (written) checkRbacEscalation(authorizer, policy, attributes, written.object, written.old);
  };
}
