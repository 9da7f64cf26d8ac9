// Messages of the k8s.io.api.coordination.v1 protobuf package (upstream coordination/v1), for every
// message the kinds skiff serves can contain. Field numbers and wire types are
// upstream's published ones; field names are the JSON names of the Go tags.
// Options, read by ../json-mapping.ts:
//   (inline)   the message's fields are embedded in the parent's JSON object
//   (emitZero) a scalar whose zero value still appears in JSON (a pointer, or no omitempty)
// Scalars without (emitZero) are dropped from JSON when zero, as Go's omitempty does.
export const COORDINATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.coordination.v1;

message Lease {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional LeaseSpec spec = 2;
}
message LeaseSpec {
  optional string holderIdentity = 1 [(emitZero) = true];
  optional int32 leaseDurationSeconds = 2 [(emitZero) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime acquireTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime renewTime = 4;
  optional int32 leaseTransitions = 5 [(emitZero) = true];
  optional string strategy = 6 [(emitZero) = true];
  optional string preferredHolder = 7 [(emitZero) = true];
}
`;
