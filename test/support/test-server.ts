import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkiffServer } from '../../api/server.js';
import type { ServerConfig } from '../../api/server-config.js';

export interface TestServer {
  server: SkiffServer;
  url: string;
  dataPath: string;
  close(): Promise<void>;
}

/**
 * A real skiff server in this process, on a free loopback port, backed by a
 * SQLite file in a fresh temporary folder (or ':memory:'), removed on close.
 */
export async function startTestServer(overrides: Partial<ServerConfig> & { memory?: boolean } = {}): Promise<TestServer> {
  const { memory, ...config } = overrides;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-test-'));
  const dataPath = memory ? ':memory:' : join(dir, 'skiff.db');
  const server = await SkiffServer.create({ host: '127.0.0.1', port: 0, dataPath, logLevel: 'silent', ...config });
  const url = await server.listen();
  return {
    server,
    url,
    dataPath,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
