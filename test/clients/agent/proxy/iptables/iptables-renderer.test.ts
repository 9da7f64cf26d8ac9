import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChainPrefixError } from '../../../../../clients/agent/proxy/iptables/iptables-names.js';
import { renderIptables, renderIptablesRestore } from '../../../../../clients/agent/proxy/iptables/iptables-renderer.js';
import { emptyService, endpoint, nodePortService, servicePort, stickyService, tableOf, webService } from '../nftables/forwarding-fixtures.js';

/** The `-A` rules of one chain within one table section of the restore input. */
function rulesOf(text: string, table: 'nat' | 'filter', chain: string): string[] {
  const section = text.split(`*${table}\n`)[1]?.split('COMMIT')[0] ?? '';
  return section.split('\n').filter((line) => line.startsWith(`-A ${chain} `));
}

function declared(text: string, table: 'nat' | 'filter'): string[] {
  const section = text.split(`*${table}\n`)[1]?.split('COMMIT')[0] ?? '';
  return section.split('\n').filter((line) => line.startsWith(':')).map((line) => line.slice(1).split(' ')[0]!);
}

/** The chain a rule jumps to. */
function target(rule: string | undefined): string {
  return / -j (\S+)/.exec(rule ?? '')?.[1] ?? '';
}

describe('renderIptablesRestore', () => {
  it('declares only its own chains, so --noflush touches nothing else', () => {
    const text = renderIptablesRestore(tableOf([webService, nodePortService, stickyService, emptyService]));
    for (const table of ['nat', 'filter'] as const) {
      for (const chain of declared(text, table)) assert.match(chain, /^SKIFF-/);
    }
    assert.doesNotMatch(text, /^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) /m, 'jumps from built-in chains are not in the restore input');
    assert.match(text, /^\*filter\n/);
    assert.equal(text.match(/^COMMIT$/gm)?.length, 2);
  });

  it('sends a ClusterIP with two endpoints through SVC and SEP chains with statistic probabilities', () => {
    const text = renderIptablesRestore(tableOf([webService]));
    const [clusterIP] = rulesOf(text, 'nat', 'SKIFF-SERVICES');
    assert.match(clusterIP!, /^-A SKIFF-SERVICES -m comment --comment "default\/web cluster IP" -d 10\.96\.0\.10\/32 -p tcp -m tcp --dport 80 -j SKIFF-SVC-[A-Z2-7]{16}$/);
    const svc = target(clusterIP);
    const picks = rulesOf(text, 'nat', svc);
    assert.equal(picks.length, 2);
    assert.match(picks[0]!, /"default\/web -> 10\.244\.1\.5:8080" -m statistic --mode random --probability 0\.5000000000 -j SKIFF-SEP-[A-Z2-7]{16}$/);
    assert.match(picks[1]!, /"default\/web -> 10\.244\.2\.5:8080" -j SKIFF-SEP-/);
    const sep = target(picks[1]);
    assert.deepEqual(rulesOf(text, 'nat', sep), [
      `-A ${sep} -m comment --comment default/web -s 10.244.2.5/32 -j SKIFF-MARK-MASQ`,
      `-A ${sep} -m comment --comment default/web -p tcp -m tcp -j DNAT --to-destination 10.244.2.5:8080`,
    ]);
  });

  it('gives n endpoints the probabilities 1/n, 1/(n-1), …, with ten decimals', () => {
    const five = servicePort({ service: 'five', clusterIPs: ['10.96.0.5'], endpoints: [1, 2, 3, 4, 5].map((i) => endpoint(`10.244.9.${i}`)) });
    const text = renderIptablesRestore(tableOf([five]));
    const svc = target(rulesOf(text, 'nat', 'SKIFF-SERVICES')[0]);
    const probabilities = rulesOf(text, 'nat', svc).map((rule) => /--probability (\S+)/.exec(rule)?.[1] ?? 'none');
    assert.deepEqual(probabilities, ['0.2000000000', '0.2500000000', '0.3333333333', '0.5000000000', 'none']);
  });

  it('jumps to SKIFF-NODEPORTS last, on the node addresses, or on any local address when they are unknown', () => {
    const withIPs = rulesOf(renderIptablesRestore(tableOf([webService, nodePortService])), 'nat', 'SKIFF-SERVICES');
    assert.match(withIPs.at(-1)!, /-d 10\.250\.0\.11\/32 -j SKIFF-NODEPORTS$/);
    const anyLocal = rulesOf(renderIptablesRestore(tableOf([nodePortService], [])), 'nat', 'SKIFF-SERVICES');
    assert.match(anyLocal.at(-1)!, /"skiff service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j SKIFF-NODEPORTS$/);
  });

  it('marks NodePort traffic for masquerade before it picks an endpoint', () => {
    const text = renderIptablesRestore(tableOf([nodePortService]));
    const [nodePort] = rulesOf(text, 'nat', 'SKIFF-NODEPORTS');
    assert.match(nodePort!, /^-A SKIFF-NODEPORTS -m comment --comment default\/api:http -p tcp -m tcp --dport 30080 -j SKIFF-EXT-[A-Z2-7]{16}$/);
    const ext = rulesOf(text, 'nat', target(nodePort));
    assert.equal(target(ext[0]), 'SKIFF-MARK-MASQ');
    assert.match(target(ext[1]), /^SKIFF-SVC-/);
    assert.deepEqual(rulesOf(text, 'nat', 'SKIFF-MARK-MASQ'), ['-A SKIFF-MARK-MASQ -j MARK --or-mark 0x4000']);
    assert.deepEqual(rulesOf(text, 'nat', 'SKIFF-POSTROUTING'), [
      '-A SKIFF-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A SKIFF-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A SKIFF-POSTROUTING -m comment --comment "skiff service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
  });

  it('remembers ClientIP-affinity clients per endpoint with -m recent and the Service timeout', () => {
    const text = renderIptablesRestore(tableOf([stickyService]));
    const svc = target(rulesOf(text, 'nat', 'SKIFF-SERVICES')[0]);
    const picks = rulesOf(text, 'nat', svc);
    assert.equal(picks.length, 4);
    const sep = target(picks[0]);
    assert.match(picks[0]!, new RegExp(`-m recent --name ${sep} --rcheck --seconds 600 --reap -j ${sep}$`));
    assert.match(rulesOf(text, 'nat', sep)[1]!, new RegExp(`-m recent --name ${sep} --set -p tcp -m tcp -j DNAT --to-destination 10\\.244\\.1\\.7:8080$`));
  });

  it('rejects a Service with no ready endpoint in the filter table, ClusterIP and NodePort', () => {
    const text = renderIptablesRestore(tableOf([emptyService]));
    assert.deepEqual(rulesOf(text, 'filter', 'SKIFF-SERVICES'), [
      '-A SKIFF-SERVICES -m comment --comment "default/empty has no endpoints" -d 10.96.0.30/32 -p tcp -m tcp --dport 80 -j REJECT',
    ]);
    assert.deepEqual(rulesOf(text, 'filter', 'SKIFF-EXTERNAL-SERVICES'), [
      '-A SKIFF-EXTERNAL-SERVICES -m comment --comment "default/empty has no endpoints" -d 10.250.0.11/32 -p tcp -m tcp --dport 30081 -j REJECT',
    ]);
    assert.deepEqual(rulesOf(text, 'nat', 'SKIFF-SERVICES').slice(0, -1), [], 'nothing to DNAT to');
  });

  it('drops, rather than rejects, Local-policy traffic on a node without a local endpoint', () => {
    const local = servicePort({ service: 'local', clusterIPs: ['10.96.0.50'], nodePort: 30050, externalTrafficPolicy: 'Local', endpoints: [endpoint('10.244.2.9')] });
    const text = renderIptablesRestore(tableOf([local]));
    assert.match(rulesOf(text, 'filter', 'SKIFF-EXTERNAL-SERVICES')[0]!, /"default\/local has no local endpoints" .* --dport 30050 -j DROP$/);
    const ext = rulesOf(text, 'nat', target(rulesOf(text, 'nat', 'SKIFF-NODEPORTS')[0]));
    assert.match(ext[0]!, /-m addrtype --src-type LOCAL -j SKIFF-MARK-MASQ$/);
    assert.match(ext[1]!, /-m addrtype --src-type LOCAL -j SKIFF-SVC-/);
    assert.equal(ext.length, 2);
  });

  it('flushes and deletes the chains of a removed Service in the same restore', () => {
    const first = renderIptables(tableOf([webService, stickyService]));
    const second = renderIptables(tableOf([webService]), { staleChains: first.chains });
    const gone = [...first.chains.nat].filter((c) => !second.chains.nat.has(c));
    assert.equal(gone.length, 3, 'the SVC chain and two SEP chains');
    const lines = second.text.split('\n');
    for (const chain of gone) {
      assert.ok(lines.includes(`:${chain} - [0:0]`), `${chain} flushed`);
      assert.ok(lines.includes(`-X ${chain}`), `${chain} deleted`);
      assert.ok(!lines.some((line) => line.startsWith(`-A ${chain} `)));
    }
    assert.ok(!second.text.includes('sticky'));
    assert.ok(!second.text.includes('10.96.0.40'));
  });

  it('writes only the chains of changed Services in a partial sync, and always the top-level ones', () => {
    const partial = renderIptablesRestore(tableOf([webService, nodePortService]), { onlyServiceChainsOf: new Set([nodePortService.id]) });
    assert.match(partial, /default\/web cluster IP/, 'SKIFF-SERVICES is rewritten whole');
    assert.doesNotMatch(partial, /default\/web -> /, 'but the unchanged Service chains are not');
    assert.match(partial, /default\/api:http -> 10\.244\.1\.6:8080/);
  });

  it('renders ip6tables input for the IPv6 family', () => {
    const dual = servicePort({ service: 'dual', clusterIPs: ['10.96.0.60', 'fd00:96::60'], endpoints: [endpoint('10.244.1.8'), endpoint('fd00:244::8')] });
    const text = renderIptablesRestore(tableOf([dual], ['10.250.0.11', 'fd00:250::11']), { family: 'ipv6' });
    assert.match(text, /-d fd00:96::60\/128 -p tcp -m tcp --dport 80 -j SKIFF-SVC-/);
    assert.match(text, /-j DNAT --to-destination \[fd00:244::8\]:8080/);
    assert.doesNotMatch(text, /10\.96\.0\.60|10\.250\.0\.11/);
  });

  it('keeps chain names within iptables limits and refuses a prefix that would not fit', () => {
    const text = renderIptablesRestore(tableOf([webService, nodePortService]), { chainPrefix: 'SKT1' });
    for (const chain of declared(text, 'nat')) {
      assert.ok(chain.length <= 28, chain);
      assert.match(chain, /^SKT1-/);
    }
    assert.throws(() => renderIptablesRestore(tableOf([]), { chainPrefix: 'TOOLONGX' }), ChainPrefixError);
    assert.throws(() => renderIptablesRestore(tableOf([]), { chainPrefix: 'lower' }), ChainPrefixError);
  });
});
