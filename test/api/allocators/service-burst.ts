// A burst of Service creations with random explicit and automatic ClusterIPs
// and NodePorts, for the tests that aim several server processes at one
// database file. Seeded, so a failing run can be replayed.

export interface BurstRanges {
  /** An IPv4 CIDR such as 10.96.0.0/22. */
  serviceCidr: string;
  nodePortRange: { from: number; to: number };
}

export interface PlannedService {
  /** Which server receives it. */
  target: number;
  body: Record<string, unknown>;
}

export interface Outcome {
  name: string;
  target: number;
  /** HTTP status, or 0 when the connection failed (the server died). */
  status: number;
  reason?: string;
  message?: string;
}

/** mulberry32: small, fast, good enough to pick test inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ipAt(cidr: string, offset: number): string {
  const [network = '0.0.0.0'] = cidr.split('/');
  const value = network.split('.').reduce((v, octet) => v * 256 + Number(octet), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function planBurst(count: number, targets: number, ranges: BurstRanges, random: () => number): PlannedService[] {
  const size = 2 ** (32 - Number(ranges.serviceCidr.split('/')[1]));
  const pick = (from: number, to: number): number => from + Math.floor(random() * (to - from + 1));
  const plan: PlannedService[] = [];
  for (let i = 0; i < count; i++) {
    // A few names repeat, so that creates also race on names (409 AlreadyExists).
    const name = i > 0 && random() < 0.03 ? `svc-${pick(0, i - 1)}` : `svc-${i}`;
    const type = random() < 0.6 ? 'NodePort' : 'ClusterIP';
    const portCount = pick(1, 2);
    const ports = Array.from({ length: portCount }, (_, p) => {
      const port: Record<string, unknown> = { name: `p${p}`, port: 80 + p, protocol: random() < 0.5 ? 'TCP' : 'UDP' };
      if (type === 'NodePort' && random() < 0.3) port.nodePort = pick(ranges.nodePortRange.from, ranges.nodePortRange.to);
      return port;
    });
    // Two explicit nodePorts of one Service never repeat per protocol: that would be a validation error, not a race.
    const [first, second] = ports;
    if (first && second && first.nodePort !== undefined && first.nodePort === second.nodePort && first.protocol === second.protocol) delete second.nodePort;
    const spec: Record<string, unknown> = { type, selector: { app: name }, ports };
    if (random() < 0.3) spec.clusterIP = ipAt(ranges.serviceCidr, pick(1, size - 2));
    plan.push({ target: pick(0, targets - 1), body: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec } });
  }
  return plan;
}

/** Sends each planned create to its server, at most `concurrency` in flight per server. */
export async function runBurst(
  plan: readonly PlannedService[],
  urls: readonly string[],
  concurrency: number,
  onOutcome: (outcome: Outcome) => void = () => undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const queues = urls.map((_, target) => plan.filter((item) => item.target === target));
  const worker = async (target: number): Promise<void> => {
    const queue = queues[target]!;
    for (let item = queue.shift(); item; item = queue.shift()) {
      const name = (item.body.metadata as { name: string }).name;
      let outcome: Outcome;
      try {
        const response = await fetch(`${urls[target]}/api/v1/namespaces/default/services`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(item.body),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json()) as { reason?: string; message?: string };
        outcome = { name, target, status: response.status, reason: body.reason, message: body.message };
      } catch (error) {
        outcome = { name, target, status: 0, message: String(error) };
      }
      outcomes.push(outcome);
      onOutcome(outcome);
    }
  };
  await Promise.all(urls.flatMap((_, target) => Array.from({ length: concurrency }, () => worker(target))));
  return outcomes;
}
