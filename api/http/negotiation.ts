import type { FastifyReply, FastifyRequest } from 'fastify';
import YAML from 'yaml';
import { NotAcceptableError } from '../errors.js';
import { prettyRequested, type Query } from './query-parameters.js';

export type Representation = 'json' | 'yaml' | 'table';

const JSON_TYPE = 'application/json';
const YAML_TYPE = 'application/yaml';

/**
 * Picks the response representation from Accept, in the client's order:
 * a meta.k8s.io Table when asked for (kubectl's human output), YAML, or JSON.
 * Protobuf is never produced; clients that list it also list JSON.
 */
export function representationFor(request: FastifyRequest, tableCapable = false): Representation {
  const accept = request.headers.accept;
  if (!accept) return 'json';
  for (const raw of accept.split(',')) {
    const part = raw.trim().toLowerCase();
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    if (params.includes('as=table')) {
      if (tableCapable && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'))) return 'table';
      continue;
    }
    if (params.some((p) => p.startsWith('as='))) continue;
    if (type === YAML_TYPE || type === 'application/x-yaml' || type === 'text/yaml') return 'yaml';
    if (type === JSON_TYPE || type === 'application/*' || type === '*/*' || type === '*') return 'json';
  }
  if (/application\/(vnd\.kubernetes\.protobuf|json)|\*\/\*/.test(accept)) return 'json';
  throw new NotAcceptableError(`only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io`);
}

/** Sends an object as JSON or YAML. `json` may be pre-serialized text of the same object. */
export function sendObject(request: FastifyRequest, reply: FastifyReply, object: unknown, json?: string): FastifyReply {
  let representation: Representation = 'json';
  try {
    representation = representationFor(request);
  } catch {
    representation = 'json';
  }
  if (representation === 'yaml') {
    const value = json !== undefined ? JSON.parse(json) as unknown : object;
    return reply.type(YAML_TYPE).send(YAML.stringify(value));
  }
  if (prettyRequested((request.query ?? {}) as Query, request.headers['user-agent'])) {
    return reply.type(JSON_TYPE).send(`${JSON.stringify(json !== undefined ? JSON.parse(json) as unknown : object, null, 2)}\n`);
  }
  return reply.type(JSON_TYPE).send(json ?? JSON.stringify(object));
}
