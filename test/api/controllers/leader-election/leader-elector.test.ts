import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LeaderElector, validateLeaderElectionTimings, type LeaseLock } from '../../../../api/controllers/leader-election/leader-elector.js';
import type { Lease } from '../../../../api/schemas/lease.js';

/** A Lease in memory with resourceVersion checks, like the registry's; `partitioned` identities cannot write. */
class MemoryLeaseLock implements LeaseLock {
  lease: Lease | undefined;
  private revision = 0;
  readonly partitioned = new Set<string>();

  async get(): Promise<Lease | undefined> {
    return this.lease && structuredClone(this.lease);
  }

  async create(lease: Lease): Promise<Lease> {
    this.refuse(lease);
    if (this.lease) throw new Error('AlreadyExists');
    return this.store(lease);
  }

  async update(lease: Lease): Promise<Lease> {
    this.refuse(lease);
    if (lease.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) throw new Error('Conflict');
    return this.store(lease);
  }

  describe(): string {
    return 'memory';
  }

  private refuse(lease: Lease): void {
    const holder = lease.spec?.holderIdentity ?? '';
    if (this.partitioned.has(holder)) throw new Error('unreachable');
  }

  private store(lease: Lease): Lease {
    this.lease = { ...structuredClone(lease), metadata: { ...lease.metadata, resourceVersion: String(++this.revision) } };
    return structuredClone(this.lease);
  }
}

const TIMINGS = { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 50 };
const quiet = { info() {}, warn() {} };

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('leader election over a Lease', () => {
  const electors: LeaderElector[] = [];
  const timeline: string[] = [];
  const candidate = (lock: LeaseLock, identity: string): LeaderElector => {
    const elector = new LeaderElector({
      ...TIMINGS,
      lock,
      identity,
      log: quiet,
      callbacks: {
        onStartedLeading: () => void timeline.push(`${identity} started`),
        onStoppedLeading: () => void timeline.push(`${identity} stopped`),
      },
    });
    electors.push(elector);
    return elector;
  };
  afterEach(async () => {
    await Promise.all(electors.splice(0).map((elector) => elector.stop()));
    timeline.length = 0;
  });

  it('refuses timings in which an old leader could still run when the next one starts', () => {
    assert.match(validateLeaderElectionTimings({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }) ?? '', /lease duration must be greater than the renew deadline/);
    assert.match(validateLeaderElectionTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }) ?? '', /renew deadline must be greater than the retry period/);
    assert.equal(validateLeaderElectionTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }), undefined);
  });

  it('lets exactly one of two candidates lead, and hands over at once when the leader stops', async () => {
    const lock = new MemoryLeaseLock();
    const a = candidate(lock, 'a');
    const b = candidate(lock, 'b');
    await a.start();
    await b.start();
    assert.equal(a.isLeader, true);
    assert.equal(b.isLeader, false);
    assert.equal(lock.lease?.spec?.holderIdentity, 'a');
    await new Promise((resolve) => setTimeout(resolve, 3 * TIMINGS.retryPeriodMs));
    assert.equal(b.isLeader, false, 'b must not lead while a renews');
    await a.stop();
    assert.equal(lock.lease?.spec?.holderIdentity, '', 'a released the lease');
    await until(() => b.isLeader, 'b leads');
    assert.deepEqual(timeline, ['a started', 'a stopped', 'b started']);
    assert.equal(lock.lease?.spec?.leaseTransitions, 1);
  });

  it('stops a leader that cannot renew before another candidate takes over', async () => {
    const lock = new MemoryLeaseLock();
    const a = candidate(lock, 'a');
    const b = candidate(lock, 'b');
    await a.start();
    await b.start();
    lock.partitioned.add('a');
    await until(() => b.isLeader, 'b leads after a lost the lease');
    assert.equal(a.isLeader, false);
    assert.deepEqual(timeline, ['a started', 'a stopped', 'b started'], 'a stopped before b started');
  });

  it('waits out the lease of a holder that vanished without releasing it', async () => {
    const lock = new MemoryLeaseLock();
    await lock.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {}, spec: { holderIdentity: 'crashed', leaseDurationSeconds: 1 } });
    const b = candidate(lock, 'b');
    await b.start();
    assert.equal(b.isLeader, false, 'a fresh lease of another holder is respected');
    await until(() => b.isLeader, 'b leads once the lease expired');
    assert.equal(lock.lease?.spec?.holderIdentity, 'b');
  });
});
