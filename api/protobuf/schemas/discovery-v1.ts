// The k8s.io.api.discovery.v1 messages (upstream discovery/v1) that the kinds skiff serves contain.
// Field options (inline), (emitZero): see ../README.md.
export const DISCOVERY_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.discovery.v1;

message Endpoint {
  repeated string addresses = 1;
  optional EndpointConditions conditions = 2;
  optional string hostname = 3 [(emitZero) = true];
  optional .k8s.io.api.core.v1.ObjectReference targetRef = 4;
  map<string, string> deprecatedTopology = 5;
  optional string nodeName = 6 [(emitZero) = true];
  optional string zone = 7 [(emitZero) = true];
  optional EndpointHints hints = 8;
}
message EndpointConditions {
  optional bool ready = 1 [(emitZero) = true];
  optional bool serving = 2 [(emitZero) = true];
  optional bool terminating = 3 [(emitZero) = true];
}
message EndpointHints {
  repeated ForZone forZones = 1;
  repeated ForNode forNodes = 2;
}
message EndpointPort {
  optional string name = 1 [(emitZero) = true];
  optional string protocol = 2 [(emitZero) = true];
  optional int32 port = 3 [(emitZero) = true];
  optional string appProtocol = 4 [(emitZero) = true];
}
message EndpointSlice {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional string addressType = 4 [(emitZero) = true];
  repeated Endpoint endpoints = 2;
  repeated EndpointPort ports = 3;
}
message ForNode {
  optional string name = 1 [(emitZero) = true];
}
message ForZone {
  optional string name = 1 [(emitZero) = true];
}
`;
