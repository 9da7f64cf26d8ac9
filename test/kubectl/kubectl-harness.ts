import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../support/test-server.js';
import type { ServerConfig } from '../../api/server-config.js';

// Drives the installed kubectl against an in-process skiff server, with a
// kubeconfig printed by `skiff kubeconfig`, as a user would. Every call gets
// a fresh --cache-dir: kubectl caches discovery and OpenAPI per server
// address, and a warm cache would hide what the server answers now.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Bounds every kubectl call; kubectl itself waits 32 s per request. */
const CALL_TIMEOUT_MS = 20_000;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

function describeRun(args: readonly string[], result: KubectlResult): string {
  return `kubectl ${args.join(' ')} exited ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

/** Runs a command to completion within a bound; the result's code is -1 when it had to be killed. */
function run(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number }): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      timeout: options.timeoutMs ?? CALL_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (error?.code === 'ENOENT') {
        resolve({ code: -1, stdout, stderr: `${file} is not on PATH; these tests drive the installed kubectl (Debian package kubectl)\n` });
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** Prints a kubeconfig for `server` with the real CLI, `skiff kubeconfig --server URL`. */
export async function skiffKubeconfig(server: string): Promise<string> {
  const result = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'kubeconfig', '--server', server], { cwd: REPO_ROOT, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`skiff kubeconfig failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** A `kubectl … -w` left running; its output is collected until it is stopped. */
export class KubectlWatch {
  private stdout = '';
  private stderr = '';
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess, readonly args: readonly string[]) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.once('error', (error) => (this.stderr += `${error.message}\n`));
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  get output(): string {
    return this.stdout;
  }

  /** Resolves once the output satisfies `done`; rejects with the output so far after `timeoutMs`. */
  async waitFor(done: (stdout: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.stdout)) {
      if (Date.now() > deadline || this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`kubectl ${this.args.join(' ')}: ${what} not seen\n--- stdout\n${this.stdout}--- stderr\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** One skiff server, a kubeconfig for it from `skiff kubeconfig`, and a scratch folder for manifests. */
export class KubectlSession {
  private constructor(
    readonly server: TestServer,
    readonly dir: string,
    readonly kubeconfig: string,
  ) {}

  static async start(overrides: Partial<ServerConfig> = {}): Promise<KubectlSession> {
    const server = await startTestServer(overrides);
    const dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, await skiffKubeconfig(server.url));
      return new KubectlSession(server, dir, kubeconfig);
    } catch (error) {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private argv(args: readonly string[]): string[] {
    return ['--cache-dir', mkdtempSync(join(this.dir, 'cache-')), ...args];
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.kubeconfig };
  }

  run(args: readonly string[], options: { input?: string } = {}): Promise<KubectlResult> {
    return run('kubectl', this.argv(args), { env: this.env, cwd: this.dir, input: options.input });
  }

  /** Runs a command that must succeed; returns its standard output. */
  async ok(args: readonly string[], options: { input?: string } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(describeRun(args, result));
    return result.stdout;
  }

  /** Runs a command that must fail with exit code 1; returns its standard error. */
  async fails(args: readonly string[], options: { input?: string } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 1) throw new Error(`expected exit code 1\n${describeRun(args, result)}`);
    return result.stderr;
  }

  /** `kubectl get -o json`, parsed. */
  async json<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '-o', 'json'])) as T;
  }

  /** Writes a manifest into the scratch folder and returns its path. */
  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  watch(args: readonly string[]): KubectlWatch {
    const argv = this.argv(args);
    const child = spawn('kubectl', argv, { env: this.env, cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    return new KubectlWatch(child, args);
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The rows of kubectl's table output, each split on runs of two or more spaces. */
export function tableRows(stdout: string): string[][] {
  return stdout.split('\n').filter((line) => line.trim() !== '').map((line) => line.trim().split(/\s{2,}/));
}

/** The row whose first cell is `name`, or undefined. */
export function rowNamed(stdout: string, name: string): string[] | undefined {
  return tableRows(stdout).find((cells) => cells[0] === name);
}
