import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderNftables } from '../../../../../clients/agent/proxy/nftables/nftables-renderer.js';
import { chainNames, chainRules, elements } from './nft-text.js';
import { emptyService, endpoint, nodePortService, servicePort, stickyService, tableOf, webService } from './forwarding-fixtures.js';

describe('renderNftables', () => {
  it('replaces its own table atomically: add, delete, then the whole definition', () => {
    const text = renderNftables(tableOf([webService]));
    assert.match(text, /^add table ip skiff\ndelete table ip skiff\ntable ip skiff \{\n/);
    assert.equal(text.match(/^table /gm)?.length, 1, 'one table, nothing else');
    assert.doesNotMatch(text, /ip6/);
  });

  it('uses the table name it is given', () => {
    const text = renderNftables(tableOf([webService]), { tableName: 'skiff-test' });
    assert.match(text, /^add table ip skiff-test\ndelete table ip skiff-test\ntable ip skiff-test \{/);
  });

  it('hooks prerouting and output for DNAT, postrouting for masquerade, and filter hooks for rejects', () => {
    const text = renderNftables(tableOf([webService]));
    assert.deepEqual(chainRules(text, 'nat-prerouting'), ['jump services']);
    assert.deepEqual(chainRules(text, 'nat-output'), ['jump services']);
    assert.match(text, /chain nat-prerouting \{\n\t\ttype nat hook prerouting priority -100; policy accept;/);
    assert.match(text, /chain nat-output \{\n\t\ttype nat hook output priority -100; policy accept;/);
    assert.match(text, /chain nat-postrouting \{\n\t\ttype nat hook postrouting priority 100; policy accept;/);
    for (const hook of ['input', 'forward', 'output']) {
      assert.deepEqual(chainRules(text, `filter-${hook}`), ['ct state new jump endpoints-check']);
    }
    assert.deepEqual(chainRules(text, 'mark-for-masquerade'), ['meta mark set meta mark | 0x4000']);
    assert.deepEqual(chainRules(text, 'masquerading'), ['meta mark & 0x4000 == 0 return', 'meta mark set meta mark ^ 0x4000', 'masquerade fully-random']);
  });

  it('sends a ClusterIP with two endpoints to a random one of them', () => {
    const text = renderNftables(tableOf([webService]));
    assert.deepEqual(chainRules(text, 'services'), [
      'ip daddr . meta l4proto . th dport vmap @service-ips',
      'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
    ]);
    assert.deepEqual(elements(text, 'service-ips'), ['10.96.0.10 . tcp . 80 : goto dispatch-2']);
    assert.deepEqual(elements(text, 'service-endpoints-tcp'), ['10.96.0.10 . 80 . 0 : 10.244.1.5 . 8080', '10.96.0.10 . 80 . 1 : 10.244.2.5 . 8080']);
    assert.ok(chainRules(text, 'dispatch-2')?.includes('meta l4proto tcp dnat ip to ip daddr . tcp dport . numgen random mod 2 map @service-endpoints-tcp'));
    assert.deepEqual(elements(text, 'no-endpoint-services'), []);
  });

  it('masquerades hairpin traffic: an endpoint that reaches itself through the Service', () => {
    const text = renderNftables(tableOf([webService]));
    assert.deepEqual(elements(text, 'hairpin'), ['10.244.1.5 . 10.244.1.5', '10.244.2.5 . 10.244.2.5']);
    assert.ok(chainRules(text, 'nat-postrouting')?.includes('ct status dnat ip saddr . ip daddr @hairpin masquerade'));
  });

  it('captures a NodePort on the node addresses and masquerades it', () => {
    const text = renderNftables(tableOf([nodePortService], ['10.250.0.11', '10.250.0.12']));
    assert.deepEqual(elements(text, 'nodeport-ips'), ['10.250.0.11', '10.250.0.12']);
    assert.deepEqual(elements(text, 'service-nodeports'), ['tcp . 30080 : goto nodeport-dispatch-2']);
    assert.deepEqual(elements(text, 'nodeport-endpoints-tcp'), ['30080 . 0 : 10.244.1.6 . 8080', '30080 . 1 : 10.244.2.6 . 8080']);
    const rules = chainRules(text, 'nodeport-dispatch-2');
    assert.equal(rules?.[0], 'jump mark-for-masquerade');
    assert.ok(rules?.includes('meta l4proto tcp dnat ip to tcp dport . numgen random mod 2 map @nodeport-endpoints-tcp'));
    // The ClusterIP of a NodePort Service works as any other.
    assert.deepEqual(elements(text, 'service-ips'), ['10.96.0.20 . tcp . 80 : goto dispatch-2']);
  });

  it('captures NodePorts on every local address (but loopback) when the node addresses are unknown', () => {
    const text = renderNftables(tableOf([nodePortService], []));
    assert.ok(chainRules(text, 'services')?.includes('fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports'));
    assert.deepEqual(elements(text, 'nodeport-ips'), []);
  });

  it('rejects at once, in a filter chain, a Service with no ready endpoint (ClusterIP and NodePort)', () => {
    const text = renderNftables(tableOf([emptyService]));
    assert.deepEqual(elements(text, 'no-endpoint-services'), ['10.96.0.30 . tcp . 80 comment "default/empty" : goto reject-chain']);
    assert.deepEqual(elements(text, 'no-endpoint-nodeports'), ['tcp . 30081 comment "default/empty" : goto reject-chain']);
    assert.deepEqual(chainRules(text, 'reject-chain'), ['meta l4proto tcp reject with tcp reset', 'reject']);
    assert.deepEqual(chainRules(text, 'endpoints-check'), [
      'ip daddr . meta l4proto . th dport vmap @no-endpoint-services',
      'ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports',
    ]);
    assert.deepEqual(elements(text, 'service-ips'), [], 'nothing to DNAT to');
    assert.deepEqual(elements(text, 'service-nodeports'), []);
  });

  it('remembers a ClientIP-affinity client per endpoint, for the Service timeout', () => {
    const text = renderNftables(tableOf([stickyService]));
    const [serviceElement] = elements(text, 'service-ips') ?? [];
    const serviceChain = /goto (service-\S+)$/.exec(serviceElement ?? '')?.[1] ?? '';
    assert.ok(serviceChain.startsWith('service-') && serviceChain.endsWith('-default/sticky/tcp/80'), serviceElement);
    const rules = chainRules(text, serviceChain) ?? [];
    assert.equal(rules.length, 3);
    const endpointChains = rules.slice(0, 2).map((rule) => {
      const match = /^ip saddr @(affinity-\S+) goto (endpoint-\S+)$/.exec(rule);
      assert.ok(match, rule);
      assert.equal(match[1]!.slice('affinity-'.length), match[2]!.slice('endpoint-'.length));
      return match[2]!;
    });
    assert.equal(rules[2], `numgen random mod 2 vmap { 0 : goto ${endpointChains[0]}, 1 : goto ${endpointChains[1]} }`);
    const first = endpointChains[0]!;
    const set = `affinity-${first.slice('endpoint-'.length)}`;
    assert.match(text, new RegExp(`set ${set.replaceAll('.', '\\.').replaceAll('/', '\\/')} \\{ type ipv4_addr; flags dynamic,timeout; timeout 600s; \\}`));
    assert.deepEqual(chainRules(text, first), [`update @${set} { ip saddr }`, 'meta l4proto tcp dnat to 10.244.1.7:8080']);
    assert.ok(first.endsWith('-default/sticky/tcp/80__10.244.1.7/8080'), first);
  });

  it('keeps the client address under externalTrafficPolicy Local and drops when this node has no endpoint', () => {
    const local = servicePort({
      service: 'local',
      clusterIPs: ['10.96.0.50'],
      nodePort: 30050,
      externalTrafficPolicy: 'Local',
      endpoints: [endpoint('10.244.2.9')],
    });
    const text = renderNftables(tableOf([local]));
    assert.deepEqual(elements(text, 'no-endpoint-nodeports'), ['tcp . 30050 comment "default/local" : drop']);
    const [nodePortElement] = elements(text, 'service-nodeports') ?? [];
    const external = /goto (external-\S+)$/.exec(nodePortElement ?? '')?.[1] ?? '';
    const rules = chainRules(text, external) ?? [];
    assert.equal(rules[0], 'fib saddr type local jump mark-for-masquerade');
    assert.match(rules[1] ?? '', /^fib saddr type local goto service-/);
    assert.equal(rules.length, 2, 'no local endpoint, no goto local-…');
  });

  it('leaves nothing of a removed Service behind', () => {
    const before = renderNftables(tableOf([webService, stickyService, emptyService]));
    const after = renderNftables(tableOf([webService]));
    assert.match(before, /sticky/);
    for (const trace of ['sticky', '10.96.0.40', '10.244.1.7', '10.244.2.7', 'empty', '10.96.0.30', '30081']) {
      assert.ok(!after.includes(trace), `${trace} is gone`);
    }
    assert.deepEqual(chainNames(after).filter((name) => name.startsWith('service-') || name.startsWith('endpoint-')), []);
  });

  it('adds an ip6 table only for IPv6 ClusterIPs, with its own addresses', () => {
    const dual = servicePort({
      service: 'dual',
      clusterIPs: ['10.96.0.60', 'fd00:96::60'],
      endpoints: [endpoint('10.244.1.8'), endpoint('fd00:244::8')],
    });
    const text = renderNftables(tableOf([dual], ['10.250.0.11', 'fd00:250::11']));
    const [v4, v6] = text.split('add table ip6 skiff\n');
    assert.ok(v6 !== undefined, 'an ip6 table');
    assert.deepEqual(elements(v4!, 'service-endpoints-tcp'), ['10.96.0.60 . 80 . 0 : 10.244.1.8 . 8080']);
    assert.deepEqual(elements(v6, 'service-endpoints-tcp'), ['fd00:96::60 . 80 . 0 : fd00:244::8 . 8080']);
    assert.deepEqual(elements(v6, 'nodeport-ips'), ['fd00:250::11']);
    assert.ok(chainRules(v6, 'dispatch-1')?.includes('meta l4proto tcp dnat ip6 to ip6 daddr . tcp dport . numgen random mod 1 map @service-endpoints-tcp'));
  });

  it('derives valid, bounded identifiers from any Service port id', () => {
    const odd = servicePort({
      service: `s${'x'.repeat(62)}`,
      namespace: `n${'y'.repeat(62)}`,
      portName: 'Weird:Name',
      clusterIPs: ['10.96.0.70'],
      affinityTimeoutSeconds: 10,
      endpoints: [endpoint('10.244.1.9')],
    });
    const text = renderNftables(tableOf([odd]));
    for (const name of chainNames(text)) {
      assert.match(name, /^[A-Za-z_.][A-Za-z0-9_./-]*$/, name);
      assert.ok(name.length <= 255, name);
    }
    assert.doesNotMatch(text, /Weird:Name/);
  });

  it('uses the UDP endpoint map for a UDP port', () => {
    const dns = servicePort({ service: 'dns', protocol: 'UDP', port: 53, clusterIPs: ['10.96.0.53'], endpoints: [endpoint('10.244.1.10', 53)] });
    const text = renderNftables(tableOf([dns]));
    assert.deepEqual(elements(text, 'service-ips'), ['10.96.0.53 . udp . 53 : goto dispatch-1']);
    assert.deepEqual(elements(text, 'service-endpoints-udp'), ['10.96.0.53 . 53 . 0 : 10.244.1.10 . 53']);
  });
});
