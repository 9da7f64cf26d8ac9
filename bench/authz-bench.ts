// Issue 12: the cost of authorization on the write path. One server with a
// token file; pod creates without credentials (the loopback superuser, which
// skips authorization as system:masters does) against the same creates as a
// token user whom only an RBAC RoleBinding to `edit` allows, both over the api
// bench's 64 connections. Target: ≥ 90 %.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postRate } from './api-bench.js';
import { startSkiffServer } from './support/processes.js';
import { fmt, report } from './support/stats.js';

const CREATES = 3_000;

function podBody(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'authz' } }, spec: { nodeName: 'bench-node', containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } });
}

function createRate(url: string, namespace: string, prefix: string, token: string | undefined): Promise<number> {
  return postRate(url, `/api/v1/namespaces/${namespace}/pods`, CREATES, (i) => podBody(`${prefix}-${i}`), token ? { authorization: `Bearer ${token}` } : {});
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

export async function runAuthzBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-authz-'));
  writeFileSync(join(dir, 'tokens.csv'), 'bench-token,bench-user,1000\n');
  const skiff = await startSkiffServer(['--data', join(dir, 'skiff.db'), '--token-auth-file', join(dir, 'tokens.csv')]);
  try {
    for (const name of ['insecure', 'rbac']) await post(skiff.url, '/api/v1/namespaces', { metadata: { name } });
    await post(skiff.url, '/apis/rbac.authorization.k8s.io/v1/namespaces/rbac/rolebindings', {
      metadata: { name: 'bench-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bench-user' }],
    });
    // Warm both paths, then alternate so neither gets the cooler database.
    await createRate(skiff.url, 'insecure', 'warm', undefined);
    const insecure: number[] = [];
    const rbac: number[] = [];
    for (let round = 0; round < 2; round++) {
      insecure.push(await createRate(skiff.url, 'insecure', `r${round}`, undefined));
      rbac.push(await createRate(skiff.url, 'rbac', `r${round}`, 'bench-token'));
    }
    const best = (rates: number[]): number => Math.max(...rates);
    report('pod creates without credentials (loopback superuser)', `${fmt(best(insecure), 0)} req/s`);
    report('pod creates as a token user allowed by RBAC (edit)', `${fmt(best(rbac), 0)} req/s`, `${fmt((100 * best(rbac)) / best(insecure), 0)} % of the superuser rate, target ≥ 90 %`);
  } finally {
    await skiff.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
