// The k8s.io.apimachinery.pkg.runtime messages that wrap every Kubernetes
// protobuf body: after the 4-byte magic comes an Unknown whose typeMeta names
// the kind and whose raw holds that kind's message. Field numbers are
// upstream's (apimachinery pkg/runtime).
export const RUNTIME_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;
