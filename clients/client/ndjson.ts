/**
 * Incremental newline-delimited JSON decoding. Network chunks cut lines (and
 * multi-byte UTF-8 characters) anywhere, so bytes go through a streaming
 * TextDecoder and only complete lines are parsed.
 */
export class NdjsonDecoder {
  private readonly text = new TextDecoder('utf-8', { fatal: false });
  private pending = '';

  /** Feeds one chunk; returns the values of every line it completed. */
  push(chunk: Uint8Array | string): unknown[] {
    this.pending += typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true });
    const values: unknown[] = [];
    let start = 0;
    for (let newline = this.pending.indexOf('\n', start); newline !== -1; newline = this.pending.indexOf('\n', start)) {
      pushLine(values, this.pending.slice(start, newline));
      start = newline + 1;
    }
    this.pending = start === 0 ? this.pending : this.pending.slice(start);
    return values;
  }

  /** Flushes a last line that had no terminating newline. */
  end(): unknown[] {
    this.pending += this.text.decode();
    const values: unknown[] = [];
    pushLine(values, this.pending);
    this.pending = '';
    return values;
  }
}

export class NdjsonSyntaxError extends Error {
  readonly line: string;

  constructor(line: string, cause: unknown) {
    super(`malformed watch event line: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`, { cause });
    this.name = 'NdjsonSyntaxError';
    this.line = line;
  }
}

function pushLine(values: unknown[], rawLine: string): void {
  const line = rawLine.trim();
  if (line === '') return;
  try {
    values.push(JSON.parse(line));
  } catch (error) {
    throw new NdjsonSyntaxError(line, error);
  }
}
