import type { Answer } from 'dns-packet';
import { normalizeName } from './names.js';
import type { RecordIndex } from './records.js';
import type { NameRecords } from './service-records.js';
import { servedZoneOf, soaRecord } from './zone.js';

export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;
export type Rcode = (typeof Rcode)[keyof typeof Rcode];

/**
 * A question as decoded off the wire. `type` is a string rather than
 * dns-packet's RecordType union: decoding also yields `ANY` and `UNKNOWN_<n>`.
 */
export interface Query {
  name: string;
  type: string;
  class?: string;
}

export interface Resolution {
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** False outside every served zone. */
  authoritative: boolean;
  /** An upstream, when configured, answers this question instead (names we do not serve, unknown reverse names). */
  forwardable: boolean;
}

/**
 * Answers one question from the index: the whole DNS policy, with no sockets
 * and no wire format, so every rule has a table test.
 */
export function resolveQuestion(question: Query, index: RecordIndex, ttl: number): Resolution {
  const qclass = question.class ?? 'IN';
  if (qclass !== 'IN' && qclass !== 'ANY') return refusal(false);
  const name = normalizeName(question.name);
  const zone = servedZoneOf(name, index.zone);
  if (zone === undefined) return refusal(true);
  const soa = soaRecord(zone.name, index.zone, ttl, index.version);
  return zone.kind === 'cluster'
    ? resolveClusterName(question, name, index, ttl, soa)
    : resolveReverseName(question, name, index, ttl, soa);
}

function resolveClusterName(question: Query, name: string, index: RecordIndex, ttl: number, soa: Answer): Resolution {
  if (name === index.zone) {
    return question.type === 'SOA' || question.type === 'ANY' ? positive([{ ...soa, name: question.name }], []) : nodata(soa);
  }
  const records = index.lookup(name);
  if (records === undefined) return isStructuralName(name, index) ? nodata(soa) : nxdomain(soa, false);
  if (records.cname !== undefined) {
    return positive([{ type: 'CNAME', name: question.name, class: 'IN', ttl, data: records.cname }], []);
  }
  const answers = addressAnswers(question, records, ttl);
  const additionals: Answer[] = [];
  if (question.type === 'SRV' || question.type === 'ANY') {
    const targets = new Set<string>();
    for (const srv of records.srv) {
      answers.push({
        type: 'SRV',
        name: question.name,
        class: 'IN',
        ttl,
        data: { priority: srv.priority, weight: srv.weight, port: srv.port, target: srv.target },
      });
      targets.add(srv.target);
    }
    for (const target of targets) {
      const targetRecords = index.lookup(target);
      if (targetRecords !== undefined) additionals.push(...addressAnswers({ name: target, type: 'ANY' }, targetRecords, ttl));
    }
  }
  return answers.length === 0 ? nodata(soa) : positive(answers, additionals);
}

function resolveReverseName(question: Query, name: string, index: RecordIndex, ttl: number, soa: Answer): Resolution {
  const targets = index.lookupPtr(name);
  if (targets === undefined) return nxdomain(soa, true);
  if (question.type !== 'PTR' && question.type !== 'ANY') return nodata(soa);
  return positive(
    targets.map((target) => ({ type: 'PTR', name: question.name, class: 'IN', ttl, data: target })),
    [],
  );
}

function addressAnswers(question: Query, records: NameRecords, ttl: number): Answer[] {
  const answers: Answer[] = [];
  if (question.type === 'A' || question.type === 'ANY') {
    for (const address of records.a) answers.push({ type: 'A', name: question.name, class: 'IN', ttl, data: address });
  }
  if (question.type === 'AAAA' || question.type === 'ANY') {
    for (const address of records.aaaa) answers.push({ type: 'AAAA', name: question.name, class: 'IN', ttl, data: address });
  }
  return answers;
}

// `svc.<zone>` always exists; `<ns>.svc.<zone>` exists while the namespace has Services.
function isStructuralName(name: string, index: RecordIndex): boolean {
  const svcZone = `svc.${index.zone}`;
  if (name === svcZone) return true;
  if (!name.endsWith(`.${svcZone}`)) return false;
  const namespace = name.slice(0, -svcZone.length - 1);
  return !namespace.includes('.') && index.hasNamespace(namespace);
}

function positive(answers: Answer[], additionals: Answer[]): Resolution {
  return { rcode: Rcode.NOERROR, answers, authorities: [], additionals, authoritative: true, forwardable: false };
}

function nodata(soa: Answer): Resolution {
  return { rcode: Rcode.NOERROR, answers: [], authorities: [soa], additionals: [], authoritative: true, forwardable: false };
}

function nxdomain(soa: Answer, forwardable: boolean): Resolution {
  return { rcode: Rcode.NXDOMAIN, answers: [], authorities: [soa], additionals: [], authoritative: true, forwardable };
}

function refusal(forwardable: boolean): Resolution {
  return { rcode: Rcode.REFUSED, answers: [], authorities: [], additionals: [], authoritative: false, forwardable };
}
