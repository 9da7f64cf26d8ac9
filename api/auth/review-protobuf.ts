import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.js';

// kubectl sends its access and self-subject reviews only as Kubernetes
// protobuf (`k8s\0` + runtime.Unknown{typeMeta, raw}). These reviews carry a
// handful of string fields, so they are decoded here into the JSON shape the
// routes take; field numbers are those of k8s.io/api's generated.proto.

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, Uint8Array[]>;

/** The length-delimited fields of one message, by number; other wire types are skipped. */
function fields(bytes: Uint8Array): Fields {
  const reader = new BinaryReader(bytes);
  const out: Fields = new Map();
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (wireType === WireType.LengthDelimited) {
      const value = reader.bytes();
      const list = out.get(number);
      if (list) list.push(value);
      else out.set(number, [value]);
    } else {
      reader.skip(wireType, number);
    }
  }
  return out;
}

const decoder = new TextDecoder();
const text = (f: Fields, n: number): string | undefined => {
  const value = f.get(n)?.[0];
  return value === undefined ? undefined : decoder.decode(value);
};
const message = (f: Fields, n: number): Fields | undefined => {
  const value = f.get(n)?.[0];
  return value === undefined ? undefined : fields(value);
};

function strings(f: Fields, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = text(f, i + 1);
    if (value) out[name] = value;
  });
  return out;
}

function accessReviewSpec(spec: Fields | undefined, withSubject: boolean): Record<string, unknown> {
  if (!spec) return {};
  const out: Record<string, unknown> = {};
  const resource = message(spec, 1);
  if (resource) out.resourceAttributes = strings(resource, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']);
  const nonResource = message(spec, 2);
  if (nonResource) out.nonResourceAttributes = strings(nonResource, ['path', 'verb']);
  if (withSubject) {
    const user = text(spec, 3);
    if (user) out.user = user;
    const groups = (spec.get(4) ?? []).map((value) => decoder.decode(value));
    if (groups.length > 0) out.groups = groups;
    const uid = text(spec, 6);
    if (uid) out.uid = uid;
  }
  return out;
}

/** Decodes a review sent as application/vnd.kubernetes.protobuf into its JSON form. */
export function decodeReviewProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new UnsupportedMediaTypeError('the body of the request was in an unknown format - the protobuf envelope is missing');
  }
  try {
    const unknown = fields(body.subarray(MAGIC.length));
    const typeMeta = message(unknown, 1);
    const apiVersion = typeMeta ? text(typeMeta, 1) : undefined;
    const kind = typeMeta ? text(typeMeta, 2) : undefined;
    const raw = unknown.get(2)?.[0];
    const object = raw ? fields(raw) : new Map<number, Uint8Array[]>();
    const decoded: Record<string, unknown> = { apiVersion, kind, metadata: {} };
    if (kind === 'SelfSubjectAccessReview') decoded.spec = accessReviewSpec(message(object, 2), false);
    else if (kind === 'SubjectAccessReview') decoded.spec = accessReviewSpec(message(object, 2), true);
    return decoded;
  } catch (error) {
    throw new BadRequestError(`the body of the request could not be decoded as protobuf: ${(error as Error).message}`);
  }
}
