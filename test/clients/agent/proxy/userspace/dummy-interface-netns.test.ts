import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../../../../support/server-process.js';

const NETNS = `skiff-us-${process.pid}`;
const isRoot = process.getuid?.() === 0;
const hasIp = spawnSync('ip', ['-V']).status === 0;

describe('userspace backend as root, inside a network namespace of its own', { skip: !isRoot || !hasIp ? 'needs root and iproute2' : false }, () => {
  before(() => {
    execFileSync('ip', ['netns', 'add', NETNS]);
    execFileSync('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
  });

  after(() => {
    spawnSync('ip', ['netns', 'del', NETNS]);
  });

  it('puts ClusterIPs on skiff-proxy0, serves them, follows changes and removes the interface on cleanup', () => {
    const child = spawnSync('ip', ['netns', 'exec', NETNS, process.execPath, '--import', 'tsx', 'test/clients/agent/proxy/userspace/support/netns-child.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    assert.deepEqual(result, {
      before: null,
      applied: { ruleCount: 2 },
      afterApply: ['10.96.0.10', '10.96.0.11'],
      answer: 'pod',
      afterShrink: ['10.96.0.11'],
      answerKept: 'pod',
      afterCleanup: null,
    });
  });
});
