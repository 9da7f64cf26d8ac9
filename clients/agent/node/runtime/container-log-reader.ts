// Reads a container's CRI-format log back as `kubectl logs` wants it
// (kubelet pkg/kubelet/kuberuntime/logs): the text of each record, with its
// timestamp when asked, from `sinceTime` on, the last `tailLines` lines, at
// most `limitBytes` bytes; with `follow`, new records as they are written
// until the container instance ends.

import fs from 'node:fs';

export interface LogOptions {
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Only records at or after this time (ms since the epoch). */
  sinceMs?: number;
  limitBytes?: number;
}

interface LogRecord {
  time: string;
  text: string;
}

const RECORD = /^(\S+) (stdout|stderr) ([FP]) (.*)$/;

export function parseLogRecord(line: string): LogRecord | undefined {
  const match = RECORD.exec(line);
  if (match === null) return undefined;
  return { time: match[1]!, text: match[3] === 'F' ? `${match[4]}\n` : match[4]! };
}

function render(record: LogRecord, options: LogOptions): string {
  return options.timestamps ? `${record.time} ${record.text}` : record.text;
}

function wanted(record: LogRecord, options: LogOptions): boolean {
  return options.sinceMs === undefined || Date.parse(record.time) >= options.sinceMs;
}

/** The records already written (the rotated file first), as text for the client. */
export function readLogText(path: string, options: LogOptions): { text: string; offset: number } {
  const files = [`${path}.1`, path].filter((file) => fs.existsSync(file));
  let records: LogRecord[] = [];
  let offset = 0;
  for (const file of files) {
    const content = fs.readFileSync(file, 'utf8');
    if (file === path) offset = Buffer.byteLength(content.slice(0, content.lastIndexOf('\n') + 1));
    for (const line of content.split('\n')) {
      const record = parseLogRecord(line);
      if (record !== undefined && wanted(record, options)) records.push(record);
    }
  }
  if (options.tailLines !== undefined) records = options.tailLines === 0 ? [] : records.slice(-options.tailLines);
  return { text: records.map((r) => render(r, options)).join(''), offset };
}

export interface LogSink {
  /** Returns false once the client is gone or the byte limit is reached. */
  write(text: string): boolean;
}

/**
 * Writes what is there, then (with `follow`) polls the file for more until
 * `running()` says the instance ended and the file holds nothing new, or the
 * sink stops accepting.
 */
export async function streamLog(path: string, options: LogOptions, sink: LogSink, running: () => boolean, signal: AbortSignal, pollMs = 200): Promise<void> {
  const first = readLogText(path, options);
  if (first.text !== '' && !sink.write(first.text)) return;
  if (!options.follow) return;
  let offset = first.offset;
  let partial = '';
  while (!signal.aborted) {
    const alive = running();
    let size = 0;
    try {
      size = fs.statSync(path).size;
    } catch {
      return;
    }
    // Rotated under us: the new file starts from its beginning.
    if (size < offset) offset = 0;
    if (size > offset) {
      const fd = fs.openSync(path, 'r');
      try {
        const buffer = Buffer.alloc(size - offset);
        fs.readSync(fd, buffer, 0, buffer.length, offset);
        offset = size;
        const lines = (partial + buffer.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        let text = '';
        for (const line of lines) {
          const record = parseLogRecord(line);
          if (record !== undefined && wanted(record, options)) text += render(record, options);
        }
        if (text !== '' && !sink.write(text)) return;
      } finally {
        fs.closeSync(fd);
      }
      continue;
    }
    if (!alive) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
