import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
// Resolved here, so the CLI also starts from a working directory outside the repository.
const TSX = import.meta.resolve('tsx');

const READY_LINE = /^skiff server listening on (https?:\/\/\S+)$/m;
const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 15_000;

export interface SkiffOptions {
  /** Added to the test run's environment, from which every SKIFF_* variable is removed. */
  env?: Record<string, string>;
  cwd?: string;
  /** A command that runs the skiff process given as its trailing arguments (e.g. `strace ... --`). */
  wrapper?: string[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The environment of the test run without any SKIFF_* variable, so only what a test sets reaches the CLI. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SKIFF_')) env[name] = value;
  return { ...env, ...extra };
}

/** A `skiff` child process (through tsx, as `npm start` would run the built file), its output collected. */
export class SkiffProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      this.stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text;
    });
    this.exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  static spawn(args: string[], options: SkiffOptions = {}): SkiffProcess {
    const argv = [...(options.wrapper ?? []), process.execPath, '--import', TSX, MAIN, ...args];
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd ?? REPO_ROOT,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new SkiffProcess(child);
  }

  /** Resolves to the URL of the ready line; rejects if the process exits or stays silent first. */
  async ready(): Promise<string> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    for (;;) {
      const match = READY_LINE.exec(this.stdout);
      if (match?.[1]) return match[1];
      if (exited) throw new Error(`skiff exited before it was ready\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`skiff printed no ready line within ${START_TIMEOUT_MS} ms\nstderr:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits for the exit, killing the process if it outstays the bound. */
  async exit(): Promise<Exit> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no shutdown and no flush, as a crash or a power cut. */
  async crash(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Stops the process if it still runs (SIGTERM, then SIGKILL after the bound). */
  async stop(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exit();
  }
}

/** Runs `skiff args` to completion. */
export async function runSkiff(args: string[], options: SkiffOptions = {}): Promise<Exit & { stdout: string; stderr: string }> {
  const process = SkiffProcess.spawn(args, options);
  const exit = await process.exit();
  return { ...exit, stdout: process.stdout, stderr: process.stderr };
}
