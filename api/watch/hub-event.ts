import type { StoreEvent, StoreEventType } from '../../storage/store.js';
import { frameEvent } from './watch-frame.js';

export type WatchEventType = StoreEventType | 'BOOKMARK' | 'ERROR';

/** Renders an object in a representation other than plain JSON (a one-row Table, for kubectl). */
export type ObjectRenderer = (object: unknown) => string;

/** The representation whose body is the stored JSON text itself. */
export const JSON_REPRESENTATION = 'json';

const TYPE_SLOT: Readonly<Record<StoreEventType, number>> = { ADDED: 0, MODIFIED: 1, DELETED: 2 };

interface ObjectWithMeta {
  metadata?: Record<string, unknown>;
}

/**
 * One change, shared by every watcher of its resource. The decoded objects and
 * each framed line are computed at most once, on first use, however many
 * watchers receive the event: a thousand watchers of one event cost one
 * serialization and a thousand writes of the same Buffer.
 */
export class HubEvent {
  private decodedValue: unknown;
  private decodedPrevious: unknown;
  private removedValue: unknown;
  /** JSON frames by TYPE_SLOT: the hot path, no key building per watcher. */
  private readonly jsonFrames: (Buffer | undefined)[] = [undefined, undefined, undefined];
  private renderedFrames: Map<string, Buffer> | undefined;

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

  /** The object after the change; for DELETED its last state, carrying the deletion's resourceVersion. */
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
   * The object a watcher receives when sent this change as `type`. Kubernetes'
   * cacher sends an object that stopped matching a selector as DELETED with its
   * previous content and this event's resourceVersion, the same shape as a real
   * deletion; otherwise it is the object after the change.
   */
  objectAs(type: StoreEventType): unknown {
    if (type !== 'DELETED' || this.raw.type === 'DELETED' || this.raw.previous === null) return this.object;
    if (this.removedValue === undefined) {
      const previous = this.previous as ObjectWithMeta;
      this.removedValue = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(this.raw.revision) } };
    }
    return this.removedValue;
  }

  /**
   * This change sent as `type` (a selector transition turns a MODIFIED into an
   * ADDED or DELETED) in the named representation, framed for the wire (see
   * watch-frame.ts). Without a renderer the representation is plain JSON.
   */
  frame(type: StoreEventType, representation: string = JSON_REPRESENTATION, render?: ObjectRenderer): Buffer {
    if (render === undefined) {
      const slot = TYPE_SLOT[type];
      let frame = this.jsonFrames[slot];
      if (frame === undefined) {
        const body = type === 'DELETED' && this.raw.type === 'MODIFIED' ? JSON.stringify(this.objectAs(type)) : this.raw.value;
        frame = frameEvent(type, body);
        this.jsonFrames[slot] = frame;
      }
      return frame;
    }
    this.renderedFrames ??= new Map();
    const key = `${type}\u0000${representation}`;
    let frame = this.renderedFrames.get(key);
    if (frame === undefined) {
      frame = frameEvent(type, render(this.objectAs(type)));
      this.renderedFrames.set(key, frame);
    }
    return frame;
  }
}
