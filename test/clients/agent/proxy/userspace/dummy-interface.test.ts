import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressCommands, DummyInterface, isLoopbackIP } from '../../../../../clients/agent/proxy/userspace/dummy-interface.js';

/** An `ip` double over one imaginary interface. */
function fakeIp(initial: string[] | undefined): { run: (args: readonly string[]) => Promise<string>; calls: string[] } {
  let addresses = initial;
  const calls: string[] = [];
  return {
    calls,
    async run(args) {
      const line = args.join(' ');
      if (args[0] === '-j') {
        if (addresses === undefined) throw new Error('ip -j addr show dev skiff-proxy0 failed: Device "skiff-proxy0" does not exist.');
        return JSON.stringify([{ ifname: 'skiff-proxy0', addr_info: [...addresses.map((local) => ({ local })), { local: 'fe80::1' }] }]);
      }
      calls.push(line);
      if (line === 'link add skiff-proxy0 type dummy') addresses = [];
      if (line === 'link del skiff-proxy0') addresses = undefined;
      if (args[0] === 'addr' && args[1] === 'add') addresses?.push(args[2]!.split('/')[0]!);
      if (args[0] === 'addr' && args[1] === 'del') addresses = addresses?.filter((a) => a !== args[2]!.split('/')[0]);
      return '';
    },
  };
}

describe('dummy interface addresses', () => {
  it('computes the ip commands that add missing and remove stale addresses', () => {
    assert.deepEqual(addressCommands('skiff-proxy0', ['10.96.0.1', '10.96.0.2'], ['10.96.0.2', '10.96.0.3', 'fd00::10']), [
      ['addr', 'del', '10.96.0.1/32', 'dev', 'skiff-proxy0'],
      ['addr', 'add', '10.96.0.3/32', 'dev', 'skiff-proxy0'],
      ['addr', 'add', 'fd00::10/128', 'dev', 'skiff-proxy0', 'nodad'],
    ]);
  });

  it('creates the interface only when there is an address to put on it', async () => {
    const ip = fakeIp(undefined);
    const link = new DummyInterface('skiff-proxy0', ip.run);
    await link.sync([]);
    assert.deepEqual(ip.calls, []);
    await link.sync(['10.96.0.10']);
    assert.deepEqual(ip.calls, ['link add skiff-proxy0 type dummy', 'addr add 10.96.0.10/32 dev skiff-proxy0', 'link set skiff-proxy0 up']);
  });

  it('changes only the addresses that differ and ignores link-local ones', async () => {
    const ip = fakeIp(['10.96.0.10', '10.96.0.11']);
    await new DummyInterface('skiff-proxy0', ip.run).sync(['10.96.0.11', '10.96.0.12']);
    assert.deepEqual(ip.calls, ['addr del 10.96.0.10/32 dev skiff-proxy0', 'addr add 10.96.0.12/32 dev skiff-proxy0']);
  });

  it('deletes the interface on cleanup, and does nothing when there is none', async () => {
    const ip = fakeIp(['10.96.0.10']);
    const link = new DummyInterface('skiff-proxy0', ip.run);
    await link.cleanup();
    await link.cleanup();
    assert.deepEqual(ip.calls, ['link del skiff-proxy0']);
  });

  it('treats 127.0.0.0/8 and ::1 as loopback', () => {
    assert.deepEqual(['127.96.0.1', '127.0.0.1', '::1', '10.96.0.1', '128.0.0.1'].map(isLoopbackIP), [true, true, true, false, false]);
  });
});

describe('dummy interface on a kernel without the dummy driver', () => {
  it('falls back to a bridge with no ports', async () => {
    const calls: string[] = [];
    let exists = false;
    const run = async (args: readonly string[]): Promise<string> => {
      const line = args.join(' ');
      if (args[0] === '-j') {
        if (!exists) throw new Error('Device "skiff-proxy0" does not exist.');
        return '[{"addr_info":[]}]';
      }
      calls.push(line);
      if (line === 'link add skiff-proxy0 type dummy') throw new Error('ip link add skiff-proxy0 type dummy failed: Error: Unknown device type.');
      if (line === 'link add skiff-proxy0 type bridge') exists = true;
      return '';
    };
    await new DummyInterface('skiff-proxy0', run).sync(['10.96.0.10']);
    assert.deepEqual(calls, ['link add skiff-proxy0 type dummy', 'link add skiff-proxy0 type bridge', 'addr add 10.96.0.10/32 dev skiff-proxy0', 'link set skiff-proxy0 up']);
  });
});
