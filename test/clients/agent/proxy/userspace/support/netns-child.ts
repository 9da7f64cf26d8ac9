// Runs inside a network namespace the parent test created (`ip netns exec`):
// drives the userspace backend as root and prints what it observed, one JSON
// object on stdout. Touches nothing outside that namespace.

import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { ForwardingTable } from '../../../../../../clients/agent/proxy/forwarding-table.js';
import { createUserspaceBackend } from '../../../../../../clients/agent/proxy/userspace/userspace-backend.js';
import { httpGet } from '../../../support/backends.js';

function addresses(): string[] | null {
  try {
    const out = execFileSync('ip', ['-j', 'addr', 'show', 'dev', 'skiff-proxy0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return (JSON.parse(out) as Array<{ addr_info?: Array<{ local?: string }> }>).flatMap((l) => (l.addr_info ?? []).map((a) => a.local ?? '')).filter((a) => !a.startsWith('fe80'));
  } catch {
    return null;
  }
}

function table(clusterIPs: string[]): ForwardingTable {
  return {
    nodeIPs: [],
    rules: clusterIPs.map((ip, i) => ({
      id: `default/svc-${i}:http/TCP`,
      namespace: 'default',
      service: `svc-${i}`,
      portName: 'http',
      protocol: 'TCP' as const,
      clusterIPs: [ip],
      externalIPs: [],
      port: 80,
      endpoints: [{ ip: '127.0.0.1', port: 18080, local: true }],
      externalTrafficPolicy: 'Cluster' as const,
      internalTrafficPolicy: 'Cluster' as const,
    })),
  };
}

const pod = http.createServer((_req, res) => res.end('pod'));
await new Promise<void>((resolve) => pod.listen(18080, '127.0.0.1', resolve));
const backend = createUserspaceBackend();
const result: Record<string, unknown> = {};
try {
  result.before = addresses();
  result.applied = await backend.apply(table(['10.96.0.10', '10.96.0.11']));
  result.afterApply = addresses()?.sort();
  result.answer = (await httpGet('10.96.0.10', 80)).body;
  await backend.apply(table(['10.96.0.11']));
  result.afterShrink = addresses();
  result.answerKept = (await httpGet('10.96.0.11', 80)).body;
  await backend.cleanup();
  result.afterCleanup = addresses();
} catch (error) {
  result.error = String(error);
} finally {
  await backend.cleanup().catch(() => undefined);
  pod.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
