import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SkiffProcess } from './skiff-process.js';

export { REPO_ROOT } from './skiff-process.js';

export interface ServerProcessOptions {
  /** Extra `skiff server` flags, e.g. ['--event-log-max-events', '5']. */
  args?: string[];
  /** Use this SQLite file (several processes may share one) instead of a fresh one in a temp dir. */
  dataFile?: string;
  env?: Record<string, string>;
}

/**
 * A real `skiff server` child process on a free loopback port, as an operator
 * runs it. `restart()` keeps the file and the port, so clients holding the
 * URL reconnect to the same address, as after a real restart; `crash()` is a
 * SIGKILL with no shutdown.
 */
export class ServerProcess {
  private process: SkiffProcess | undefined;
  private port = 0;
  private currentUrl: string | undefined;

  private constructor(
    readonly dataDir: string,
    readonly dataFile: string,
    private args: string[],
    private readonly env: Record<string, string>,
  ) {}

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
    const child = this.process?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** What the server wrote to stderr so far (its log). */
  get stderr(): string {
    return this.process?.stderr ?? '';
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
    const running = this.detach();
    await running?.stop();
  }

  /** SIGKILL: no shutdown, no flush; the data file stays. */
  async crash(): Promise<void> {
    const running = this.detach();
    await running?.crash();
  }

  private detach(): SkiffProcess | undefined {
    const running = this.process;
    this.process = undefined;
    this.currentUrl = undefined;
    return running;
  }

  private async spawn(): Promise<void> {
    const running = SkiffProcess.spawn(
      ['server', '--host', '127.0.0.1', '--port', String(this.port), '--data', this.dataFile, '--log-level', 'warn', '--insecure-serve-http', ...this.args],
      { env: this.env },
    );
    this.process = running;
    try {
      this.currentUrl = await running.ready();
    } catch (error) {
      await running.crash();
      throw error;
    }
    this.port = Number(new URL(this.currentUrl).port);
  }
}
