// The k8s.io.apimachinery.pkg.api.resource messages (upstream apimachinery pkg/api/resource) that the kinds skiff serves contain.
// Field options (inline), (emitZero): see ../README.md.
export const RESOURCE_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`;
