// A container's stdout and stderr, written the way the CRI runtimes write them
// (and the kubelet reads them): one line per record,
// `<RFC 3339 nano time> <stdout|stderr> <F|P> <text>`, P marking a partial
// line cut at MAX_LINE_BYTES. When the file passes `maxBytes` it is rotated
// to `<file>.1` (one rotated file is kept) and a new one is started.

import fs from 'node:fs';
import type { Readable } from 'node:stream';

const MAX_LINE_BYTES = 16 * 1024;

export type LogStream = 'stdout' | 'stderr';

export interface ContainerLogWriterOptions {
  path: string;
  maxBytes: number;
  now?: () => Date;
}

/** RFC 3339 with nanoseconds, as containerd writes it (JavaScript has milliseconds; the rest is zero). */
export function logTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export class ContainerLogWriter {
  private fd: number;
  private size: number;
  private readonly pending: Record<LogStream, string> = { stdout: '', stderr: '' };
  private readonly now: () => Date;
  private open = 0;
  private closed = false;
  private readonly drained: Promise<void>;
  private resolveDrained!: () => void;

  constructor(private readonly options: ContainerLogWriterOptions) {
    this.now = options.now ?? (() => new Date());
    this.fd = fs.openSync(options.path, 'a', 0o640);
    this.size = fs.fstatSync(this.fd).size;
    this.drained = new Promise((resolve) => (this.resolveDrained = resolve));
  }

  /** Copies `source` into the log until it ends. */
  attach(stream: LogStream, source: Readable): void {
    this.open += 1;
    source.setEncoding('utf8');
    source.on('data', (text: string) => this.write(stream, text));
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      if (this.pending[stream] !== '') this.record(stream, this.pending[stream], 'F');
      this.pending[stream] = '';
      this.open -= 1;
      if (this.open === 0) this.resolveDrained();
    };
    source.on('end', end);
    source.on('close', end);
    source.on('error', end);
  }

  /** Resolves once every attached stream has ended (the process and its shim are gone). */
  whenDrained(): Promise<void> {
    return this.open === 0 ? Promise.resolve() : this.drained;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private write(stream: LogStream, text: string): void {
    let buffer = this.pending[stream] + text;
    for (;;) {
      const newline = buffer.indexOf('\n');
      if (newline === -1) break;
      this.record(stream, buffer.slice(0, newline), 'F');
      buffer = buffer.slice(newline + 1);
    }
    while (Buffer.byteLength(buffer) > MAX_LINE_BYTES) {
      this.record(stream, buffer.slice(0, MAX_LINE_BYTES), 'P');
      buffer = buffer.slice(MAX_LINE_BYTES);
    }
    this.pending[stream] = buffer;
  }

  private record(stream: LogStream, line: string, tag: 'F' | 'P'): void {
    if (this.closed) return;
    const data = Buffer.from(`${logTimestamp(this.now())} ${stream} ${tag} ${line}\n`);
    fs.writeSync(this.fd, data);
    this.size += data.length;
    if (this.size >= this.options.maxBytes) this.rotate();
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    fs.renameSync(this.options.path, `${this.options.path}.1`);
    this.fd = fs.openSync(this.options.path, 'a', 0o640);
    this.size = 0;
  }
}
