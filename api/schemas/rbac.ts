import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { groupVersionKind, stringList, stringMap } from './primitives.js';

// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.

export const PolicyRuleSchema = Type.Object({
  verbs: stringList('Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. \'*\' represents all verbs.'),
  apiGroups: Type.Optional(stringList('APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.')),
  resources: Type.Optional(stringList('Resources is a list of resources this rule applies to. \'*\' represents all resources.')),
  resourceNames: Type.Optional(stringList('ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.')),
  nonResourceURLs: Type.Optional(stringList('NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding. Rules can either apply to API resources (such as "pods" or "secrets") or non-resource URL paths (such as "/api"),  but not both.')),
}, {
  title: 'io.k8s.api.rbac.v1.PolicyRule',
  description: 'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
});

export const LabelSelectorRequirementSchema = Type.Object({
  key: Type.String({ description: 'key is the label key that the selector applies to.' }),
  operator: Type.String({ description: "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist." }),
  values: Type.Optional(stringList('values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.')),
}, {
  title: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
  description: 'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
});

export const LabelSelectorSchema = Type.Object({
  matchLabels: Type.Optional(stringMap('matchLabels is a map of {key,value} pairs.')),
  matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirementSchema, { description: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.' })),
}, {
  title: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  description: 'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
});

export const AggregationRuleSchema = Type.Object({
  clusterRoleSelectors: Type.Optional(Type.Array(LabelSelectorSchema, {
    description: "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
  })),
}, {
  title: 'io.k8s.api.rbac.v1.AggregationRule',
  description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
});

export const SubjectSchema = Type.Object({
  kind: Type.String({ description: 'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should report an error.' }),
  apiGroup: Type.Optional(Type.String({ description: 'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.' })),
  name: Type.String({ description: 'Name of the object being referenced.' }),
  namespace: Type.Optional(Type.String({ description: 'Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.' })),
}, {
  title: 'io.k8s.api.rbac.v1.Subject',
  description: 'Subject contains a reference to the object or user identities a role binding applies to.  This can either hold a direct API object reference, or a value for non-objects such as user and group names.',
});

export const RoleRefSchema = Type.Object({
  apiGroup: Type.String({ description: 'APIGroup is the group for the resource being referenced' }),
  kind: Type.String({ description: 'Kind is the type of resource being referenced' }),
  name: Type.String({ description: 'Name is the name of resource being referenced' }),
}, {
  title: 'io.k8s.api.rbac.v1.RoleRef',
  description: 'RoleRef contains information that points to the role being used',
});

const rules = () => Type.Optional(Type.Array(PolicyRuleSchema, { description: 'Rules holds all the PolicyRules for this Role' }));

export const RoleSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  rules: rules(),
}, {
  title: 'io.k8s.api.rbac.v1.Role',
  description: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  'x-kubernetes-group-version-kind': groupVersionKind('rbac.authorization.k8s.io', 'v1', 'Role'),
});

export const ClusterRoleSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  rules: rules(),
  aggregationRule: Type.Optional(AggregationRuleSchema),
}, {
  title: 'io.k8s.api.rbac.v1.ClusterRole',
  description: 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  'x-kubernetes-group-version-kind': groupVersionKind('rbac.authorization.k8s.io', 'v1', 'ClusterRole'),
});

const subjects = () => Type.Optional(Type.Array(SubjectSchema, { description: 'Subjects holds references to the objects the role applies to.' }));

export const RoleBindingSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  subjects: subjects(),
  roleRef: RoleRefSchema,
}, {
  title: 'io.k8s.api.rbac.v1.RoleBinding',
  description: 'RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.  RoleBindings in a given namespace only have effect in that namespace.',
  'x-kubernetes-group-version-kind': groupVersionKind('rbac.authorization.k8s.io', 'v1', 'RoleBinding'),
});

export const ClusterRoleBindingSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  subjects: subjects(),
  roleRef: RoleRefSchema,
}, {
  title: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  description: 'ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
  'x-kubernetes-group-version-kind': groupVersionKind('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'),
});

export type PolicyRule = Static<typeof PolicyRuleSchema>;
export type Subject = Static<typeof SubjectSchema>;
export type RoleRef = Static<typeof RoleRefSchema>;
export type AggregationRule = Static<typeof AggregationRuleSchema>;
export type Role = WithMetadata<Static<typeof RoleSchema>>;
export type ClusterRole = WithMetadata<Static<typeof ClusterRoleSchema>>;
export type RoleBinding = WithMetadata<Static<typeof RoleBindingSchema>>;
export type ClusterRoleBinding = WithMetadata<Static<typeof ClusterRoleBindingSchema>>;
