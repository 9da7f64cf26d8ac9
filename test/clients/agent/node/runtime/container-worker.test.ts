// A ContainerWorker driven with a fake clock: real (short) processes, but the
// restart back-off waits only as long as the test moves the clock.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../../../../clients/client/logger.js';
import type { Pod } from '../../../../../clients/client/types.js';
import { runProbe } from '../../../../../clients/agent/node/readiness-probe.js';
import { CgroupManager } from '../../../../../clients/agent/node/runtime/cgroup-limits.js';
import { ContainerWorker, type ContainerRuntimeStatus } from '../../../../../clients/agent/node/runtime/container-worker.js';
import { ImageCatalog } from '../../../../../clients/agent/node/runtime/image-catalog.js';
import { detectLauncher } from '../../../../../clients/agent/node/runtime/process-launcher.js';
import { KUBELET_BACKOFF } from '../../../../../clients/agent/node/runtime/restart-backoff.js';
import { FakeClock } from '../../support/fake-clock.js';
import { eventually } from '../../support/backends.js';

describe('ContainerWorker restart back-off (fake clock)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-worker-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('restarts a crashing container at once, then after 10 s, 20 s, 40 s, with CrashLoopBackOff in between', async () => {
    const clock = new FakeClock();
    const pod: Pod = {
      metadata: { name: 'crash', namespace: 'default', uid: 'uid-crash' },
      spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'x', command: ['/bin/sh', '-c', 'exit 4'] }] },
      status: { podIP: '127.0.0.1' },
    };
    const worker = new ContainerWorker(
      {
        nodeName: 'n',
        launcher: detectLauncher(),
        catalog: new ImageCatalog(),
        cgroups: CgroupManager.detect(path.join(root, 'no-cgroup'), 'n'),
        clock,
        backoff: KUBELET_BACKOFF,
        logMaxBytes: 1024 * 1024,
        adoptPollMs: 1000,
        logger: silentLogger,
        prober: runProbe,
        now: () => new Date(),
        serviceEnv: () => new Map(),
        containerDir: () => path.join(root, 'c'),
        changed: () => undefined,
        persist: () => undefined,
      },
      pod,
      pod.spec!.containers![0]!,
      undefined,
    );
    let status: ContainerRuntimeStatus = worker.status();
    const waitingFor = async (restartCount: number, backoff: string): Promise<void> => {
      await eventually(
        () => {
          status = worker.status();
          const waiting = 'waiting' in status.state ? status.state.waiting : undefined;
          return status.restartCount === restartCount && waiting?.reason === 'CrashLoopBackOff' && (waiting.message ?? '').startsWith(`back-off ${backoff} restarting failed container=c pod=crash_default(uid-crash)`);
        },
        () => `wanted restartCount ${restartCount} in back-off ${backoff}, got ${JSON.stringify(status)}`,
      );
    };
    try {
      // Crash 1 restarts at once; crash 2 waits 10 s.
      await waitingFor(1, '10s');
      assert.equal(status.lastState?.terminated.exitCode, 4);
      assert.equal(status.lastState?.terminated.reason, 'Error');
      await clock.advance(9_000);
      assert.equal(worker.status().restartCount, 1, 'still backing off after 9 s');
      await clock.advance(1_000);
      await waitingFor(2, '20s');
      await clock.advance(20_000);
      await waitingFor(3, '40s');
    } finally {
      await worker.kill(0);
    }
  });
});
