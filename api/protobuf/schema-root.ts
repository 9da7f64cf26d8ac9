import protobuf from 'protobufjs';
import { AUTHENTICATION_V1_PROTO } from './schemas/authentication-v1.js';
import { AUTHORIZATION_V1_PROTO } from './schemas/authorization-v1.js';
import { COORDINATION_V1_PROTO } from './schemas/coordination-v1.js';
import { CORE_V1_PROTO } from './schemas/core-v1.js';
import { DISCOVERY_V1_PROTO } from './schemas/discovery-v1.js';
import { INTSTR_PROTO } from './schemas/intstr.js';
import { META_V1_PROTO } from './schemas/meta-v1.js';
import { RESOURCE_PROTO } from './schemas/resource.js';
import { RBAC_V1_PROTO } from './schemas/rbac-v1.js';
import { RUNTIME_PROTO } from './schemas/runtime.js';

/** Every schema text skiff decodes with; a new API package is one more entry. */
const SCHEMAS: readonly string[] = [
  RUNTIME_PROTO,
  META_V1_PROTO,
  RESOURCE_PROTO,
  INTSTR_PROTO,
  CORE_V1_PROTO,
  DISCOVERY_V1_PROTO,
  COORDINATION_V1_PROTO,
  RBAC_V1_PROTO,
  AUTHENTICATION_V1_PROTO,
  AUTHORIZATION_V1_PROTO,
];

/**
 * Parses the schemas once into one protobufjs Root, with field names kept as
 * written (they are the JSON names) and every type reference resolved, so a
 * typo in a schema fails at startup rather than on the first request.
 */
function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const text of SCHEMAS) protobuf.parse(text, root, { keepCase: true });
  root.resolveAll();
  return root;
}

let root: protobuf.Root | undefined;
const types = new Map<string, protobuf.Type>();

/**
 * The shared Root, parsed on first use rather than at server start: parsing
 * all of core/v1 takes a few hundred milliseconds, which only servers that
 * receive a protobuf body should pay.
 */
export function protobufSchemaRoot(): protobuf.Root {
  root ??= buildRoot();
  return root;
}

/** A message type by its fully qualified name, looked up once. */
export function protobufType(name: string): protobuf.Type {
  let type = types.get(name);
  if (!type) {
    type = protobufSchemaRoot().lookupType(name);
    types.set(name, type);
  }
  return type;
}
