// A process named so that a reused PID is never mistaken for it: its PID and
// its start time in clock ticks since boot (field 22 of /proc/PID/stat).

import fs from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  startTicks: string;
}

export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Whether the process is still the one recorded (alive, not a zombie, same start time). */
export function isSameProcess(identity: ProcessIdentity): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${identity.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && fields[19] === identity.startTicks;
  } catch {
    return false;
  }
}

/** Signals the process group the identity leads, if it is still that process. */
export function signalGroup(identity: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isSameProcess(identity)) return false;
  try {
    process.kill(-identity.pid, signal);
    return true;
  } catch {
    return false;
  }
}
