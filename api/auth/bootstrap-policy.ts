import { AlreadyExistsError } from '../errors.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from '../schemas/rbac.js';
import { SYSTEM_AUTHENTICATED, SYSTEM_MASTERS, SYSTEM_UNAUTHENTICATED } from './user-info.js';

// The roles and bindings a cluster starts with (upstream's
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy), cut to the resources skiff
// serves. Created at start when missing, like the system namespaces; an
// administrator's later edits are kept.

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view') => `rbac.authorization.k8s.io/aggregate-to-${role}`;

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

/** What a node's identity may do, granted by the Node authorizer itself (never through a binding). */
export const NODE_RULES: readonly PolicyRule[] = Object.freeze([
  rule(['create', 'get', 'list', 'watch', 'update', 'patch'], [''], ['nodes']),
  rule(['patch', 'update'], [''], ['nodes/status']),
  rule(READ, [''], ['services', 'endpoints', 'namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule([...READ, 'delete'], [''], ['pods']),
  rule(['patch', 'update'], [''], ['pods/status']),
  rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  rule(['get', 'create', 'update', 'patch', 'delete'], ['coordination.k8s.io'], ['leases']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews']),
]);

function clusterRole(name: string, rules: readonly PolicyRule[], extra: Partial<ClusterRole> = {}, labels: Record<string, string> = {}): ClusterRole {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS, ...labels }, annotations: { ...AUTOUPDATE } },
    rules: [...rules],
    ...extra,
  };
}

function binding(name: string, role: string, subjects: ClusterRoleBinding['subjects']): ClusterRoleBinding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
const user = (name: string) => ({ kind: 'User', apiGroup: RBAC_GROUP, name });

const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export const BOOTSTRAP_CLUSTER_ROLES: readonly ClusterRole[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), { verbs: ['*'], nonResourceURLs: ['*'] }]),
  clusterRole('system:discovery', [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }]),
  clusterRole('system:basic-user', [
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
  ]),
  clusterRole('system:public-info-viewer', [{ verbs: ['get'], nonResourceURLs: PUBLIC_INFO_URLS }]),
  // admin ⊇ edit ⊇ view, each filled by the aggregation controller from the roles labelled for it.
  clusterRole('admin', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO('admin')]: 'true' } }] } }),
  clusterRole('edit', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO('edit')]: 'true' } }] } }, { [AGGREGATE_TO('admin')]: 'true' }),
  clusterRole('view', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO('view')]: 'true' } }] } }, { [AGGREGATE_TO('edit')]: 'true' }),
  clusterRole('system:aggregate-to-admin', [
    rule([...READ, ...WRITE], [RBAC_GROUP], ['roles', 'rolebindings']),
    rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  ], {}, { [AGGREGATE_TO('admin')]: 'true' }),
  clusterRole('system:aggregate-to-edit', [
    rule(WRITE, [''], ['pods', 'services', 'endpoints']),
    rule(WRITE, ['discovery.k8s.io'], ['endpointslices']),
    rule(WRITE, ['coordination.k8s.io'], ['leases']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'deletecollection', 'patch', 'update'], [''], ['pods/exec', 'pods/log']),
  ], {}, { [AGGREGATE_TO('edit')]: 'true' }),
  clusterRole('system:aggregate-to-view', [
    rule(READ, [''], ['pods', 'pods/log', 'pods/status', 'services', 'services/status', 'endpoints', 'events', 'namespaces', 'namespaces/status']),
    rule(READ, ['discovery.k8s.io'], ['endpointslices']),
    rule(READ, ['coordination.k8s.io'], ['leases']),
    rule(READ, ['events.k8s.io'], ['events']),
  ], {}, { [AGGREGATE_TO('view')]: 'true' }),
  clusterRole('system:node', NODE_RULES),
  clusterRole('system:skiff-dns', [
    rule(['get', 'list', 'watch'], [''], ['services', 'pods']),
    rule(['get', 'list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
  ]),
  clusterRole('system:node-proxier', [
    rule(['list', 'watch'], [''], ['services', 'nodes']),
    rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  ]),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly ClusterRoleBinding[] = [
  binding('cluster-admin', 'cluster-admin', [group(SYSTEM_MASTERS)]),
  binding('system:discovery', 'system:discovery', [group(SYSTEM_AUTHENTICATED)]),
  binding('system:basic-user', 'system:basic-user', [group(SYSTEM_AUTHENTICATED)]),
  binding('system:public-info-viewer', 'system:public-info-viewer', [group(SYSTEM_AUTHENTICATED), group(SYSTEM_UNAUTHENTICATED)]),
  binding('system:skiff-dns', 'system:skiff-dns', [user('system:skiff-dns'), { kind: 'ServiceAccount', name: 'skiff-dns', namespace: 'kube-system' }]),
  binding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
];

function ensure(registry: GenericRegistry<KubeObject> | undefined, objects: readonly KubeObject[]): void {
  if (!registry) return;
  for (const object of objects) {
    if (registry.exists('', object.metadata.name ?? '')) continue;
    try {
      registry.create('', structuredClone(object));
    } catch (error) {
      // Another server process on the same file created it first.
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }
}

/** Creates the bootstrap ClusterRoles and ClusterRoleBindings that are missing. */
export function ensureBootstrapPolicy(registries: ReadonlyMap<string, GenericRegistry<KubeObject>>): void {
  ensure(registries.get('clusterroles'), BOOTSTRAP_CLUSTER_ROLES);
  ensure(registries.get('clusterrolebindings'), BOOTSTRAP_CLUSTER_ROLE_BINDINGS);
}
