/**
 * Which protobuf message carries each (apiVersion, kind) a client may send.
 * A body's runtime.Unknown names its kind in typeMeta; this table turns that
 * into the message its raw bytes hold. A new kind is one entry here plus its
 * messages in ./schemas.
 */
const KIND_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    Namespace: 'k8s.io.api.core.v1.Namespace',
    Node: 'k8s.io.api.core.v1.Node',
    Pod: 'k8s.io.api.core.v1.Pod',
    Service: 'k8s.io.api.core.v1.Service',
    Endpoints: 'k8s.io.api.core.v1.Endpoints',
    Event: 'k8s.io.api.core.v1.Event',
    Binding: 'k8s.io.api.core.v1.Binding',
    ConfigMap: 'k8s.io.api.core.v1.ConfigMap',
    Secret: 'k8s.io.api.core.v1.Secret',
    ServiceAccount: 'k8s.io.api.core.v1.ServiceAccount',
    // client-go's typed Delete sends its options in the group-version of the resource.
    DeleteOptions: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  },
  'discovery.k8s.io/v1': {
    EndpointSlice: 'k8s.io.api.discovery.v1.EndpointSlice',
    DeleteOptions: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  },
  'coordination.k8s.io/v1': {
    Lease: 'k8s.io.api.coordination.v1.Lease',
    DeleteOptions: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  },
  'rbac.authorization.k8s.io/v1': {
    Role: 'k8s.io.api.rbac.v1.Role',
    ClusterRole: 'k8s.io.api.rbac.v1.ClusterRole',
    RoleBinding: 'k8s.io.api.rbac.v1.RoleBinding',
    ClusterRoleBinding: 'k8s.io.api.rbac.v1.ClusterRoleBinding',
    DeleteOptions: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  },
  'authentication.k8s.io/v1': {
    TokenRequest: 'k8s.io.api.authentication.v1.TokenRequest',
    SelfSubjectReview: 'k8s.io.api.authentication.v1.SelfSubjectReview',
  },
  'authorization.k8s.io/v1': {
    SelfSubjectAccessReview: 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
    SubjectAccessReview: 'k8s.io.api.authorization.v1.SubjectAccessReview',
  },
  'meta.k8s.io/v1': {
    DeleteOptions: 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  },
};

/** The fully qualified message name for a kind, or undefined when skiff has no schema for it. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  return Object.hasOwn(KIND_MESSAGES, apiVersion) && Object.hasOwn(KIND_MESSAGES[apiVersion]!, kind) ? KIND_MESSAGES[apiVersion]![kind] : undefined;
}

/** Every (apiVersion, kind) with a schema, for tests and diagnostics. */
export function kindsWithMessages(): { apiVersion: string; kind: string; message: string }[] {
  return Object.entries(KIND_MESSAGES).flatMap(([apiVersion, kinds]) => Object.entries(kinds).map(([kind, message]) => ({ apiVersion, kind, message })));
}
