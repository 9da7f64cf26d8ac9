import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const READY_LINE = /skiff server listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerProcessOptions {
  /** Extra `skiff server` flags, e.g. ['--event-log-max-events', '5']. */
  args?: string[];
  /** Use this SQLite file instead of a fresh one in a temp dir. */
  dataFile?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A real `skiff server` child process on a free loopback port, with its data
 * file in a temp dir. `restart()` keeps the file and the port, so clients
 * holding the URL reconnect to the same address, as after a real restart.
 */
export class ServerProcess {
  readonly dataDir: string;
  readonly dataFile: string;
  private child: ChildProcess | undefined;
  private port = 0;
  private stderrTail = '';
  private currentUrl: string | undefined;

  private constructor(
    dataDir: string,
    dataFile: string,
    private args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.dataDir = dataDir;
    this.dataFile = dataFile;
  }

  static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'skiff-test-'));
    const server = new ServerProcess(dataDir, options.dataFile ?? path.join(dataDir, 'skiff.db'), options.args ?? [], options.env ?? {});
    try {
      await server.spawn();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** Base URL, e.g. http://127.0.0.1:40123. */
  get url(): string {
    if (this.currentUrl === undefined) throw new Error('server is not running');
    return this.currentUrl;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops (SIGTERM) and starts again on the same data file and port; `args` replaces the flags if given. */
  async restart(args?: string[]): Promise<void> {
    await this.terminate();
    if (args !== undefined) this.args = args;
    await this.spawn();
  }

  /** Terminates the process and removes the temp dir. Safe to call twice, and after a failed start. */
  async stop(): Promise<void> {
    await this.terminate();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Stops the process only (the data file stays), for tests of a server that is down. */
  async terminate(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.currentUrl = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private async spawn(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'api/cli/main.ts', 'server', '--host', '127.0.0.1', '--port', String(this.port), '--data', this.dataFile, '--log-level', 'warn', '--insecure-serve-http', ...this.args],
      { cwd: REPO_ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-4000);
    });

    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => fail(new Error(`skiff server did not become ready within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${error.message}\nstderr:\n${this.stderrTail}`));
      };
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (text: string) => {
        stdout += text;
        const match = READY_LINE.exec(stdout);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code, signal) => fail(new Error(`skiff server exited early (code ${code}, signal ${signal})`)));
      child.once('error', fail);
    });
    // Keep draining stdout so a chatty server never blocks on a full pipe.
    child.stdout?.resume();
    this.currentUrl = url;
    this.port = Number(new URL(url).port);
  }
}
