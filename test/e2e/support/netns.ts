// A throwaway network lab: namespaces with unique names, processes started
// inside them, and one destroy() that removes all of it (processes first,
// then namespaces, which takes every interface in them along), even when a
// test failed half-way.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Why namespace tests cannot run here, or undefined when they can. */
export function netnsSkipReason(tools: readonly string[] = ['ip', 'nft']): string | undefined {
  if (!isRoot()) return 'needs root (network namespaces and netfilter rules); run the tests as root to include it';
  for (const tool of tools) {
    if (!['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some((dir) => existsSync(`${dir}/${tool}`))) return `needs ${tool} on PATH`;
  }
  return undefined;
}

/** Short random suffix: interface names are limited to 15 characters. */
export function randomSuffix(): string {
  return randomBytes(3).toString('hex');
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command to completion; never throws for a non-zero exit (the caller decides). */
export function exec(file: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], { timeout: options.timeoutMs ?? 30_000, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ stdout, stderr, code });
    });
    // A command that exits without reading its stdin closes the pipe; its exit status says what matters.
    child.stdin?.on('error', () => undefined);
    if (options.input === undefined) child.stdin?.end();
    else child.stdin?.end(options.input);
  });
}

/** Like exec, but a non-zero exit is an error with the command and its stderr. */
export async function mustExec(file: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const result = await exec(file, args, options);
  if (result.code !== 0) throw new Error(`${[file, ...args].join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}

export interface LabProcess {
  child: ChildProcess;
  /** stdout and stderr so far (the last 16 KiB). */
  output(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

export class NetnsLab {
  readonly suffix = randomSuffix();
  private readonly namespaces: string[] = [];
  private readonly processes: LabProcess[] = [];

  /** Creates `skiff-<role>-<suffix>` with loopback up. */
  async addNamespace(role: string): Promise<string> {
    const name = `skiff-${role}-${this.suffix}`;
    await mustExec('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    await this.ip(name, ['link', 'set', 'lo', 'up']);
    return name;
  }

  /** `ip …` inside a namespace. */
  async ip(ns: string, args: readonly string[]): Promise<string> {
    return mustExec('ip', ['-n', ns, ...args]);
  }

  /** Any command inside a namespace; the result, whatever the exit status. */
  execIn(ns: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return exec('ip', ['netns', 'exec', ns, ...args], options);
  }

  async mustExecIn(ns: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    return mustExec('ip', ['netns', 'exec', ns, ...args], options);
  }

  async sysctl(ns: string, key: string, value: string): Promise<void> {
    await this.mustExecIn(ns, ['sysctl', '-q', '-w', `${key}=${value}`]);
  }

  /** Starts a long-running process inside a namespace (`ip netns exec` execs into it: same pid). */
  spawnIn(ns: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): LabProcess {
    const child = spawn('ip', ['netns', 'exec', ns, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    const waiters = new Set<() => void>();
    const onData = (isStdout: boolean) => (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-16_384);
      if (isStdout) stdout = (stdout + text).slice(-65_536);
      for (const waiter of waiters) waiter();
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(false));
    const lab: LabProcess = {
      child,
      output: () => output,
      waitFor: (pattern, timeoutMs = 60_000) =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            const match = pattern.exec(stdout);
            if (match !== null) {
              done();
              resolve(match);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              done();
              reject(new Error(`${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`));
            }
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${output}`));
          }, timeoutMs);
          const done = (): void => {
            clearTimeout(timer);
            waiters.delete(check);
            child.off('exit', check);
          };
          waiters.add(check);
          child.on('exit', check);
          check();
        }),
    };
    this.processes.push(lab);
    return lab;
  }

  /** Stops one process: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(process: LabProcess, graceMs = 5000): Promise<void> {
    const { child } = process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Kills every process started here (and anything else left in our namespaces), then deletes the namespaces. */
  async destroy(): Promise<void> {
    await Promise.all(this.processes.map((p) => this.stop(p, 3000)));
    for (const ns of this.namespaces) {
      const pids = await exec('ip', ['netns', 'pids', ns]);
      for (const pid of pids.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const ns of this.namespaces.splice(0).reverse()) await exec('ip', ['netns', 'del', ns]);
  }
}

/**
 * An interface to hold pod addresses, up and with carrier. A dummy interface
 * is the natural choice, but not every kernel has the dummy driver; a veth
 * pair with both ends in the namespace behaves the same for this purpose.
 */
export async function addPodInterface(lab: NetnsLab, ns: string, name: string): Promise<void> {
  await lab.ip(ns, ['link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`]);
  await lab.ip(ns, ['link', 'set', `${name}p`, 'up']);
  await lab.ip(ns, ['link', 'set', name, 'up']);
}
