import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIptablesBackend } from '../../../../../clients/agent/proxy/iptables/iptables-backend.js';
import { endpoint, nodePortService, stickyService, tableOf, webService } from '../nftables/forwarding-fixtures.js';
import { recordingRunner } from '../nftables/recording-runner.js';

const restores = (commands: ReturnType<typeof recordingRunner>['commands']): string[] =>
  commands.filter((c) => c.command === 'iptables-restore').map((c) => c.input ?? '');

describe('iptables backend', () => {
  it('applies with iptables-restore --noflush, then adds each missing jump once', async () => {
    const runner = recordingRunner();
    runner.failNext('iptables -w 5 -t nat -C PREROUTING');
    const backend = createIptablesBackend({ run: runner.run });
    const { ruleCount } = await backend.apply(tableOf([webService]));
    assert.equal(backend.name, 'iptables');
    assert.ok(ruleCount > 0);
    const restore = runner.commands.find((c) => c.command === 'iptables-restore');
    assert.deepEqual(restore?.args, ['-w', '5', '--noflush']);
    const lines = runner.commands.map((c) => [c.command, ...c.args].join(' '));
    const inserted = lines.filter((l) => / -I /.test(l));
    assert.deepEqual(inserted, ['iptables -w 5 -t nat -I PREROUTING 1 -m comment --comment skiff service portals -j SKIFF-SERVICES']);
    assert.ok(lines.indexOf(inserted[0]!) > lines.findIndex((l) => l.startsWith('iptables-restore')), 'chains exist before the jump');
    assert.equal(lines.filter((l) => / -C /.test(l)).length, 7, 'every jump is checked');
  });

  it('lists existing chains on the first sync and deletes stale ones of its own prefix', async () => {
    const runner = recordingRunner();
    runner.answer('iptables-save -t nat', ':PREROUTING ACCEPT [0:0]\n:SKIFF-SVC-OLDOLDOLDOLDOLD - [0:0]\n:KUBE-SERVICES - [0:0]\n');
    const backend = createIptablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService]));
    const [input] = restores(runner.commands);
    assert.match(input!, /^:SKIFF-SVC-OLDOLDOLDOLDOLD - \[0:0\]$/m);
    assert.match(input!, /^-X SKIFF-SVC-OLDOLDOLDOLDOLD$/m);
    assert.doesNotMatch(input!, /KUBE-SERVICES|PREROUTING/);
  });

  it('rewrites only the chains of the Service that changed, then deletes what it no longer needs', async () => {
    const runner = recordingRunner();
    const backend = createIptablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService, nodePortService, stickyService]));
    const changed = { ...webService, endpoints: [endpoint('10.244.3.5')] };
    await backend.apply(tableOf([changed, nodePortService]));
    assert.equal(backend.lastApplyKind, 'partial');
    const second = restores(runner.commands)[1]!;
    assert.match(second, /default\/web -> 10\.244\.3\.5:8080/);
    assert.doesNotMatch(second, /default\/api:http -> /, 'the unchanged Service keeps its chains untouched');
    assert.match(second, /default\/api:http cluster IP/, 'the services chain is rewritten whole');
    const deleted = second.split('\n').filter((l) => l.startsWith('-X '));
    assert.equal(deleted.length, 5, 'two web SEP chains, and the sticky SVC and its two SEPs');
    assert.equal(runner.commands.filter((c) => c.args.includes('-C')).length, 7, 'jumps are checked on full syncs only');
  });

  it('runs nothing when the table did not change', async () => {
    const runner = recordingRunner();
    const backend = createIptablesBackend({ run: runner.run });
    const { ruleCount } = await backend.apply(tableOf([webService, nodePortService]));
    const count = runner.commands.length;
    assert.deepEqual(await backend.apply(tableOf([{ ...webService }, nodePortService])), { ruleCount });
    assert.equal(runner.commands.length, count);
    assert.equal(backend.lastApplyKind, 'unchanged');
    await backend.apply(tableOf([webService, nodePortService], ['10.250.0.12']));
    assert.equal(backend.lastApplyKind, 'partial', 'new node addresses change the top-level chains');
  });

  it('falls back to a full sync when a partial restore fails', async () => {
    const runner = recordingRunner();
    const backend = createIptablesBackend({ run: runner.run });
    await backend.apply(tableOf([webService]));
    runner.failNext('iptables-restore');
    await backend.apply(tableOf([webService, nodePortService]));
    const inputs = restores(runner.commands);
    assert.equal(inputs.length, 3);
    assert.match(inputs[2]!, /default\/web -> /, 'the retry writes every Service chain');
  });

  it('throws when the restore fails and starts over with a full sync', async () => {
    const runner = recordingRunner();
    const backend = createIptablesBackend({ run: runner.run });
    runner.failNext('iptables-restore');
    await assert.rejects(backend.apply(tableOf([webService])), /scripted/);
    await backend.apply(tableOf([webService]));
    assert.equal(backend.lastApplyKind, 'full');
  });

  it('uses ip6tables for IPv6 Services', async () => {
    const runner = recordingRunner();
    const backend = createIptablesBackend({ run: runner.run });
    const dual = { ...webService, clusterIPs: ['10.96.0.10', 'fd00:96::10'], endpoints: [...webService.endpoints, endpoint('fd00:244::5')] };
    await backend.apply(tableOf([dual], ['10.250.0.11', 'fd00:250::11']));
    const v6 = runner.commands.find((c) => c.command === 'ip6tables-restore');
    assert.match(v6?.input ?? '', /-d fd00:96::10\/128/);
  });

  it('cleans up: removes its jumps, then flushes and deletes its chains', async () => {
    const runner = recordingRunner();
    runner.answer('iptables-save -t nat', ':SKIFF-SERVICES - [0:0]\n:SKIFF-SVC-AAAAAAAAAAAAAAAA - [0:0]\n:OTHER - [0:0]\n');
    runner.answer('iptables-save -t filter', ':SKIFF-SERVICES - [0:0]\n');
    // Each jump is present once: the first -D succeeds, the second finds it gone.
    let deletes = 0;
    const backend = createIptablesBackend({
      run: async (command, args, options) => {
        if (args.includes('-D')) {
          deletes += 1;
          if (deletes % 2 === 0) throw new Error('no such rule');
        }
        return runner.run(command, args, options);
      },
    });
    await backend.cleanup();
    assert.equal(deletes, 14, 'each of the 7 jumps deleted, then found gone');
    const [input] = restores(runner.commands);
    assert.equal(
      input,
      '*filter\n:SKIFF-SERVICES - [0:0]\n-X SKIFF-SERVICES\nCOMMIT\n*nat\n:SKIFF-SERVICES - [0:0]\n:SKIFF-SVC-AAAAAAAAAAAAAAAA - [0:0]\n-X SKIFF-SERVICES\n-X SKIFF-SVC-AAAAAAAAAAAAAAAA\nCOMMIT\n',
    );
  });
});
