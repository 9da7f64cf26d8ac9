// A watch client over real HTTP for the watch tests: one socket per watch
// (no agent), newline-delimited JSON events collected as they arrive.
import http from 'node:http';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface WatchObject {
  kind?: string;
  apiVersion?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface WatchEvent {
  type: string;
  object: WatchObject;
}

export interface WatchEnd {
  /** The chunked body ended with its terminating chunk (the server ended the stream cleanly). */
  clean: boolean;
  /** The client closed the watch itself. */
  byClient: boolean;
}

export function revisionOf(event: WatchEvent): number {
  return Number(event.object.metadata?.resourceVersion ?? Number.NaN);
}

export class WatchClient {
  readonly events: WatchEvent[] = [];
  /** performance.now() when each event arrived, by index. */
  readonly arrivals: number[] = [];
  readonly done: Promise<WatchEnd>;
  statusCode = 0;
  headers: http.IncomingHttpHeaders = {};
  ended: WatchEnd | undefined;
  private closedByClient = false;
  private readonly waiters = new Set<() => void>();
  private request!: http.ClientRequest;
  private resolveDone!: (end: WatchEnd) => void;

  private constructor() {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Opens `path` on `baseUrl` and resolves once the response headers arrived. */
  static open(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<WatchClient> {
    const client = new WatchClient();
    return new Promise((resolve, reject) => {
      const request = http.get(new URL(path, baseUrl), { agent: false, headers }, (res) => {
        client.statusCode = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8');
        let pending = '';
        res.on('data', (chunk: string) => {
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (line.trim() !== '') {
              client.events.push(JSON.parse(line) as WatchEvent);
              client.arrivals.push(performance.now());
            }
            newline = pending.indexOf('\n');
          }
          client.wake();
        });
        res.on('close', () => client.finish(res.complete));
        resolve(client);
      });
      request.on('error', (error) => {
        if (client.statusCode === 0) reject(error);
        client.finish(false);
      });
      client.request = request;
    });
  }

  /** Resolves when `predicate` holds for the events so far; rejects after `timeoutMs`. */
  waitFor(predicate: (events: readonly WatchEvent[]) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (predicate(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this.events)) {
          cleanup();
          resolve();
        } else if (this.ended) {
          cleanup();
          reject(new Error(`watch ended before ${what}; got ${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${this.describe()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Waits for an event or bookmark at `revision` or later. */
  waitForRevision(revision: number, timeoutMs?: number): Promise<void> {
    return this.waitFor((events) => events.some((e) => revisionOf(e) >= revision), `resourceVersion ${revision}`, timeoutMs);
  }

  waitForCount(count: number, timeoutMs?: number): Promise<void> {
    return this.waitFor((events) => events.length >= count, `${count} events`, timeoutMs);
  }

  /** The events other than BOOKMARKs. */
  changes(): WatchEvent[] {
    return this.events.filter((e) => e.type !== 'BOOKMARK');
  }

  close(): void {
    if (this.ended) return;
    this.closedByClient = true;
    this.request.destroy();
  }

  describe(): string {
    const shown = this.events.slice(-12).map((e) => `${e.type} ${e.object.metadata?.name ?? e.object.kind ?? ''}@${e.object.metadata?.resourceVersion ?? ''}`);
    return `${this.events.length} events [${this.events.length > 12 ? '…, ' : ''}${shown.join(', ')}]`;
  }

  private finish(clean: boolean): void {
    if (this.ended) return;
    this.ended = { clean, byClient: this.closedByClient };
    this.resolveDone(this.ended);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Closes every watch, for `finally` blocks. */
export function closeAll(watches: readonly (WatchClient | undefined)[]): void {
  for (const watch of watches) watch?.close();
}
