import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CgroupManager, cgroupSettings, parseQuantity } from '../../../../../clients/agent/node/runtime/cgroup-limits.js';

describe('cgroup limits', () => {
  it('parses quantities', () => {
    assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
    assert.equal(parseQuantity('1G'), 1e9);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity(2), 2);
    assert.equal(parseQuantity('lots'), undefined);
  });

  it('turns limits into memory.max and cpu.max', () => {
    assert.deepEqual(cgroupSettings({ limits: { memory: '64Mi', cpu: '250m' } }), { memoryMax: String(64 * 2 ** 20), cpuMax: '25000 100000' });
    assert.deepEqual(cgroupSettings({ limits: { cpu: '1m' } }), { cpuMax: '1000 100000' });
    assert.deepEqual(cgroupSettings(undefined), {});
  });

  it('writes a container cgroup under a v2 hierarchy and reports one that is missing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cgroup-'));
    try {
      assert.equal(CgroupManager.detect(root, 'node-a').available, false);
      fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
      const manager = CgroupManager.detect(root, 'node-a');
      assert.equal(manager.available, true);
      assert.equal(fs.readFileSync(path.join(root, 'skiff', 'node-a', 'cgroup.subtree_control'), 'utf8'), '+memory +cpu');
      const procs = manager.prepare('uid_app', { memoryMax: '1048576' });
      assert.equal(procs, path.join(root, 'skiff', 'node-a', 'uid_app', 'cgroup.procs'));
      assert.equal(fs.readFileSync(path.join(root, 'skiff', 'node-a', 'uid_app', 'memory.max'), 'utf8'), '1048576');
      assert.equal(manager.prepare('uid_other', {}), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
