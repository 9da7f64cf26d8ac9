import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { dig } from '../../support/dig.js';
import { REPO_ROOT, ServerProcess } from '../../support/server-process.js';

// `skiff dns` as a process of its own: the ready line on stdout, options
// from the environment, and a clean exit on SIGTERM and SIGINT.
describe('skiff dns in a process', () => {
  let server: ServerProcess;

  before(async () => {
    server = await ServerProcess.start();
  });
  after(async () => {
    await server?.stop();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the ready line, answers, and exits 0 on ${signal}`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'dns', '--log-level', 'warn'], {
        cwd: REPO_ROOT,
        env: { ...process.env, SKIFF_SERVER: server.url, SKIFF_DNS_LISTEN: '127.0.0.1:0', SKIFF_DNS_DOMAIN: 'example.internal' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const port = await new Promise<number>((resolve, reject) => {
          let stdout = '';
          child.stdout.setEncoding('utf8').on('data', (text: string) => {
            stdout += text;
            const match = /^skiff dns listening on udp\+tcp 127\.0\.0\.1:(\d+)\n$/.exec(stdout);
            if (match?.[1] !== undefined) resolve(Number(match[1]));
          });
          void exited.then((code) => reject(new Error(`exited early with ${code}: ${stdout}`)));
        });
        const soa = await dig(port, ['example.internal', 'SOA']);
        assert.equal(soa.status, 'NOERROR', 'the domain came from SKIFF_DNS_DOMAIN');
        assert.equal(soa.answer[0]?.type, 'SOA');
        child.kill(signal);
        assert.equal(await exited, 0);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }
});
