import { BadRequestError } from '../errors.js';

// The protocol-buffers wire format, as far as reading a few known messages
// needs: each field is a (number, wire type) key followed by a varint, a
// fixed-width value or a length-delimited byte run (strings and messages).

export interface WireField {
  number: number;
  /** Set for varints (wire type 0). */
  varint?: bigint;
  /** Set for length-delimited fields (wire type 2): a string, bytes or a nested message. */
  bytes?: Buffer;
}

function malformed(): BadRequestError {
  return new BadRequestError('the body of the request could not be decoded as application/vnd.kubernetes.protobuf');
}

function readVarint(buffer: Buffer, offset: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = offset; i < buffer.length && shift < 70n; i++) {
    const byte = buffer[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    shift += 7n;
  }
  throw malformed();
}

/** The fields of one message, in order; unknown wire types make the body malformed. */
export function readFields(buffer: Buffer): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const key = readVarint(buffer, offset);
    offset = key.next;
    const number = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (wireType === 0) {
      const value = readVarint(buffer, offset);
      fields.push({ number, varint: value.value });
      offset = value.next;
    } else if (wireType === 2) {
      const length = readVarint(buffer, offset);
      const end = length.next + Number(length.value);
      if (end > buffer.length) throw malformed();
      fields.push({ number, bytes: buffer.subarray(length.next, end) });
      offset = end;
    } else if (wireType === 1 || wireType === 5) {
      offset += wireType === 1 ? 8 : 4;
      if (offset > buffer.length) throw malformed();
    } else {
      throw malformed();
    }
  }
  return fields;
}

export function stringField(fields: readonly WireField[], number: number): string | undefined {
  const bytes = fields.find((f) => f.number === number)?.bytes;
  return bytes?.toString('utf8');
}

/** The `k8s\0` envelope (runtime.Unknown): the type it claims and the raw message. */
export function unwrapKubernetesEnvelope(body: Buffer): { apiVersion?: string; kind?: string; raw: Buffer } {
  const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw malformed();
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(unknown.find((f) => f.number === 1)?.bytes ?? Buffer.alloc(0));
  return {
    apiVersion: stringField(typeMeta, 1),
    kind: stringField(typeMeta, 2),
    raw: unknown.find((f) => f.number === 2)?.bytes ?? Buffer.alloc(0),
  };
}
