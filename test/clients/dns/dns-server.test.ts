import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import dnsPacket from 'dns-packet';
import { KubeClient } from '../../../clients/client/client.js';
import { endpointSlices, namespaces, services } from '../../../clients/client/resources.js';
import type { EndpointSlice, Service } from '../../../clients/client/types.js';
import { runDnsCommand, type RunningDns } from '../../../clients/dns/run-dns.js';
import { DnsServer } from '../../../clients/dns/dns-server.js';
import { silentLogger } from '../../../clients/client/logger.js';
import { dig, type DigResult } from '../../support/dig.js';
import { ServerProcess } from '../../support/server-process.js';

const ns = 'dns';
const zone = 'cluster.local';

function fqdn(name: string): string {
  return `${name}.${ns}.svc.${zone}`;
}

function manualSlice(service: string, name: string, endpoints: Array<{ ip: string; hostname?: string; ready?: boolean }>, ports: Array<{ name: string; port: number }> = []): EndpointSlice {
  return {
    metadata: {
      name,
      namespace: ns,
      labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'test.skiff.dev' },
    },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true },
      ...(e.hostname === undefined ? {} : { hostname: e.hostname }),
    })),
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP' as const })),
  };
}

function values(result: DigResult, type: string): string[] {
  return result.answer.filter((r) => r.type === type).map((r) => r.data).sort();
}

async function pollDig(port: number, args: string[], accept: (result: DigResult) => boolean, limitMs = 10_000): Promise<{ result: DigResult; elapsedMs: number }> {
  const started = performance.now();
  for (;;) {
    const result = await dig(port, args);
    const elapsedMs = performance.now() - started;
    if (accept(result)) return { result, elapsedMs };
    if (elapsedMs > limitMs) assert.fail(`dig ${args.join(' ')} did not give the expected answer within ${limitMs} ms:\n${result.raw}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('skiff dns against a real server, queried with dig', () => {
  let server: ServerProcess;
  let client: KubeClient;
  let dns: RunningDns;
  let port: number;
  let readyLine = '';
  let web: Service;

  before(async () => {
    server = await ServerProcess.start();
    client = new KubeClient({ server: server.url });
    await client.create(namespaces, { metadata: { name: ns } });
    web = await client.create(services, {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
    }, { namespace: ns });
    await client.create(services, { metadata: { name: 'db' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] } }, { namespace: ns });
    await client.create(endpointSlices, manualSlice('db', 'db-1', [
      { ip: '10.244.0.5', hostname: 'db-0' },
      { ip: '10.244.0.6' },
      { ip: '10.244.0.7', ready: false },
    ], [{ name: 'pg', port: 5432 }]), { namespace: ns });
    await client.create(services, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.org' } }, { namespace: ns });
    await client.create(services, { metadata: { name: 'big' }, spec: { clusterIP: 'None' } }, { namespace: ns });
    await client.create(endpointSlices, manualSlice('big', 'big-1', Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.2.${i + 1}` }))), { namespace: ns });

    dns = await runDnsCommand({
      server: server.url,
      listen: '127.0.0.1:0',
      domain: zone,
      ttl: 5,
      logger: silentLogger,
      handleSignals: false,
      stdout: { write: (line: string) => (readyLine += line) },
    });
    port = dns.address.port;
  });
  after(async () => {
    await dns?.stop();
    await client?.close();
    await server?.stop();
  });

  it('prints one ready line with the address', () => {
    assert.equal(readyLine, `skiff dns listening on udp+tcp 127.0.0.1:${port}\n`);
  });

  it('answers A for a ClusterIP service with its ClusterIP, authoritatively, with the configured TTL', async () => {
    const result = await dig(port, [fqdn('web'), 'A']);
    assert.equal(result.status, 'NOERROR');
    assert.ok(result.flags.includes('aa'), result.raw);
    assert.deepEqual(values(result, 'A'), [web.spec?.clusterIP]);
    assert.equal(result.answer[0]?.ttl, 5);
  });

  it('answers NODATA for AAAA of an IPv4-only service', async () => {
    const result = await dig(port, [fqdn('web'), 'AAAA']);
    assert.equal(result.status, 'NOERROR');
    assert.deepEqual(result.answer, []);
    assert.equal(result.authority[0]?.type, 'SOA');
  });

  it('answers a headless service with its ready endpoint addresses', async () => {
    const result = await dig(port, [fqdn('db'), 'A']);
    assert.deepEqual(values(result, 'A'), ['10.244.0.5', '10.244.0.6']);
  });

  it('answers an endpoint hostname record, and a dashed-address record for an endpoint without one', async () => {
    assert.deepEqual(values(await dig(port, [`db-0.${fqdn('db')}`, 'A']), 'A'), ['10.244.0.5']);
    assert.deepEqual(values(await dig(port, [`10-244-0-6.${fqdn('db')}`, 'A']), 'A'), ['10.244.0.6']);
  });

  it('answers SRV for a ClusterIP port, targeting the service, with its A record in the additional section', async () => {
    const result = await dig(port, [`_http._tcp.${fqdn('web')}`, 'SRV']);
    assert.deepEqual(values(result, 'SRV'), [`0 100 80 ${fqdn('web')}.`]);
    assert.deepEqual(result.additional.filter((r) => r.type === 'A').map((r) => `${r.name} ${r.data}`), [`${fqdn('web')}. ${web.spec?.clusterIP}`]);
  });

  it('answers SRV for a headless port with one record per ready endpoint, as CoreDNS names them', async () => {
    const result = await dig(port, [`_pg._tcp.${fqdn('db')}`, 'SRV']);
    assert.deepEqual(values(result, 'SRV'), [`0 50 5432 10-244-0-6.${fqdn('db')}.`, `0 50 5432 db-0.${fqdn('db')}.`]);
    assert.deepEqual(result.additional.filter((r) => r.type === 'A').map((r) => r.data).sort(), ['10.244.0.5', '10.244.0.6']);
  });

  it('answers CNAME for an ExternalName service without chasing it', async () => {
    for (const type of ['A', 'AAAA', 'CNAME']) {
      const result = await dig(port, [fqdn('ext'), type]);
      assert.deepEqual(result.answer.map((r) => `${r.type} ${r.data}`), ['CNAME example.org.'], type);
    }
  });

  it('answers PTR for a ClusterIP and for an endpoint address', async () => {
    assert.deepEqual(values(await dig(port, ['-x', web.spec?.clusterIP ?? '']), 'PTR'), [`${fqdn('web')}.`]);
    assert.deepEqual(values(await dig(port, ['-x', '10.244.0.5']), 'PTR'), [`db-0.${fqdn('db')}.`]);
  });

  it('answers NXDOMAIN with the zone SOA for an unknown name in the domain', async () => {
    const result = await dig(port, [fqdn('nope'), 'A']);
    assert.equal(result.status, 'NXDOMAIN');
    assert.ok(result.flags.includes('aa'));
    assert.deepEqual(result.authority.map((r) => `${r.name} ${r.type}`), [`${zone}. SOA`]);
  });

  it('answers NODATA with the SOA for an existing name without records of the type', async () => {
    const result = await dig(port, [fqdn('web'), 'TXT']);
    assert.equal(result.status, 'NOERROR');
    assert.deepEqual(result.answer, []);
    assert.equal(result.authority[0]?.type, 'SOA');
  });

  it('refuses names outside the domain when no upstream is configured', async () => {
    assert.equal((await dig(port, ['example.org', 'A'])).status, 'REFUSED');
  });

  it('sets TC on an oversized UDP answer, and dig gets it whole over TCP', async () => {
    const truncated = await dig(port, ['+noedns', '+ignore', fqdn('big'), 'A']);
    assert.ok(truncated.flags.includes('tc'), truncated.raw);
    assert.equal(truncated.transport, 'UDP');
    const retried = await dig(port, ['+noedns', fqdn('big'), 'A']);
    assert.ok(retried.retriedOverTcp, retried.raw);
    assert.equal(retried.answer.length, 60);
    const overTcp = await dig(port, ['+tcp', fqdn('big'), 'A']);
    assert.equal(overTcp.transport, 'TCP');
    assert.equal(overTcp.answer.length, 60);
  });

  it('answers several queries sent on one TCP connection', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const ids = [11, 12, 13];
    socket.write(Buffer.concat(ids.map((id) => dnsPacket.streamEncode({ type: 'query', id, questions: [{ name: fqdn('web'), type: 'A' }] }))));
    let buffered = Buffer.alloc(0);
    const replies: number[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const length = buffered.readUInt16BE(0);
          replies.push(dnsPacket.decode(buffered.subarray(2, 2 + length)).id ?? -1);
          buffered = buffered.subarray(2 + length);
        }
        if (replies.length === ids.length) resolve();
      });
    });
    socket.destroy();
    assert.deepEqual(replies.sort(), ids);
  });

  it('answers a change made through the API (measured delay in the diagnostics)', async (t) => {
    await client.create(services, { metadata: { name: 'late' }, spec: { ports: [{ port: 80 }] } }, { namespace: ns });
    const created = await pollDig(port, [fqdn('late'), 'A'], (r) => r.answer.length === 1);
    t.diagnostic(`new Service answered ${created.elapsedMs.toFixed(1)} ms after the API accepted it`);

    await client.patch(endpointSlices, 'db-1', { endpoints: [{ addresses: ['10.244.0.8'], conditions: { ready: true } }] }, { namespace: ns });
    const moved = await pollDig(port, [fqdn('db'), 'A'], (r) => values(r, 'A').join() === '10.244.0.8');
    t.diagnostic(`endpoint change answered after ${moved.elapsedMs.toFixed(1)} ms`);

    await client.delete(services, 'late', { namespace: ns });
    const deleted = await pollDig(port, [fqdn('late'), 'A'], (r) => r.status === 'NXDOMAIN');
    t.diagnostic(`deleted Service gone after ${deleted.elapsedMs.toFixed(1)} ms`);
  });

  it('survives 10,000 random, truncated and malformed UDP packets and still answers dig', async (t) => {
    const socket = dgram.createSocket('udp4');
    let replies = 0;
    socket.on('message', () => replies++);
    const valid = dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: `_pg._tcp.${fqdn('db')}`, type: 'SRV' }] });
    let seed = 20240601;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const packet = (i: number): Buffer => {
      switch (i % 5) {
        case 0: // random bytes of random length
          return Buffer.from(Array.from({ length: random(600) }, () => random(256)));
        case 1: // a valid query cut short
          return valid.subarray(0, random(valid.length));
        case 2: { // a valid query with flipped bytes
          const copy = Buffer.from(valid);
          for (let k = 0; k < 1 + random(6); k++) copy[random(copy.length)] = random(256);
          return copy;
        }
        case 3: { // a header claiming 65535 records of everything
          const copy = Buffer.from(valid);
          copy.writeUInt16BE(0xffff, 4);
          copy.writeUInt16BE(0xffff, 6);
          copy.writeUInt16BE(0xffff, 10);
          return copy;
        }
        default: { // a compression pointer that points at itself
          const copy = Buffer.from(valid.subarray(0, 14));
          copy.writeUInt16BE(0xc00c, 12);
          return copy;
        }
      }
    };
    for (let i = 0; i < 10_000; i++) {
      socket.send(packet(i), port, '127.0.0.1');
      // Yield now and then so the kernel buffers drain instead of dropping everything.
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.close();
    t.diagnostic(`${replies} of 10000 malformed packets got a reply (FORMERR or an answer); the rest were dropped by design (short, or QR set) or by a full socket buffer`);
    const result = await dig(port, [fqdn('web'), 'A']);
    assert.deepEqual(values(result, 'A'), [web.spec?.clusterIP], result.raw);
  });
});

describe('skiff dns with an IPv6 service range', () => {
  let server: ServerProcess;
  let client: KubeClient;
  let dns: DnsServer;

  before(async () => {
    server = await ServerProcess.start({ args: ['--service-cidr', 'fd00:10:96::/112'] });
    client = new KubeClient({ server: server.url });
    dns = new DnsServer({ server: server.url, listen: '127.0.0.1:0' });
    await dns.start();
  });
  after(async () => {
    await dns?.close();
    await client?.close();
    await server?.stop();
  });

  it('answers AAAA with the IPv6 ClusterIP, NODATA for A, and PTR under ip6.arpa', async (t) => {
    const created = await client.create(services, { metadata: { name: 'web6' }, spec: { ports: [{ port: 80 }] } }, { namespace: 'default' });
    const ipv6 = (created.spec?.clusterIPs ?? [created.spec?.clusterIP ?? '']).filter((ip) => ip.includes(':'));
    if (ipv6.length === 0) {
      t.skip(`the server gave no IPv6 ClusterIP (got ${JSON.stringify(created.spec?.clusterIPs)})`);
      return;
    }
    const name = 'web6.default.svc.cluster.local';
    const { result } = await pollDig(dns.address().port, [name, 'AAAA'], (r) => r.answer.length > 0);
    assert.deepEqual(values(result, 'AAAA'), ipv6.sort());
    const a = await dig(dns.address().port, [name, 'A']);
    assert.equal(a.status, 'NOERROR');
    assert.deepEqual(a.answer, []);
    assert.deepEqual(values(await dig(dns.address().port, ['-x', ipv6[0] ?? '']), 'PTR'), [`${name}.`]);
  });
});

describe('skiff dns forwarding to an upstream', () => {
  let server: ServerProcess;
  let upstream: dgram.Socket;
  let silent: dgram.Socket;
  let forwarding: DnsServer;
  let blackholed: DnsServer;

  before(async () => {
    server = await ServerProcess.start();
    // A fake upstream resolver that knows one name.
    upstream = dgram.createSocket('udp4');
    upstream.on('message', (message, remote) => {
      const query = dnsPacket.decode(message);
      const question = query.questions?.[0];
      const known = question?.name === 'example.org';
      upstream.send(dnsPacket.encode({
        type: 'response',
        id: query.id,
        flags: dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
        questions: query.questions,
        answers: known ? [{ type: 'A', name: 'example.org', ttl: 60, data: '192.0.2.1' }] : [],
      }), remote.port, remote.address);
    });
    await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', resolve));
    // An upstream that never answers.
    silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));

    forwarding = new DnsServer({ server: server.url, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.address().port}` });
    blackholed = new DnsServer({ server: server.url, listen: '127.0.0.1:0', upstream: `127.0.0.1:${silent.address().port}`, upstreamTimeoutMs: 300 });
    await forwarding.start();
    await blackholed.start();
  });
  after(async () => {
    await forwarding?.close();
    await blackholed?.close();
    upstream?.close();
    silent?.close();
    await server?.stop();
  });

  it('relays the upstream answer for a name outside the domain', async () => {
    const result = await dig(forwarding.address().port, ['example.org', 'A']);
    assert.equal(result.status, 'NOERROR');
    assert.deepEqual(values(result, 'A'), ['192.0.2.1']);
  });

  it('relays upstream NXDOMAIN for an unknown reverse name', async () => {
    assert.equal((await dig(forwarding.address().port, ['-x', '192.168.77.1'])).status, 'NXDOMAIN');
  });

  it('still answers cluster names itself', async () => {
    assert.equal((await dig(forwarding.address().port, [`nope.${zone}`, 'A'])).status, 'NXDOMAIN');
  });

  it('answers SERVFAIL when the upstream does not answer in time', async () => {
    assert.equal((await dig(blackholed.address().port, ['example.org', 'A'])).status, 'SERVFAIL');
  });
});
