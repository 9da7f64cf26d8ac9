// The k8s.io.apimachinery.pkg.util.intstr messages (upstream apimachinery pkg/util/intstr) that the kinds skiff serves contain.
// Field options (inline), (emitZero): see ../README.md.
export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;
