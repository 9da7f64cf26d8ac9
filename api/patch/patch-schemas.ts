import type { FieldPatchStrategy, PatchSchema } from './patch-schema.js';

// The strategic-merge metadata of every kind skiff serves, copied from the
// struct tags of k8s.io/api v1.32 (the ones compiled into kubectl, which
// builds its patches from them). Only merging lists need an entry; the atomic
// ones are listed where a reader might expect otherwise.

const mergeByKey = (patchMergeKey: string): FieldPatchStrategy => ({ patchStrategy: 'merge', patchMergeKey });
const mergeByKeyRetainingKeys = (patchMergeKey: string): FieldPatchStrategy => ({ patchStrategy: 'merge,retainKeys', patchMergeKey });
const mergeAsSet: FieldPatchStrategy = { patchStrategy: 'merge' };
const atomic: FieldPatchStrategy = { patchStrategy: 'replace' };

const objectMeta = {
  'metadata.ownerReferences': mergeByKey('uid'),
  'metadata.finalizers': mergeAsSet,
  'metadata.managedFields': atomic,
} as const;

/** Container and EphemeralContainer share these lists. */
function containerFields(path: string): Record<string, FieldPatchStrategy> {
  return {
    [path]: mergeByKey('name'),
    [`${path}.ports`]: mergeByKey('containerPort'),
    [`${path}.env`]: mergeByKey('name'),
    [`${path}.volumeMounts`]: mergeByKey('mountPath'),
    [`${path}.volumeDevices`]: mergeByKey('devicePath'),
    [`${path}.envFrom`]: atomic,
    [`${path}.resizePolicy`]: atomic,
  };
}

export const podPatchSchema: PatchSchema = {
  fields: {
    ...objectMeta,
    ...containerFields('spec.initContainers'),
    ...containerFields('spec.containers'),
    ...containerFields('spec.ephemeralContainers'),
    'spec.volumes': mergeByKeyRetainingKeys('name'),
    'spec.imagePullSecrets': mergeByKey('name'),
    'spec.hostAliases': mergeByKey('ip'),
    'spec.topologySpreadConstraints': mergeByKey('topologyKey'),
    'spec.schedulingGates': mergeByKey('name'),
    'spec.resourceClaims': mergeByKeyRetainingKeys('name'),
    'spec.tolerations': atomic,
    'spec.readinessGates': atomic,
    'status.conditions': mergeByKey('type'),
    'status.podIPs': mergeByKey('ip'),
    'status.hostIPs': mergeByKey('ip'),
    'status.resourceClaimStatuses': mergeByKeyRetainingKeys('name'),
    'status.initContainerStatuses': atomic,
    'status.containerStatuses': atomic,
    'status.ephemeralContainerStatuses': atomic,
  },
};

export const servicePatchSchema: PatchSchema = {
  fields: {
    ...objectMeta,
    'spec.ports': mergeByKey('port'),
    'spec.clusterIPs': atomic,
    'spec.externalIPs': atomic,
    'spec.ipFamilies': atomic,
    'status.conditions': mergeByKey('type'),
    'status.loadBalancer.ingress': atomic,
  },
};

export const nodePatchSchema: PatchSchema = {
  fields: {
    ...objectMeta,
    'spec.podCIDRs': mergeAsSet,
    // Atomic upstream, and `kubectl taint … key-` depends on it: kubectl sends
    // the remaining taints as the whole list, so merging by key would keep the
    // taint it meant to remove.
    'spec.taints': atomic,
    'status.conditions': mergeByKey('type'),
    'status.addresses': mergeByKey('type'),
    'status.images': atomic,
    'status.volumesInUse': atomic,
    'status.volumesAttached': atomic,
  },
};

export const namespacePatchSchema: PatchSchema = {
  fields: {
    ...objectMeta,
    'spec.finalizers': atomic,
    'status.conditions': mergeByKey('type'),
  },
};

export const endpointsPatchSchema: PatchSchema = {
  fields: {
    ...objectMeta,
    subsets: atomic,
  },
};

export const endpointSlicePatchSchema: PatchSchema = {
  fields: {
    ...objectMeta,
    endpoints: atomic,
    ports: atomic,
  },
};

export const leasePatchSchema: PatchSchema = {
  fields: { ...objectMeta },
};

export const serviceAccountPatchSchema: PatchSchema = {
  fields: { ...objectMeta, secrets: mergeByKey('name'), imagePullSecrets: atomic },
};

export const eventPatchSchema: PatchSchema = {
  fields: { ...objectMeta },
};

/** ConfigMap and Secret: maps only, which merge by key without metadata. */
export const configDataPatchSchema: PatchSchema = {
  fields: { ...objectMeta },
};

// Rules and subjects carry no patch strategy upstream: a patch replaces them whole.
export const rbacPatchSchema: PatchSchema = {
  fields: { ...objectMeta, rules: atomic, subjects: atomic, 'aggregationRule.clusterRoleSelectors': atomic },
};

/** By resource plural, as it appears in the URL. Subresources (`pods/status`) use their resource's schema. */
export const patchSchemas: Readonly<Record<string, PatchSchema>> = {
  pods: podPatchSchema,
  services: servicePatchSchema,
  nodes: nodePatchSchema,
  namespaces: namespacePatchSchema,
  endpoints: endpointsPatchSchema,
  endpointslices: endpointSlicePatchSchema,
  leases: leasePatchSchema,
  events: eventPatchSchema,
  configmaps: configDataPatchSchema,
  secrets: configDataPatchSchema,
  serviceaccounts: serviceAccountPatchSchema,
  roles: rbacPatchSchema,
  clusterroles: rbacPatchSchema,
  rolebindings: rbacPatchSchema,
  clusterrolebindings: rbacPatchSchema,
};
