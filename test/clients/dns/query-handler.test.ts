import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Packet } from 'dns-packet';
import { silentLogger } from '../../../clients/client/logger.js';
import { QueryHandler } from '../../../clients/dns/query-handler.js';
import { RecordIndex } from '../../../clients/dns/records.js';
import { headlessService, slice, clusterIPService } from './fixtures.js';

function handler(): QueryHandler {
  const index = new RecordIndex('cluster.local');
  index.upsertService(clusterIPService('default', 'web', '10.96.0.10'));
  index.upsertService(headlessService('default', 'big'));
  const endpoints = Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.1.${i + 1}` }));
  index.upsertEndpointSlice(slice('default', 'big', 'big-1', endpoints));
  return new QueryHandler({ index, ttl: 5, logger: silentLogger });
}

function query(name: string, type: 'A' | 'SRV' = 'A', extra: Partial<Packet> = {}): Buffer {
  return dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], ...extra });
}

function answer(h: QueryHandler, message: Buffer, transport: 'udp' | 'tcp' = 'udp') {
  const reply = h.handle(message, transport);
  assert.ok(Buffer.isBuffer(reply), 'a synchronous reply');
  return dnsPacket.decode(reply);
}

function rcodeOf(packet: { flags?: number }): number {
  return (packet.flags ?? 0) & 0xf;
}

describe('QueryHandler', () => {
  it('answers with the query id, QR, AA and the RD bit copied', () => {
    const reply = answer(handler(), query('web.default.svc.cluster.local'));
    assert.equal(reply.id, 4242);
    assert.equal(reply.type, 'response');
    assert.ok(reply.flag_aa);
    assert.ok(reply.flag_rd);
    assert.deepEqual(reply.answers?.map((a) => a.type === 'A' && a.data), ['10.96.0.10']);
  });

  it('truncates a UDP answer over 512 bytes to header and question with TC set', () => {
    const reply = answer(handler(), query('big.default.svc.cluster.local'));
    assert.ok(reply.flag_tc);
    assert.equal(reply.answers?.length, 0);
    assert.equal(reply.questions?.[0]?.name, 'big.default.svc.cluster.local');
  });

  it('sends the same answer whole over TCP', () => {
    const reply = answer(handler(), query('big.default.svc.cluster.local'), 'tcp');
    assert.ok(!reply.flag_tc);
    assert.equal(reply.answers?.length, 60);
  });

  it('honours a larger EDNS0 payload size and answers with an OPT record', () => {
    const withOpt = query('big.default.svc.cluster.local', 'A', {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    });
    const reply = answer(handler(), withOpt);
    assert.ok(!reply.flag_tc);
    assert.equal(reply.answers?.length, 60);
    assert.ok(reply.additionals?.some((a) => a.type === 'OPT'));
  });

  it('answers FORMERR, echoing the id, when the header is readable but the rest is not', () => {
    const broken = query('web.default.svc.cluster.local').subarray(0, 20);
    const reply = answer(handler(), broken);
    assert.equal(reply.id, 4242);
    assert.equal(rcodeOf(reply), 1);
  });

  it('answers FORMERR for a query with two questions', () => {
    const two = dnsPacket.encode({ type: 'query', id: 7, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] });
    assert.equal(rcodeOf(answer(handler(), two)), 1);
  });

  it('answers NOTIMP for an opcode other than QUERY', () => {
    const update = query('web.default.svc.cluster.local');
    update.writeUInt16BE(update.readUInt16BE(2) | (5 << 11), 2); // opcode 5: UPDATE
    const reply = answer(handler(), update);
    assert.equal(rcodeOf(reply), 4);
  });

  it('drops packets shorter than a header and packets that are responses', () => {
    const h = handler();
    assert.equal(h.handle(Buffer.from([1, 2, 3]), 'udp'), undefined);
    const response = dnsPacket.encode({ type: 'response', id: 1, questions: [{ name: 'web.default.svc.cluster.local', type: 'A' }] });
    assert.equal(h.handle(response, 'udp'), undefined);
  });

  it('refuses names outside the domain when no upstream is set', () => {
    const reply = answer(handler(), query('example.org'));
    assert.equal(rcodeOf(reply), 5);
    assert.ok(!reply.flag_aa);
  });

  it('survives random bytes: every reply, if any, decodes', () => {
    const h = handler();
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256)));
      bytes.length >= 3 && (bytes[2] = (bytes[2] ?? 0) & 0x7f); // mostly queries, to reach the decoder
      const reply = h.handle(bytes, 'udp');
      if (reply === undefined) continue;
      assert.ok(Buffer.isBuffer(reply));
      dnsPacket.decode(reply);
    }
  });
});
