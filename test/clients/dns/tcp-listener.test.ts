import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { silentLogger } from '../../../clients/client/logger.js';
import { QueryHandler } from '../../../clients/dns/query-handler.js';
import { RecordIndex } from '../../../clients/dns/records.js';
import { TcpListener } from '../../../clients/dns/tcp-listener.js';
import { clusterIPService } from './fixtures.js';

function framedQuery(id: number, name: string): Buffer {
  return dnsPacket.streamEncode({ type: 'query', id, questions: [{ name, type: 'A' }] });
}

/** Connects, writes the given pieces with a pause between them, and collects `count` framed replies. */
async function exchange(port: number, pieces: Buffer[], count: number): Promise<Array<{ id: number; answers: string[] }>> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies: Array<{ id: number; answers: string[] }> = [];
  const done = new Promise<void>((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const packet = dnsPacket.decode(buffered.subarray(2, 2 + length));
        replies.push({ id: packet.id ?? -1, answers: (packet.answers ?? []).map((a) => (a.type === 'A' ? a.data : a.type)) });
        buffered = buffered.subarray(2 + length);
      }
      if (replies.length >= count) resolve();
    });
  });
  for (const piece of pieces) {
    socket.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await done;
  socket.destroy();
  return replies;
}

describe('TcpListener', () => {
  let listener: TcpListener;
  let port: number;

  before(async () => {
    const index = new RecordIndex('cluster.local');
    index.upsertService(clusterIPService('default', 'web', '10.96.0.10'));
    listener = new TcpListener(new QueryHandler({ index, ttl: 5, logger: silentLogger }), silentLogger);
    port = await listener.listen('127.0.0.1', 0);
  });
  after(() => listener.close());

  it('reassembles a query whose length prefix and body arrive in separate pieces', async () => {
    const bytes = framedQuery(7, 'web.default.svc.cluster.local');
    const pieces = [bytes.subarray(0, 1), bytes.subarray(1, 5), bytes.subarray(5)];
    assert.deepEqual(await exchange(port, pieces, 1), [{ id: 7, answers: ['10.96.0.10'] }]);
  });

  it('answers every query of several packed into one write', async () => {
    const packed = Buffer.concat([1, 2, 3].map((id) => framedQuery(id, 'web.default.svc.cluster.local')));
    const replies = await exchange(port, [packed], 3);
    assert.deepEqual(replies.map((r) => r.id).sort(), [1, 2, 3]);
  });

  it('answers FORMERR for a garbage frame and keeps the connection for the next query', async () => {
    const garbage = Buffer.from([0x00, 0x0e, 0x00, 0x09, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff]);
    const replies = await exchange(port, [garbage, framedQuery(8, 'web.default.svc.cluster.local')], 2);
    assert.deepEqual(replies.map((r) => r.id), [9, 8]);
  });
});
