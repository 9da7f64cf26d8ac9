// The k8s.io.api.coordination.v1 messages (upstream coordination/v1) that the kinds skiff serves contain.
// Field options (inline), (emitZero): see ../README.md.
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
