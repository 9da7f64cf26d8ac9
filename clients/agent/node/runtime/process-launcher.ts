// Starts a container's process the way a runtime shim does, without a native
// addon: a small `sh` shim, leader of its own process group, stays the
// process's parent, moves itself into the container's cgroup, runs the command
// through `setpriv` (user, group, no supplementary groups, no_new_privs) and
// writes the exit code to a file when it ends. The agent is the shim's parent
// while it lives; an agent started later adopts the shim by PID and start time
// and learns the exit code from the file. stdout and stderr are FIFOs the
// process holds open for reading and writing, so it neither gets SIGPIPE nor
// loses output while no agent reads them (it blocks once the pipe is full).

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { constants as osConstants } from 'node:os';
import type { Readable } from 'node:stream';
import { isSameProcess, processStartTicks, type ProcessIdentity } from './process-identity.js';
import type { RunAs } from './run-as-user.js';

// $1 cgroup.procs path or "", $2 exit-code file, then the command. The trap
// makes the shim outlive a SIGTERM sent to the group, so it can record how the
// process ended; the process itself gets the default disposition back.
const SHIM = 'cg=$1; ef=$2; shift 2; [ -n "$cg" ] && echo $$ > "$cg"; trap : TERM INT; "$@"; c=$?; echo $c > "$ef"; exit $c';

export interface Launcher {
  /** Absolute path of setpriv, or undefined when it is missing. */
  setpriv: string | undefined;
  /** The user the agent runs as. */
  self: RunAs;
}

export function detectLauncher(): Launcher {
  let setpriv: string | undefined;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 5000 });
      setpriv = candidate;
      break;
    } catch {
      // Try the next place.
    }
  }
  return { setpriv, self: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 } };
}

/** The command wrapped so it runs as `user` with no_new_privs (as far as the host allows). */
export function privilegeDrop(launcher: Launcher, user: RunAs, command: readonly string[]): { argv: string[]; spawnAs?: RunAs } {
  if (launcher.setpriv === undefined) {
    // No setpriv: Node's spawn switches user and clears supplementary groups, but cannot set no_new_privs.
    return { argv: [...command], spawnAs: user.uid === launcher.self.uid && user.gid === launcher.self.gid ? undefined : user };
  }
  const switching = user.uid !== launcher.self.uid || user.gid !== launcher.self.gid;
  const args = [launcher.setpriv, '--no-new-privs'];
  if (switching) args.push('--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups');
  return { argv: [...args, '--', ...command] };
}

export interface LaunchSpec {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  user: RunAs;
  /** The two FIFOs the process writes to. */
  stdoutFifo: string;
  stderrFifo: string;
  exitFile: string;
  /** cgroup.procs of the container's cgroup, or undefined. */
  cgroupProcs: string | undefined;
}

export interface ExitStatus {
  exitCode: number;
  /** The signal that ended the shim itself (SIGKILL of the whole group). */
  signal: NodeJS.Signals | undefined;
}

export interface LaunchedProcess {
  identity: ProcessIdentity;
  stdout: Readable;
  stderr: Readable;
  exited: Promise<ExitStatus>;
}

export function makeFifo(path: string): void {
  try {
    if (fs.statSync(path).isFIFO()) return;
    fs.rmSync(path, { force: true });
  } catch {
    // Absent: made below.
  }
  execFileSync('mkfifo', ['-m', '600', path]);
}

/** Opens a FIFO's read end without blocking and wraps it as a stream. */
function readFifo(path: string): Readable {
  const fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  return new net.Socket({ fd, readable: true, writable: false });
}

export function launch(launcher: Launcher, spec: LaunchSpec): Promise<LaunchedProcess> {
  makeFifo(spec.stdoutFifo);
  makeFifo(spec.stderrFifo);
  fs.rmSync(spec.exitFile, { force: true });
  // The process's ends first (read-write, so they never block), then ours: a
  // read end opened with no writer yet would see end-of-file at once.
  const outFd = fs.openSync(spec.stdoutFifo, fs.constants.O_RDWR);
  const errFd = fs.openSync(spec.stderrFifo, fs.constants.O_RDWR);
  const stdout = readFifo(spec.stdoutFifo);
  const stderr = readFifo(spec.stderrFifo);
  const drop = privilegeDrop(launcher, spec.user, spec.command);
  try {
    const child = spawn('/bin/sh', ['-c', SHIM, 'skiff-shim', drop.spawnAs === undefined ? (spec.cgroupProcs ?? '') : '', spec.exitFile, ...drop.argv], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', outFd, errFd],
      ...(drop.spawnAs === undefined ? {} : { uid: drop.spawnAs.uid, gid: drop.spawnAs.gid }),
    });
    return new Promise((resolve, reject) => {
      child.once('error', (error) => {
        stdout.destroy();
        stderr.destroy();
        reject(error);
      });
      child.once('spawn', () => {
        const pid = child.pid!;
        // Without setpriv the shim runs as the container's user and cannot move itself.
        if (drop.spawnAs !== undefined && spec.cgroupProcs !== undefined) fs.writeFileSync(spec.cgroupProcs, String(pid));
        const exited = new Promise<ExitStatus>((done) => {
          child.once('exit', (code, signal) => done({ exitCode: code ?? signalExitCode(signal), signal: signal ?? undefined }));
        });
        resolve({ identity: { pid, startTicks: processStartTicks(pid) ?? '' }, stdout, stderr, exited });
      });
    });
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(errFd);
  }
}

/** 128 + the signal's number, as a shell reports a process a signal ended. */
export function signalExitCode(signal: NodeJS.Signals | null): number {
  const number = signal === null ? undefined : (osConstants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 9);
}

/**
 * Takes over a shim a previous agent started: its output FIFOs are read
 * again and its end is noticed by polling (it is not our child), the exit
 * code then read from its file.
 */
export function adopt(identity: ProcessIdentity, paths: { stdoutFifo: string; stderrFifo: string; exitFile: string }, pollMs: number): LaunchedProcess | undefined {
  if (!isSameProcess(identity)) return undefined;
  const stdout = readFifo(paths.stdoutFifo);
  const stderr = readFifo(paths.stderrFifo);
  const exited = new Promise<ExitStatus>((resolve) => {
    const timer = setInterval(() => {
      if (isSameProcess(identity)) return;
      clearInterval(timer);
      resolve(readExitFile(paths.exitFile));
    }, pollMs);
  });
  return { identity, stdout, stderr, exited };
}

/** What the shim recorded; a shim killed with the group (SIGKILL) recorded nothing. */
export function readExitFile(path: string): ExitStatus {
  try {
    const code = Number(fs.readFileSync(path, 'utf8').trim());
    if (Number.isInteger(code)) return { exitCode: code, signal: undefined };
  } catch {
    // Fall through.
  }
  return { exitCode: signalExitCode('SIGKILL'), signal: 'SIGKILL' };
}
