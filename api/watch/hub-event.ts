import type { StoreEvent, StoreEventType } from '../../storage/store.js';

export type WatchEventType = StoreEventType | 'BOOKMARK' | 'ERROR';

/**
 * One change, shared by every watcher of its resource. The decoded objects and
 * each serialized line are computed at most once, on first use, however many
 * watchers receive the event.
 */
export class HubEvent {
  private decodedValue: unknown;
  private decodedPrevious: unknown;
  private readonly lines = new Map<string, string>();

  constructor(readonly raw: StoreEvent) {}

  get revision(): number {
    return this.raw.revision;
  }

  get type(): StoreEventType {
    return this.raw.type;
  }

  get resource(): string {
    return this.raw.resource;
  }

  get namespace(): string {
    return this.raw.namespace;
  }

  get object(): unknown {
    if (this.decodedValue === undefined) this.decodedValue = JSON.parse(this.raw.value);
    return this.decodedValue;
  }

  /** The object before the change, or undefined for ADDED. */
  get previous(): unknown {
    if (this.raw.previous === null) return undefined;
    if (this.decodedPrevious === undefined) this.decodedPrevious = JSON.parse(this.raw.previous);
    return this.decodedPrevious;
  }

  /**
   * The NDJSON line for this event, sent as `type` (a selector transition turns
   * a MODIFIED into an ADDED or DELETED) in the named representation.
   */
  line(type: StoreEventType, representation: string, render?: (object: unknown, event: HubEvent) => string): string {
    const cacheKey = `${type}|${representation}`;
    let line = this.lines.get(cacheKey);
    if (line === undefined) {
      const body = render ? render(this.object, this) : this.raw.value;
      line = `{"type":"${type}","object":${body}}\n`;
      this.lines.set(cacheKey, line);
    }
    return line;
  }
}
