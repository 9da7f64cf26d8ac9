import protobuf from 'protobufjs';
import { BadRequestError } from '../errors.js';
import { messageFromJson, messageToJson } from './json-mapping.js';
import { messageForKind } from './kind-messages.js';
import { protobufType } from './schema-root.js';

/** The media type of Kubernetes protobuf bodies. */
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Every Kubernetes protobuf body starts with these four bytes: "k8s" and a NUL. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';

function decodeWith(type: protobuf.Type, bytes: Uint8Array, what: string): Record<string, unknown> {
  try {
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (error) {
    // protobufjs reports a cut-off body as "index out of range" and a bad tag as "invalid wire type".
    throw new BadRequestError(`the body of the request could not be decoded as ${what}: ${(error as Error).message}`);
  }
}

/**
 * Decodes a Kubernetes protobuf body (magic, runtime.Unknown, then the kind's
 * message) into the JSON object a JSON body of the same object would be,
 * apiVersion and kind included, so it takes the same path through the server.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || !MAGIC.equals(body.subarray(0, MAGIC.length))) {
    throw new BadRequestError(`the body of the request could not be decoded: ${KUBERNETES_PROTOBUF} bodies start with the bytes "k8s\\x00", and this one does not`);
  }
  const unknown = decodeWith(protobufType(UNKNOWN), body.subarray(MAGIC.length), 'a runtime.Unknown envelope');
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  if (kind === '') throw new BadRequestError('Object \'Kind\' is missing in the protobuf envelope of the request body');
  const contentEncoding = String(unknown.contentEncoding ?? '');
  if (contentEncoding !== '') throw new BadRequestError(`the protobuf envelope's content encoding "${contentEncoding}" is not supported; send the message uncompressed`);
  const contentType = String(unknown.contentType ?? '');
  if (contentType !== '' && contentType !== KUBERNETES_PROTOBUF) {
    throw new BadRequestError(`the protobuf envelope holds content of type "${contentType}"; only ${KUBERNETES_PROTOBUF} is supported inside it`);
  }
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) {
    throw new BadRequestError(`the object provided is unrecognized: no kind "${kind}" is registered for version "${apiVersion}" in skiff's protobuf decoder`);
  }
  const type = protobufType(messageName);
  const raw = (unknown.raw as Uint8Array | undefined) ?? new Uint8Array();
  const object = messageToJson(type, decodeWith(type, raw, `a ${apiVersion} ${kind}`)) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}

/** Encodes a JSON object of a kind in the table the way client-go does: magic, then runtime.Unknown. */
export function encodeKubernetesProtobuf(object: Record<string, unknown>): Buffer {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) throw new Error(`no protobuf message for ${apiVersion} ${kind}`);
  const type = protobufType(messageName);
  const raw = type.encode(type.fromObject(messageFromJson(type, object))).finish();
  const unknownType = protobufType(UNKNOWN);
  const unknown = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, unknown]);
}
