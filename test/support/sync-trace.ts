import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Counts fsync/fdatasync calls of a process run under strace. `-y` prints the
// path behind each file descriptor, so the count can be narrowed to one file;
// `-I 2` lets SIGTERM reach strace (which then stops its tracee with it), where
// strace's default for `-o FILE command` would ignore it.

const SYNC_CALL = /\b(?:fsync|fdatasync)\(\d+<([^>]*)>/;

/** Why strace cannot count syncs here, or undefined when it can. */
export function straceSkipReason(): string | undefined {
  const probe = spawnSync('strace', ['-f', '-e', 'trace=fsync', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
  if (probe.error) return 'strace is not installed (apt-get install strace)';
  if (probe.status !== 0) return 'strace cannot trace processes here (ptrace not permitted)';
  return undefined;
}

/** The command prefix that traces every sync of the wrapped command (and its threads) into `file`. */
export function syncTraceWrapper(file: string): string[] {
  return ['strace', '-I', '2', '-f', '--seccomp-bpf', '-y', '-e', 'trace=fsync,fdatasync', '-o', file, '--'];
}

/** How many syncs `file` records so far on files whose path `matches`. strace writes each line as the call starts. */
export function countSyncs(file: string, matches: (path: string) => boolean): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let count = 0;
  for (const line of text.split('\n')) {
    const path = SYNC_CALL.exec(line)?.[1];
    if (path !== undefined && matches(path)) count++;
  }
  return count;
}
