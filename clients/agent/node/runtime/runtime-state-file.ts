// What the runtime has started, on disk, so an agent that restarts adopts its
// containers instead of starting them twice or leaving them behind. Written
// whole to a temporary file and renamed over the old one, so a crash leaves
// either the old or the new record, never half of one.

import fs from 'node:fs';
import path from 'node:path';
import type { ProcessIdentity } from './process-identity.js';

export interface TerminatedRecord {
  exitCode: number;
  reason: string;
  signal?: number;
  startedAt: string;
  finishedAt: string;
  containerID?: string;
}

export interface ContainerRecord {
  podUid: string;
  namespace: string;
  pod: string;
  container: string;
  /** The shim, leader of the container's process group. */
  process: ProcessIdentity;
  startedAt: string;
  restartCount: number;
  lastTerminated?: TerminatedRecord;
}

interface StateFileContent {
  version: 1;
  containers: ContainerRecord[];
}

export class RuntimeStateFile {
  readonly path: string;

  constructor(rootDir: string) {
    this.path = path.join(rootDir, 'runtime-state.json');
  }

  read(): ContainerRecord[] {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    const content = JSON.parse(text) as Partial<StateFileContent>;
    if (content.version !== 1 || !Array.isArray(content.containers)) throw new Error(`${this.path}: not a skiff runtime state file (version ${String(content.version)})`);
    return content.containers;
  }

  write(containers: readonly ContainerRecord[]): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const content: StateFileContent = { version: 1, containers: [...containers] };
    fs.writeFileSync(temporary, JSON.stringify(content, null, 1), { mode: 0o600 });
    fs.renameSync(temporary, this.path);
  }

  remove(): void {
    fs.rmSync(this.path, { force: true });
  }
}
