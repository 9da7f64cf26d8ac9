import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNftablesBackend } from '../../../../../clients/agent/proxy/nftables/nftables-backend.js';
import { emptyService, endpoint, nodePortService, servicePort, stickyService, tableOf, webService } from './forwarding-fixtures.js';
import { recordingRunner } from './recording-runner.js';

const nftInputs = (commands: ReturnType<typeof recordingRunner>['commands']): string[] =>
  commands.filter((c) => c.command === 'nft' && c.args.join(' ') === '-f -').map((c) => c.input ?? '');

describe('nftables backend', () => {
  it('replaces the whole table on the first apply, with one nft -f', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    const { ruleCount } = await backend.apply(tableOf([webService, nodePortService]));
    assert.equal(backend.name, 'nftables');
    assert.equal(backend.lastApplyKind, 'full');
    const inputs = nftInputs(runner.commands);
    assert.equal(inputs.length, 1);
    assert.match(inputs[0]!, /^add table ip skiff\ndelete table ip skiff\ntable ip skiff \{/);
    assert.ok(ruleCount > 0);
  });

  it('removes a stale ip6 table left by an earlier agent, in the same transaction', async () => {
    const runner = recordingRunner();
    runner.answer('nft list tables', 'table ip skiff\ntable ip6 skiff\ntable inet other\n');
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService]));
    const [input] = nftInputs(runner.commands);
    assert.match(input!, /^add table ip6 skiff\ndelete table ip6 skiff\nadd table ip skiff\n/);
    assert.doesNotMatch(input!, /other/);
  });

  it('changes only the elements of the Service whose endpoints changed', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService, nodePortService]));
    const changed = { ...webService, endpoints: [...webService.endpoints, endpoint('10.244.3.5')] };
    const { ruleCount } = await backend.apply(tableOf([changed, nodePortService]));
    assert.equal(backend.lastApplyKind, 'incremental');
    const update = nftInputs(runner.commands)[1]!;
    assert.doesNotMatch(update, /table ip skiff \{|delete table/);
    assert.doesNotMatch(update, /10\.96\.0\.20|30080/, 'the other Service is untouched');
    const lines = update.trim().split('\n');
    assert.ok(lines.includes('add chain ip skiff dispatch-3'));
    assert.ok(lines.includes('delete element ip skiff service-ips { 10.96.0.10 . tcp . 80 }'));
    assert.ok(lines.includes('add element ip skiff service-ips { 10.96.0.10 . tcp . 80 : goto dispatch-3 }'));
    assert.ok(lines.includes('add element ip skiff service-endpoints-tcp { 10.96.0.10 . 80 . 2 : 10.244.3.5 . 8080 }'));
    assert.ok(lines.includes('add element ip skiff hairpin { 10.244.3.5 . 10.244.3.5 }'));
    assert.ok(lines.indexOf('add chain ip skiff dispatch-3') < lines.indexOf('add element ip skiff service-ips { 10.96.0.10 . tcp . 80 : goto dispatch-3 }'), 'the chain exists before an element points at it');
    assert.equal(ruleCount, (await createNftablesBackend({ run: recordingRunner().run }).apply(tableOf([changed, nodePortService]))).ruleCount, 'the same count as a fresh table');
  });

  it('only checks that its table is still there when nothing changed', async () => {
    const runner = recordingRunner();
    runner.answer('nft list tables', 'table ip skiff\n');
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService]));
    const count = runner.commands.length;
    await backend.apply(tableOf([{ ...webService }]));
    assert.deepEqual(runner.commands.slice(count).map((c) => [c.command, ...c.args].join(' ')), ['nft list tables']);
    assert.equal(backend.lastApplyKind, 'unchanged');
  });

  it('replaces the table whole when a resync finds it gone (a firewall reload flushed the ruleset)', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService]));
    await backend.apply(tableOf([webService]));
    assert.equal(backend.lastApplyKind, 'full');
    assert.equal(nftInputs(runner.commands).length, 2);
  });

  it('deletes a removed Service: its elements, chains and affinity sets, rules before what they name', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService, stickyService, emptyService]));
    await backend.apply(tableOf([webService]));
    const lines = nftInputs(runner.commands)[1]!.trim().split('\n');
    assert.ok(lines.every((line) => !line.startsWith('add ')), lines.join('\n'));
    const flushes = lines.filter((l) => l.startsWith('flush chain'));
    const chainDeletes = lines.filter((l) => l.startsWith('delete chain'));
    const setDeletes = lines.filter((l) => l.startsWith('delete set'));
    assert.equal(chainDeletes.length, 3, 'the service chain and two endpoint chains');
    assert.equal(setDeletes.length, 2, 'two affinity sets');
    assert.ok(lines.includes('delete element ip skiff no-endpoint-services { 10.96.0.30 . tcp . 80 }'));
    assert.ok(lines.includes('delete element ip skiff no-endpoint-nodeports { tcp . 30081 }'));
    assert.ok(lines.includes('delete element ip skiff hairpin { 10.244.1.7 . 10.244.1.7, 10.244.2.7 . 10.244.2.7 }'));
    const last = (items: string[]): number => Math.max(...items.map((l) => lines.indexOf(l)));
    const first = (items: string[]): number => Math.min(...items.map((l) => lines.indexOf(l)));
    assert.ok(last(flushes) < first(chainDeletes) && last(chainDeletes) < first(setDeletes));
    const serviceElement = lines.findIndex((l) => l.startsWith('delete element ip skiff service-ips { 10.96.0.40'));
    assert.ok(serviceElement >= 0 && serviceElement < first(chainDeletes), 'the map element pointing at the chain goes first');
  });

  it('keeps a hairpin address another Service still uses', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    const twin = servicePort({ service: 'twin', clusterIPs: ['10.96.0.11'], endpoints: webService.endpoints });
    await backend.apply(tableOf([webService, twin]));
    await backend.apply(tableOf([webService]));
    assert.doesNotMatch(nftInputs(runner.commands)[1]!, /hairpin/);
  });

  it('replaces the table whole when an incremental update fails', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService]));
    runner.failNext('nft -f -');
    await backend.apply(tableOf([webService, nodePortService]));
    const inputs = nftInputs(runner.commands);
    assert.equal(inputs.length, 3);
    assert.match(inputs[2]!, /^add table ip skiff\ndelete table ip skiff\n/);
    assert.equal(backend.lastApplyKind, 'full');
  });

  it('reports a failed full apply and starts over with a full replace', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    runner.failNext('nft -f -');
    await assert.rejects(backend.apply(tableOf([webService])), /scripted/);
    await backend.apply(tableOf([webService]));
    assert.match(nftInputs(runner.commands).at(-1)!, /^add table ip skiff\n/);
  });

  it('does a full replace again once the full-sync interval has passed', async () => {
    let now = 0;
    const runner = recordingRunner();
    runner.answer('nft list tables', 'table ip skiff\n');
    const backend = createNftablesBackend({ run: runner.run, fullSyncIntervalMs: 1000, now: () => now });
    await backend.apply(tableOf([webService]));
    now = 999;
    await backend.apply(tableOf([webService]));
    assert.equal(backend.lastApplyKind, 'unchanged');
    now = 1000;
    await backend.apply(tableOf([webService]));
    assert.equal(backend.lastApplyKind, 'full');
  });

  it('follows new node addresses without a full replace', async () => {
    const runner = recordingRunner();
    const backend = createNftablesBackend({ run: runner.run });
    await backend.apply(tableOf([nodePortService], ['10.250.0.11']));
    await backend.apply(tableOf([nodePortService], ['10.250.0.12']));
    const lines = nftInputs(runner.commands)[1]!.trim().split('\n');
    assert.ok(lines.includes('flush set ip skiff nodeport-ips'));
    assert.ok(lines.includes('add element ip skiff nodeport-ips { 10.250.0.12 }'));
  });

  it('cleans up by deleting only the tables of its own name', async () => {
    const runner = recordingRunner();
    runner.answer('nft list tables', 'table inet filter\ntable ip skiff\ntable ip skiffy\n');
    const backend = createNftablesBackend({ run: runner.run });
    await backend.cleanup();
    assert.deepEqual(nftInputs(runner.commands), ['add table ip skiff\ndelete table ip skiff\n']);
  });
});
