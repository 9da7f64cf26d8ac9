// The k8s.io.apimachinery.pkg.apis.meta.v1 messages (upstream apimachinery pkg/apis/meta/v1) that the kinds skiff serves contain.
// Field options (inline), (emitZero): see ../README.md.
export const META_V1_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Condition {
  optional string type = 1 [(emitZero) = true];
  optional string status = 2 [(emitZero) = true];
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5 [(emitZero) = true];
  optional string message = 6 [(emitZero) = true];
}
message DeleteOptions {
  optional int64 gracePeriodSeconds = 1 [(emitZero) = true];
  optional Preconditions preconditions = 2;
  optional bool orphanDependents = 3 [(emitZero) = true];
  optional string propagationPolicy = 4 [(emitZero) = true];
  repeated string dryRun = 5;
  optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6 [(emitZero) = true];
}
message FieldsV1 {
  optional bytes Raw = 1;
}
message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}
message LabelSelectorRequirement {
  optional string key = 1 [(emitZero) = true];
  optional string operator = 2 [(emitZero) = true];
  repeated string values = 3;
}
message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}
message MicroTime {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}
message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(emitZero) = true];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}
message OwnerReference {
  optional string apiVersion = 5 [(emitZero) = true];
  optional string kind = 1 [(emitZero) = true];
  optional string name = 3 [(emitZero) = true];
  optional string uid = 4 [(emitZero) = true];
  optional bool controller = 6 [(emitZero) = true];
  optional bool blockOwnerDeletion = 7 [(emitZero) = true];
}
message Preconditions {
  optional string uid = 1 [(emitZero) = true];
  optional string resourceVersion = 2 [(emitZero) = true];
}
message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}
`;
