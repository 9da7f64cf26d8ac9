import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SkiffProcess, runSkiff } from '../support/skiff-process.js';

const run = promisify(execFile);
const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-tls-'));
  tempDirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  const cacheDir = tempDir();
  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout', '15s', ...args], { timeout: 30_000 });
  return stdout;
}

describe('skiff server security flags', () => {
  it('refuses --insecure-serve-http on a non-loopback host', async () => {
    const dir = tempDir();
    const result = await runSkiff(['server', '--insecure-serve-http', '--host', '0.0.0.0', '--port', '0', '--data', join(dir, 'skiff.db')]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout.includes('listening'), false, 'never started');
    assert.match(result.stderr, /--insecure-serve-http .* only on a loopback --host .*"0\.0\.0\.0"/);
  });

  it('documents --insecure-serve-http as for local experiments and tests', async () => {
    const result = await runSkiff(['server', '--help']);
    const help = result.stdout.replace(/\s+/g, ' ');
    assert.match(help, /--insecure-serve-http .*loopback --host, for local experiments and tests that are not about security/);
    for (const flag of ['--pki-dir <path>', '--tls-cert-file <path>', '--tls-private-key-file <path>', '--client-ca-file <path>']) assert.ok(help.includes(flag), flag);
  });
});

describe('skiff server with TLS and skiff kubeconfig', () => {
  it('creates a PKI beside the data, serves a certificate curl verifies, and keeps both across a restart', async () => {
    const dir = tempDir();
    const data = join(dir, 'skiff.db');
    const pki = join(dir, 'pki');
    const first = SkiffProcess.spawn(['server', '--port', '0', '--data', data, '--log-level', 'warn']);
    let kubeconfigFile: string;
    let caBefore: string;
    let servingBefore: string;
    try {
      const url = await first.ready();
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      caBefore = readFileSync(join(pki, 'ca.crt'), 'utf8');
      servingBefore = readFileSync(join(pki, 'apiserver.crt'), 'utf8');
      const version = await run('curl', ['--silent', '--show-error', '--fail', '--max-time', '10', '--cacert', join(pki, 'ca.crt'), `${url}/version`]);
      assert.match(version.stdout, /"gitVersion"/);
      const unauthenticated = await run('curl', ['--silent', '--max-time', '10', '--cacert', join(pki, 'ca.crt'), `${url}/api/v1/namespaces`]);
      assert.equal(JSON.parse(unauthenticated.stdout).code, 401);

      const printed = await runSkiff(['kubeconfig', '--server', url, '--data', data]);
      assert.equal(printed.code, 0, printed.stderr);
      kubeconfigFile = join(dir, 'kubeconfig');
      writeFileSync(kubeconfigFile, printed.stdout);
      const namespaces = await kubectl(kubeconfigFile, ['get', 'ns', '-o', 'name']);
      assert.match(namespaces, /^namespace\/kube-system$/m);
    } finally {
      await first.stop();
    }

    const second = SkiffProcess.spawn(['server', '--port', '0', '--data', data, '--log-level', 'warn']);
    try {
      const url = await second.ready();
      assert.equal(readFileSync(join(pki, 'ca.crt'), 'utf8'), caBefore, 'the CA is reused');
      assert.equal(readFileSync(join(pki, 'apiserver.crt'), 'utf8'), servingBefore, 'the serving certificate is reused');
      // The client certificate issued before the restart is still good; only the port changed.
      const moved = readFileSync(kubeconfigFile, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: ${url}`);
      writeFileSync(kubeconfigFile, moved);
      const namespaces = await kubectl(kubeconfigFile, ['get', 'ns', 'default', '-o', 'name']);
      assert.equal(namespaces.trim(), 'namespace/default');
    } finally {
      await second.stop();
    }
  });
});
