import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { SkiffServer } from '../../api/server.js';
import type { ServerConfig } from '../../api/server-config.js';
import { ensureClusterPki, type ClusterPki } from '../../api/pki/pki-folder.js';
import { issueCertificate } from '../../api/pki/certificates.js';

export interface SecureTestServer {
  server: SkiffServer;
  url: string;
  pki: ClusterPki;
  pkiDir: string;
  /** ca.crt's path, for curl --cacert. */
  caFile: string;
  /** An HTTPS client that trusts the cluster CA, optionally with a client certificate. */
  client(identity?: { user: string; groups?: string[] }): Promise<Agent>;
  close(): Promise<void>;
}

/**
 * A skiff server in this process serving TLS with authentication, its PKI in
 * a fresh temporary folder made as `skiff server` makes it; all removed on close.
 */
export async function startSecureTestServer(overrides: Partial<ServerConfig> = {}): Promise<SecureTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-secure-'));
  const pkiDir = join(dir, 'pki');
  const pki = await ensureClusterPki(pkiDir, { hosts: ['127.0.0.1', '10.96.0.1'] });
  const caFile = join(pkiDir, 'ca.crt');
  const server = await SkiffServer.create({
    host: '127.0.0.1', port: 0, dataPath: join(dir, 'skiff.db'), logLevel: 'silent',
    tls: { cert: pki.serving.cert, key: pki.serving.key, clientCa: pki.ca.cert },
    serviceAccountKeys: pki.serviceAccount,
    ...overrides,
  });
  const url = await server.listen();
  const agents: Agent[] = [];
  return {
    server, url, pki, pkiDir, caFile,
    async client(identity) {
      const leaf = identity ? await issueCertificate(pki.ca, { commonName: identity.user, organizations: identity.groups ?? [], usage: 'client' }) : undefined;
      const agent = new Agent({ connect: { ca: pki.ca.cert, ...(leaf ? { cert: leaf.cert, key: leaf.key } : {}) } });
      agents.push(agent);
      return agent;
    },
    async close() {
      await Promise.all(agents.map((a) => a.close()));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** One request through undici, the body read as JSON. */
export async function requestJson(url: string, dispatcher: Dispatcher, options: { method?: Dispatcher.HttpMethod; headers?: Record<string, string>; body?: unknown } = {}): Promise<JsonResponse> {
  const response = await request(url, {
    dispatcher,
    method: options.method ?? 'GET',
    headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.body.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) as Record<string, unknown> : {};
  } catch {
    // Health endpoints answer plain text.
  }
  return { status: response.statusCode, body, text };
}

export function writeTempFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
