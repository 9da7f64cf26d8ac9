// The k8s.io.api.authentication.v1 messages kubectl sends: TokenRequest (`kubectl create token`)
// and SelfSubjectReview (`kubectl auth whoami`). Fields skiff does not read (attestations,
// user extra) are left out and so dropped. Field options: see ../README.md.
export const AUTHENTICATION_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.authentication.v1;

message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uid = 4;
}
message SelfSubjectReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
}
message TokenRequest {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenRequestSpec spec = 2;
}
message TokenRequestSpec {
  repeated string audiences = 1;
  optional BoundObjectReference boundObjectRef = 3;
  optional int64 expirationSeconds = 4 [(emitZero) = true];
}
`;
