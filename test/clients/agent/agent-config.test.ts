import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentConfigError, resolveAgentConfig } from '../../../clients/agent/agent-config.js';

const base = { server: 'http://127.0.0.1:8080', node: 'node-a', nodeIp: '127.0.0.1', mode: 'userspace' };

describe('resolveAgentConfig', () => {
  it('applies the defaults', () => {
    const config = resolveAgentConfig(base, false);
    assert.deepEqual(config, {
      server: 'http://127.0.0.1:8080',
      connection: { server: 'http://127.0.0.1:8080' },
      nodeName: 'node-a',
      nodeIPs: ['127.0.0.1'],
      mode: 'userspace',
      minSyncPeriodMs: 1000,
      syncPeriodMs: 30_000,
      cleanup: false,
      metricsAddress: { host: '127.0.0.1', port: 10249 },
      leaseDurationSeconds: 40,
      leaseRenewIntervalMs: 10_000,
      nodeStatusUpdatePeriodMs: 10_000,
      nodeStatusReportPeriodMs: 60_000,
      podStatus: true,
      userspaceInterface: undefined,
      udpIdleTimeoutMs: 10_000,
      logLevel: 'info',
      runtime: 'process',
      rootDir: './data/agent-node-a',
      images: [],
      restartBackoffMs: 10_000,
      restartBackoffMaxMs: 300_000,
      cgroupRoot: '/sys/fs/cgroup',
      kubeletPort: 10250,
    });
  });

  it('reads image mappings with shell quoting and refuses a malformed one', () => {
    const config = resolveAgentConfig({ ...base, image: ["nginx=/usr/sbin/nginx -g 'daemon off;'", 'web:2="/opt/web app" --port=9'] }, false);
    assert.deepEqual(config.images.map(([name, entry]) => [name, entry.entrypoint]), [
      ['nginx', ['/usr/sbin/nginx', '-g', 'daemon off;']],
      ['web:2', ['/opt/web app', '--port=9']],
    ]);
    assert.throws(() => resolveAgentConfig({ ...base, image: ['nginx'] }, false), /--image must be NAME=COMMAND/);
    assert.throws(() => resolveAgentConfig({ ...base, image: ["x=/bin/sh -c 'oops"] }, false), /unterminated single quote/);
    assert.throws(() => resolveAgentConfig({ ...base, runtime: 'docker' }, false), /--runtime must be one of process, none, got "docker"/);
    assert.throws(() => resolveAgentConfig({ ...base, restartBackoff: '10m' }, false), /--restart-backoff \(10m\) must not be longer than --restart-backoff-max/);
  });

  it('uses the skiff-proxy0 interface by default only as root', () => {
    assert.equal(resolveAgentConfig(base, true).userspaceInterface, 'skiff-proxy0');
    assert.equal(resolveAgentConfig({ ...base, userspaceInterface: 'none' }, true).userspaceInterface, undefined);
    assert.equal(resolveAgentConfig({ ...base, userspaceInterface: 'kube-ipvs0' }, false).userspaceInterface, 'kube-ipvs0');
  });

  it('reads durations, a dual-stack node IP pair, an IPv6 metrics address and an empty one', () => {
    const config = resolveAgentConfig({ ...base, nodeIp: '10.0.0.5,fd00::5', minSyncPeriod: '250ms', syncPeriod: '1m', metricsAddress: '[::1]:0' }, false);
    assert.deepEqual(config.nodeIPs, ['10.0.0.5', 'fd00::5']);
    assert.equal(config.minSyncPeriodMs, 250);
    assert.equal(config.syncPeriodMs, 60_000);
    assert.deepEqual(config.metricsAddress, { host: '::1', port: 0 });
    assert.equal(resolveAgentConfig({ ...base, metricsAddress: '' }, false).metricsAddress, undefined);
  });

  const rejections: Array<[string, Record<string, string>, RegExp]> = [
    ['a server that is not a URL', { server: 'localhost:8080' }, /--server must be/],
    ['a node name that is not a DNS subdomain', { node: 'Node_A' }, /--node: Invalid value: "Node_A": a lowercase RFC 1123 subdomain/],
    ['a node IP that is not an IP', { nodeIp: 'node-a' }, /--node-ip must be an IP address/],
    ['two node IPs of one family', { nodeIp: '10.0.0.1,10.0.0.2' }, /at most one address per IP family/],
    ['an unknown mode', { mode: 'ipvs' }, /--mode must be one of nftables, iptables, userspace, got "ipvs"/],
    ['a duration without a unit', { syncPeriod: '30' }, /--sync-period must be a duration such as 1s, 500ms or 1m30s, got "30"/],
    ['a min sync period longer than the sync period', { minSyncPeriod: '1m', syncPeriod: '30s' }, /--min-sync-period \(1m\) must not be longer than --sync-period \(30s\)/],
    ['a metrics address without a port', { metricsAddress: '127.0.0.1' }, /--metrics-address must be IP:port/],
    ['a lease duration of zero', { nodeGraceLeaseSeconds: '0' }, /--node-grace-lease-seconds must be a positive whole number/],
    ['an interface name too long for Linux', { userspaceInterface: 'a-very-long-interface-name' }, /--userspace-interface must be an interface name/],
  ];
  for (const [what, flags, message] of rejections) {
    it(`rejects ${what}`, () => {
      assert.throws(() => resolveAgentConfig({ ...base, ...flags }, false), (error: unknown) => error instanceof AgentConfigError && message.test(error.message));
    });
  }
});
