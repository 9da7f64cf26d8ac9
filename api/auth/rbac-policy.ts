import type { SharedInformers } from '../controllers/shared-informers.js';
import type { LocalInformer } from '../controllers/local-informer.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from '../schemas/rbac.js';
import type { UserInfo } from './user-info.js';

// Who holds which rules, read from in-memory caches of the four RBAC kinds
// that the watch hub keeps current (upstream's RBAC authorizer reads informer
// caches the same way). Bindings are indexed by subject, so a request looks
// up only the bindings naming its user or one of its groups, never scans.
// Measured in bench/api-bench.ts: reading bindings from the store per request
// costs a query and a JSON parse per binding; the index costs neither.

const SUBJECT_INDEX = 'subject';

function subjectKeys(subject: Subject, bindingNamespace: string): string[] {
  switch (subject.kind) {
    case 'User':
      return [`User:${subject.name}`];
    case 'Group':
      return [`Group:${subject.name}`];
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace ? [`User:system:serviceaccount:${namespace}:${subject.name}`] : [];
    }
    default:
      return [];
  }
}

/** The index keys a user's bindings are found under. */
function userKeys(user: UserInfo): string[] {
  const keys = [`User:${user.name}`];
  for (const group of user.groups) keys.push(`Group:${group}`);
  return keys;
}

/** A rule together with where it came from, for resolution errors and reviews. */
export type RuleVisitor = (rule: PolicyRule) => boolean;

export class RbacPolicy {
  readonly roles: LocalInformer<Role>;
  readonly clusterRoles: LocalInformer<ClusterRole>;
  readonly roleBindings: LocalInformer<RoleBinding>;
  readonly clusterRoleBindings: LocalInformer<ClusterRoleBinding>;

  constructor(informers: SharedInformers) {
    this.roles = informers.informer<Role>('roles');
    this.clusterRoles = informers.informer<ClusterRole>('clusterroles');
    this.roleBindings = informers.informer<RoleBinding>('rolebindings');
    this.clusterRoleBindings = informers.informer<ClusterRoleBinding>('clusterrolebindings');
    this.clusterRoleBindings.addIndex(SUBJECT_INDEX, (binding) => (binding.subjects ?? []).flatMap((subject) => subjectKeys(subject, '')));
    this.roleBindings.addIndex(SUBJECT_INDEX, (binding) => {
      const namespace = binding.metadata.namespace ?? '';
      return (binding.subjects ?? []).flatMap((subject) => subjectKeys(subject, namespace).map((key) => `${namespace}|${key}`));
    });
  }

  /**
   * The rules of the role a binding names, or a resolution error in upstream's
   * words when the role does not exist.
   */
  roleRules(ref: { kind: string; name: string }, namespace: string): readonly PolicyRule[] | string {
    if (ref.kind === 'ClusterRole') {
      const role = this.clusterRoles.get('', ref.name);
      return role ? role.rules ?? [] : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
    }
    const role = this.roles.get(namespace, ref.name);
    return role ? role.rules ?? [] : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
  }

  /**
   * Visits every rule `user` holds in `namespace` ('' for cluster scope only),
   * stopping when the visitor returns false. Returns the resolution errors met.
   */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): string[] {
    const errors: string[] = [];
    const keys = userKeys(user);
    const seen = new Set<string>();
    for (const key of keys) {
      for (const bindingKey of this.clusterRoleBindings.keysByIndex(SUBJECT_INDEX, key)) {
        if (seen.has(bindingKey)) continue;
        seen.add(bindingKey);
        const binding = this.clusterRoleBindings.getByKey(bindingKey);
        if (!binding) continue;
        const rules = this.roleRules(binding.roleRef, '');
        if (typeof rules === 'string') {
          errors.push(rules);
          continue;
        }
        for (const rule of rules) if (!visit(rule)) return errors;
      }
    }
    if (!namespace) return errors;
    for (const key of keys) {
      for (const bindingKey of this.roleBindings.keysByIndex(SUBJECT_INDEX, `${namespace}|${key}`)) {
        if (seen.has(bindingKey)) continue;
        seen.add(bindingKey);
        const binding = this.roleBindings.getByKey(bindingKey);
        if (!binding) continue;
        const rules = this.roleRules(binding.roleRef, namespace);
        if (typeof rules === 'string') {
          errors.push(rules);
          continue;
        }
        for (const rule of rules) if (!visit(rule)) return errors;
      }
    }
    return errors;
  }

  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors = this.visitRulesFor(user, namespace, (rule) => {
      rules.push(rule);
      return true;
    });
    return { rules, errors };
  }
}
