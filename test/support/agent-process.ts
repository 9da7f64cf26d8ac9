import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './server-process.js';

const READY_LINE = /skiff agent ready: .*?(?:metrics on (http:\/\/\S+))?$/m;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * A real `skiff agent` child process. `kill()` ends it without any cleanup
 * (SIGKILL: a crashed or partitioned node); `stop()` asks it to exit (SIGTERM).
 */
export class AgentProcess {
  private stderrTail = '';
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly metricsUrl: string | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-8000);
    });
  }

  static async start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<AgentProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'agent', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    let stderr = '';
    const onStderr = (text: string): void => {
      stderr = (stderr + text).slice(-8000);
    };
    child.stderr?.on('data', onStderr);
    const metricsUrl = await new Promise<string | undefined>((resolve, reject) => {
      let stdout = '';
      const fail = (error: Error): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${error.message}\nstderr:\n${stderr}`));
      };
      const timer = setTimeout(() => fail(new Error(`skiff agent did not become ready within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.stdout?.on('data', (text: string) => {
        stdout += text;
        const match = READY_LINE.exec(stdout);
        if (match !== null) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code, signal) => fail(new Error(`skiff agent exited early (code ${code}, signal ${signal})`)));
      child.once('error', fail);
    });
    child.stderr?.off('data', onStderr);
    child.stdout?.resume();
    const agent = new AgentProcess(child, metricsUrl);
    agent.stderrTail = stderr;
    return agent;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the exit code once the process is gone. */
  async waitForExit(): Promise<number | null> {
    await this.exited;
    return this.child.exitCode;
  }

  /** SIGKILL: no cleanup, no goodbye. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it does not exit in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
