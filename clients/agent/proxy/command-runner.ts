// The one place the agent runs kernel tools (`nft -f -`, `iptables-restore
// --noflush`, `iptables -C`). Backends take a CommandRunner so that tests can
// record what would run, or run it inside a network namespace.

import { spawn } from 'node:child_process';

export interface CommandOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Overrides the runner's default time limit. */
  timeoutMs?: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export type CommandRunner = (command: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

export interface CommandRunnerOptions {
  /** Default time limit per command; a command still running then is killed. */
  timeoutMs?: number;
  /**
   * Prepended to every command line, e.g. `['ip', 'netns', 'exec', 'ns1']`
   * runs everything inside a network namespace.
   */
  wrapper?: readonly string[];
}

/** Default limit: generous enough for a 10,000-Service `nft -f`, short enough that a wedged tool cannot stall the sync loop. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** Lines of stderr kept in an error message; nft prints the offending line and a caret under it. */
const STDERR_LINES_IN_MESSAGE = 12;

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
    reason: string,
  ) {
    super(`${[command, ...args].join(' ')} ${reason}${summarize(stderr)}`);
    this.name = 'CommandError';
  }
}

function summarize(stderr: string): string {
  const lines = stderr.trimEnd().split('\n').filter((line) => line !== '');
  if (lines.length === 0) return '';
  const kept = lines.slice(0, STDERR_LINES_IN_MESSAGE);
  const more = lines.length > kept.length ? `\n… ${lines.length - kept.length} more lines` : '';
  return `:\n${kept.join('\n')}${more}`;
}

export function createCommandRunner(options: CommandRunnerOptions = {}): CommandRunner {
  const defaultTimeout = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const wrapper = options.wrapper ?? [];
  return (command, args, runOptions = {}) => {
    const timeoutMs = runOptions.timeoutMs ?? defaultTimeout;
    const [file, ...fullArgs] = [...wrapper, command, ...args] as [string, ...string[]];
    return new Promise<CommandResult>((resolve, reject) => {
      const child = spawn(file, fullArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      // A tool that exits before reading all its input closes the pipe; the
      // exit status then says what went wrong, not the EPIPE.
      child.stdin.on('error', () => undefined);
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const reason = error.code === 'ENOENT' ? `could not start: ${file} not found on PATH` : `could not start: ${error.message}`;
        reject(new CommandError(command, args, null, null, '', reason));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const err = Buffer.concat(stderr).toString('utf8');
        if (timedOut) {
          reject(new CommandError(command, args, code, signal, err, `timed out after ${timeoutMs} ms`));
        } else if (code !== 0) {
          const reason = code === null ? `killed by ${signal ?? 'a signal'}` : `exited with status ${code}`;
          reject(new CommandError(command, args, code, signal, err, reason));
        } else {
          resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: err });
        }
      });
      child.stdin.end(runOptions.input ?? '');
    });
  };
}
