// A command run inside a running container, as far as this runtime has an
// inside: as the container's user, in its environment and working directory
// (exec probes, exec hooks, `kubectl exec`).

import { spawn, type ChildProcess } from 'node:child_process';
import { privilegeDrop, type Launcher } from './process-launcher.js';
import type { RunAs } from './run-as-user.js';

export interface ExecContext {
  launcher: Launcher;
  user: RunAs;
  env: Record<string, string>;
  cwd: string;
}

/** Starts `command` with piped stdio; the caller wires the streams. */
export function spawnInContainer(context: ExecContext, command: readonly string[]): ChildProcess {
  const drop = privilegeDrop(context.launcher, context.user, command);
  const [file, ...args] = drop.argv;
  return spawn(file ?? '', args, {
    cwd: context.cwd,
    env: context.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(drop.spawnAs === undefined ? {} : { uid: drop.spawnAs.uid, gid: drop.spawnAs.gid }),
  });
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr together, at most `maxOutputBytes`. */
  output: string;
  timedOut: boolean;
}

/** Runs `command` to its end, killing it after `timeoutMs` (exec probes and hooks). */
export function runInContainer(context: ExecContext, command: readonly string[], timeoutMs: number, maxOutputBytes = 10 * 1024): Promise<ExecResult> {
  return new Promise((resolve) => {
    if (command.length === 0) {
      resolve({ exitCode: 126, output: 'empty command', timedOut: false });
      return;
    }
    const child = spawnInContainer(context, command);
    child.stdin?.end();
    let output = '';
    const collect = (chunk: Buffer): void => {
      if (output.length < maxOutputBytes) output += chunk.toString('utf8').slice(0, maxOutputBytes - output.length);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, output: error.message, timedOut: false });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal === null ? 1 : 137), output, timedOut });
    });
  });
}
