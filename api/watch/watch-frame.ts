import type { WatchEventType } from './hub-event.js';

const CRLF = '\r\n';

/**
 * One watch event as it goes on the wire: the NDJSON line
 * `{"type":…,"object":…}\n` framed as one HTTP/1.1 chunk (size in hex, CRLF,
 * the line, CRLF). Framing once per event lets a thousand watchers' sockets
 * take the same bytes in a single write each.
 */
export function frameEvent(type: WatchEventType, objectJson: string): Buffer {
  const line = `{"type":"${type}","object":${objectJson}}\n`;
  const length = Buffer.byteLength(line);
  const head = `${length.toString(16)}${CRLF}`;
  const frame = Buffer.allocUnsafe(head.length + length + CRLF.length);
  frame.write(head, 0, 'latin1');
  frame.write(line, head.length, 'utf8');
  frame.write(CRLF, head.length + length, 'latin1');
  return frame;
}

/** The NDJSON line inside a frame, without copying. */
export function unframe(frame: Buffer): Buffer {
  return frame.subarray(frame.indexOf(0x0a) + 1, frame.length - CRLF.length);
}
