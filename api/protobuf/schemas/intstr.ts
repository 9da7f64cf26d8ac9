// Messages of the k8s.io.apimachinery.pkg.util.intstr protobuf package (upstream apimachinery pkg/util/intstr), for every
// message the kinds skiff serves can contain. Field numbers and wire types are
// upstream's published ones; field names are the JSON names of the Go tags.
// Options, read by ../json-mapping.ts:
//   (inline)   the message's fields are embedded in the parent's JSON object
//   (emitZero) a scalar whose zero value still appears in JSON (a pointer, or no omitempty)
// Scalars without (emitZero) are dropped from JSON when zero, as Go's omitempty does.
export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;
