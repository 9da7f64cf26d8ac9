import dnsPacket, { type Answer, type DecodedPacket, type OptAnswer, type Packet, type Question } from 'dns-packet';
import type { Logger } from '../client/logger.js';
import type { RecordIndex } from './records.js';
import { Rcode, resolveQuestion, type Resolution } from './resolver.js';
import type { UdpForwarder } from './upstream.js';

export type Transport = 'udp' | 'tcp';

/** A reply now, a reply later (forwarded queries), or nothing (dropped). */
export type HandleResult = Buffer | Promise<Buffer | undefined> | undefined;

export interface QueryHandlerOptions {
  index: RecordIndex;
  ttl: number;
  forwarder?: UdpForwarder;
  logger: Logger;
}

const HEADER_BYTES = 12;
const FLAG_QR = 0x8000;
const OPCODE_QUERY = 0;
/** Without EDNS0 a UDP answer must fit in 512 bytes (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;
/** The largest IPv4 UDP payload; a client may advertise more than can be sent. */
const MAX_UDP_PAYLOAD = 65507;
/** What we advertise back: the DNS flag day 2020 recommendation. */
const ADVERTISED_UDP_PAYLOAD = 1232;

/**
 * Turns query bytes into reply bytes: decode, resolve, encode, truncate. Every
 * failure mode of untrusted input ends here as FORMERR or a dropped packet,
 * never as an exception that reaches a socket handler.
 */
export class QueryHandler {
  private readonly index: RecordIndex;
  private readonly ttl: number;
  private readonly forwarder: UdpForwarder | undefined;
  private readonly logger: Logger;

  constructor(options: QueryHandlerOptions) {
    this.index = options.index;
    this.ttl = options.ttl;
    this.forwarder = options.forwarder;
    this.logger = options.logger;
  }

  handle(message: Buffer, transport: Transport): HandleResult {
    if (message.length < HEADER_BYTES) return undefined;
    // Never answer a response: two servers pointed at each other would loop.
    if ((message.readUInt16BE(2) & FLAG_QR) !== 0) return undefined;

    // A query has exactly one question (RFC 9619). Checked on the header
    // before decoding: dns-packet allocates an array per section sized by the
    // header's counts, so a 50-byte packet claiming 65535 records would cost
    // a millisecond of CPU each — an easy amplification.
    if (message.readUInt16BE(4) !== 1 || !countsFit(message)) return this.headerOnlyReply(message, Rcode.FORMERR);

    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch (error) {
      this.logger.debug({ err: error, bytes: message.length, transport }, 'malformed DNS query');
      return this.headerOnlyReply(message, Rcode.FORMERR);
    }
    const opcode = (message.readUInt16BE(2) >> 11) & 0xf;
    if (opcode !== OPCODE_QUERY) return this.headerOnlyReply(message, Rcode.NOTIMP);
    const question = query.questions?.[0];
    if (question === undefined || !isEncodableName(question.name)) return this.headerOnlyReply(message, Rcode.FORMERR);

    const opt = query.additionals?.find((record): record is OptAnswer => record.type === 'OPT');
    const resolution = resolveQuestion(question, this.index, this.ttl);
    if (resolution.forwardable && this.forwarder !== undefined) {
      return this.forwarder.forward(message).catch((error: unknown) => {
        this.logger.debug({ err: error, name: question.name }, 'upstream did not answer');
        return this.encodeReply(query, question, opt, failure(Rcode.SERVFAIL), transport);
      });
    }
    return this.encodeReply(query, question, opt, resolution, transport);
  }

  private encodeReply(
    query: DecodedPacket,
    question: Question,
    opt: OptAnswer | undefined,
    resolution: Resolution,
    transport: Transport,
  ): Buffer | undefined {
    const flags =
      (resolution.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
      (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) |
      (this.forwarder !== undefined ? dnsPacket.RECURSION_AVAILABLE : 0) |
      resolution.rcode;
    const ednsReply: Answer[] = opt === undefined ? [] : [replyOpt()];
    const reply: Packet = {
      type: 'response',
      id: query.id,
      flags,
      questions: [question],
      answers: resolution.answers,
      authorities: resolution.authorities,
      additionals: [...resolution.additionals, ...ednsReply],
    };
    try {
      const limit = transport === 'udp' ? udpLimit(opt) : 65535;
      if (dnsPacket.encodingLength(reply) > limit) {
        // RFC 2181 §9: drop the sections and set TC; the client retries over TCP.
        return dnsPacket.encode({
          type: 'response',
          id: query.id,
          flags: flags | dnsPacket.TRUNCATED_RESPONSE,
          questions: [question],
          additionals: ednsReply,
        });
      }
      return dnsPacket.encode(reply);
    } catch (error) {
      this.logger.debug({ err: error, name: question.name }, 'could not encode DNS reply');
      return undefined;
    }
  }

  // FORMERR/NOTIMP for a query we could not (or will not) parse: echo the id,
  // opcode and RD bit, nothing else (RFC 1035 §4.1.1).
  private headerOnlyReply(message: Buffer, rcode: Rcode): Buffer | undefined {
    const header = message.readUInt16BE(2);
    try {
      return dnsPacket.encode({
        type: 'response',
        id: message.readUInt16BE(0),
        flags: (header & 0x7800) | (header & dnsPacket.RECURSION_DESIRED) | rcode,
      });
    } catch {
      return undefined;
    }
  }
}

// The smallest question is 5 bytes (root name, type, class); the smallest
// record 11 (root name, type, class, TTL, rdlength).
function countsFit(message: Buffer): boolean {
  const questions = message.readUInt16BE(4);
  const records = message.readUInt16BE(6) + message.readUInt16BE(8) + message.readUInt16BE(10);
  return HEADER_BYTES + questions * 5 + records * 11 <= message.length;
}

function failure(rcode: Rcode): Resolution {
  return { rcode, answers: [], authorities: [], additionals: [], authoritative: false, forwardable: false };
}

function replyOpt(): OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: ADVERTISED_UDP_PAYLOAD,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}

function udpLimit(opt: OptAnswer | undefined): number {
  if (opt === undefined) return CLASSIC_UDP_LIMIT;
  return Math.min(MAX_UDP_PAYLOAD, Math.max(CLASSIC_UDP_LIMIT, opt.udpPayloadSize || CLASSIC_UDP_LIMIT));
}

// A decoded name must survive re-encoding unchanged: labels of 1–63 bytes and
// 255 bytes in all (RFC 1035 §2.3.4). Garbage bytes decoded as U+FFFD could
// otherwise grow a label past 63 and corrupt the echoed question.
function isEncodableName(name: string): boolean {
  if (name === '.') return true;
  if (Buffer.byteLength(name) > 253) return false;
  for (const label of name.split('.')) {
    const bytes = Buffer.byteLength(label);
    if (bytes === 0 || bytes > 63) return false;
  }
  return true;
}
