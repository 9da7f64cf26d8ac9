import type { TSchema } from '@sinclair/typebox';
import { patchSchemas } from '../patch/patch-schemas.js';
import { ConfigMapSchema } from '../schemas/configmap.js';
import { SecretSchema } from '../schemas/secret.js';
import { configMapStrategy } from './configmap.js';
import { secretStrategy } from './secret.js';
import { EndpointsSchema } from '../schemas/endpoints.js';
import { EndpointSliceSchema } from '../schemas/endpointslice.js';
import { EventSchema, type Event } from '../schemas/event.js';
import { LeaseSchema } from '../schemas/lease.js';
import { NamespaceSchema } from '../schemas/namespace.js';
import { NodeSchema } from '../schemas/node.js';
import { PodSchema, type Pod } from '../schemas/pod.js';
import { ServiceSchema } from '../schemas/service.js';
import { ServiceAccountSchema } from '../schemas/serviceaccount.js';
import { serviceAccountStrategy } from './serviceaccount.js';
import { ClusterRoleBindingSchema, ClusterRoleSchema, RoleBindingSchema, RoleSchema } from '../schemas/rbac.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from './rbac.js';
import { isValidPathSegmentName } from './rbac-validation.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../validation/identifiers.js';
import { endpointSliceStrategy } from './endpointslice.js';
import { endpointsStrategy } from './endpoints.js';
import { eventStrategy } from './event.js';
import { leaseStrategy } from './lease.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { podStrategy } from './pod.js';
import type { ResourceKind, Verb } from './resource-kind.js';
import { createServiceStrategy } from './service.js';
import type { IPFamily } from '../validation/ip-address.js';
import type { KubeObject, ResourceStrategy } from './strategy.js';

const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_COLLECTION_DELETE: readonly Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function patchSchema(resource: string) {
  const schema = patchSchemas[resource];
  if (!schema) throw new Error(`no strategic-merge-patch schema for ${resource}`);
  return schema;
}

function kind<T extends KubeObject>(spec: Omit<ResourceKind<T>, 'patchSchema' | 'strategy' | 'schema'> & { strategy: ResourceStrategy<T>; schema: TSchema }): ResourceKind<KubeObject> {
  return { ...spec, patchSchema: patchSchema(spec.resource) } as unknown as ResourceKind<KubeObject>;
}

/**
 * The kinds skiff serves, in discovery order. Names follow upstream: pods,
 * nodes and EndpointSlices are DNS-1123 subdomains, namespaces DNS-1123 labels,
 * services DNS-1035 labels.
 */
export interface KindOptions {
  /** The family of the service CIDR: Services without spec.ipFamilies default to it. */
  servicePrimaryIPFamily: IPFamily;
}

export function buildKinds(options: KindOptions = { servicePrimaryIPFamily: 'IPv4' }): ResourceKind<KubeObject>[] {
  const serviceStrategy = createServiceStrategy({ primaryIPFamily: options.servicePrimaryIPFamily });
  return [
    kind({
      group: '', version: 'v1', resource: 'namespaces', singular: 'namespace', kind: 'Namespace', listKind: 'NamespaceList',
      namespaced: false, shortNames: ['ns'], categories: [], verbs: NO_COLLECTION_DELETE, subresources: [],
      allowCreateOnUpdate: false, nameRule: isDNS1123Label, strategy: namespaceStrategy, schema: NamespaceSchema,
      fieldSelectors: { 'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase },
    }),
    kind({
      group: '', version: 'v1', resource: 'nodes', singular: 'node', kind: 'Node', listKind: 'NodeList',
      namespaced: false, shortNames: ['no'], categories: [], verbs: ALL_VERBS, subresources: ['status'],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: nodeStrategy, schema: NodeSchema,
      fieldSelectors: { 'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false) },
    }),
    kind<Pod>({
      group: '', version: 'v1', resource: 'pods', singular: 'pod', kind: 'Pod', listKind: 'PodList',
      namespaced: true, shortNames: ['po'], categories: ['all'], verbs: ALL_VERBS, subresources: ['status', 'binding'],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: podStrategy, schema: PodSchema,
      fieldSelectors: {
        'spec.nodeName': (o) => o.spec?.nodeName ?? '',
        'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
        'spec.schedulerName': (o) => (o.spec as { schedulerName?: string } | undefined)?.schedulerName ?? '',
        'spec.serviceAccountName': (o) => (o.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? '',
        'status.phase': (o) => o.status?.phase ?? '',
        'status.podIP': (o) => o.status?.podIP ?? '',
        'status.nominatedNodeName': (o) => (o.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '',
      },
    }),
    kind({
      group: '', version: 'v1', resource: 'services', singular: 'service', kind: 'Service', listKind: 'ServiceList',
      namespaced: true, shortNames: ['svc'], categories: ['all'], verbs: ALL_VERBS, subresources: ['status'],
      allowCreateOnUpdate: false, nameRule: isDNS1035Label, strategy: serviceStrategy, schema: ServiceSchema,
      fieldSelectors: {},
    }),
    kind({
      group: '', version: 'v1', resource: 'endpoints', singular: 'endpoints', kind: 'Endpoints', listKind: 'EndpointsList',
      namespaced: true, shortNames: ['ep'], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: true, nameRule: isDNS1123Subdomain, strategy: endpointsStrategy, schema: EndpointsSchema,
      fieldSelectors: {},
    }),
    kind<Event>({
      group: '', version: 'v1', resource: 'events', singular: 'event', kind: 'Event', listKind: 'EventList',
      namespaced: true, shortNames: ['ev'], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: eventStrategy, schema: EventSchema,
      // `kubectl describe` finds an object's events by these (ToSelectableFields in pkg/registry/core/event).
      fieldSelectors: {
        'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
        'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
        'involvedObject.name': (o) => o.involvedObject?.name ?? '',
        'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
        'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
        'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
        'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
        reason: (o) => o.reason ?? '',
        reportingComponent: (o) => o.reportingComponent ?? '',
        source: (o) => o.source?.component ?? '',
        type: (o) => o.type ?? '',
      },
    }),
    kind({
      group: '', version: 'v1', resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', listKind: 'ConfigMapList',
      namespaced: true, shortNames: ['cm'], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: configMapStrategy, schema: ConfigMapSchema,
      fieldSelectors: {},
    }),
    kind({
      group: '', version: 'v1', resource: 'secrets', singular: 'secret', kind: 'Secret', listKind: 'SecretList',
      namespaced: true, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: secretStrategy, schema: SecretSchema,
      // upstream's SelectableFields for Secrets.
      fieldSelectors: { type: (o) => (o as { type?: string }).type ?? '' },
    }),
    kind({
      group: '', version: 'v1', resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', listKind: 'ServiceAccountList',
      namespaced: true, shortNames: ['sa'], categories: [], verbs: ALL_VERBS, subresources: ['token'],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: serviceAccountStrategy, schema: ServiceAccountSchema,
      fieldSelectors: {},
    }),
    kind({
      group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', listKind: 'EndpointSliceList',
      namespaced: true, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: false, nameRule: isDNS1123Subdomain, strategy: endpointSliceStrategy, schema: EndpointSliceSchema,
      fieldSelectors: { addressType: (o) => (o as { addressType?: string }).addressType ?? '' },
    }),
    kind({
      group: 'coordination.k8s.io', version: 'v1', resource: 'leases', singular: 'lease', kind: 'Lease', listKind: 'LeaseList',
      namespaced: true, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: true, nameRule: isDNS1123Subdomain, strategy: leaseStrategy, schema: LeaseSchema,
      fieldSelectors: {},
    }),
    // RBAC names need only be path segments; PUT creates, as upstream's RBAC storage allows.
    kind({
      group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', listKind: 'ClusterRoleBindingList',
      namespaced: false, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: true, nameRule: isValidPathSegmentName, strategy: clusterRoleBindingStrategy, schema: ClusterRoleBindingSchema,
      fieldSelectors: {},
    }),
    kind({
      group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', listKind: 'ClusterRoleList',
      namespaced: false, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: true, nameRule: isValidPathSegmentName, strategy: clusterRoleStrategy, schema: ClusterRoleSchema,
      fieldSelectors: {},
    }),
    kind({
      group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', listKind: 'RoleBindingList',
      namespaced: true, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: true, nameRule: isValidPathSegmentName, strategy: roleBindingStrategy, schema: RoleBindingSchema,
      fieldSelectors: {},
    }),
    kind({
      group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', singular: 'role', kind: 'Role', listKind: 'RoleList',
      namespaced: true, shortNames: [], categories: [], verbs: ALL_VERBS, subresources: [],
      allowCreateOnUpdate: true, nameRule: isValidPathSegmentName, strategy: roleStrategy, schema: RoleSchema,
      fieldSelectors: {},
    }),
  ];
}
