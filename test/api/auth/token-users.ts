import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import type { ServerConfig } from '../../../api/server-config.js';

// An in-process server that knows a few bearer-token users, and a fetch that
// speaks as one of them.

export const TOKEN_FILE = [
  'admin-token,root,1,system:masters',
  'bob-token,bob,2',
  'alice-token,alice,3,"devs,testers"',
  'n1-token,system:node:n1,4,system:nodes',
  'n2-token,system:node:n2,5,system:nodes',
].join('\n');

export interface TokenServer extends TestServer {
  as(token: string, method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

export async function startTokenServer(overrides: Partial<ServerConfig> = {}): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-tokens-'));
  const file = join(dir, 'tokens.csv');
  writeFileSync(file, `${TOKEN_FILE}\n`);
  let server: TestServer;
  try {
    server = await startTestServer({ memory: true, tokenAuthFile: file, ...overrides });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async as(token, method, path, body, contentType = 'application/json') {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      const json = (response.headers.get('content-type') ?? '').includes('json');
      return { status: response.status, body: json && text ? JSON.parse(text) as Record<string, unknown> : { text } };
    },
  };
}

/** Polls a condition a bounded number of times; watch-fed caches trail a write by a tick. */
export async function eventually(check: () => Promise<boolean> | boolean, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
