import { randomUUID } from 'node:crypto';
import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { INSECURE_SUPERUSER } from '../auth/user-info.js';
import { requestInfoOf } from '../http/request-info.js';
import { auditEvent, sourceIPs, type AuditedRequest } from './audit-event.js';

// The audit log (`--audit-log-path`): one JSON line per request, written when
// its response is complete. Requests only queue a small record; encoding and
// writing happen once per event-loop turn for everything queued in it, so the
// log costs the request path almost nothing. If the file cannot keep up, the
// queue is bounded: records beyond it are counted and reported, not buffered
// without end.

/** Bytes the stream may hold unwritten before records are dropped. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export class AuditLog {
  private queue: AuditedRequest[] = [];
  private scheduled = false;
  private dropped = 0;
  private closed = false;

  private constructor(private readonly stream: Writable, private readonly ownsStream: boolean, private readonly log: FastifyBaseLogger) {
    stream.on('error', (err) => log.error({ err }, 'cannot write the audit log'));
  }

  /** Opens `path` for appending ('-' is standard output); throws at once if it cannot be opened. */
  static open(path: string, log: FastifyBaseLogger): AuditLog {
    if (path === '-') return new AuditLog(process.stdout, false, log);
    const fd = openSync(path, 'a', 0o600);
    return new AuditLog(createWriteStream(path, { fd }), true, log);
  }

  record(request: AuditedRequest): void {
    if (this.closed) return;
    if (this.stream.writableLength > MAX_PENDING_BYTES) {
      this.dropped++;
      return;
    }
    this.queue.push(request);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.dropped > 0) {
      this.log.warn({ dropped: this.dropped }, 'audit log writer fell behind; events dropped');
      this.dropped = 0;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    let text = '';
    for (const request of batch) text += `${JSON.stringify(auditEvent(request))}\n`;
    this.stream.write(text);
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (!this.ownsStream) return;
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}

/**
 * Audits every request, those refused before a handler runs (429, 401)
 * included: install it before the limits. The user is read when the response
 * completes, since authentication may run after this hook.
 */
export function installAuditLog(app: FastifyInstance, audit: AuditLog): void {
  const failures = new WeakMap<object, AuditedRequest['failure']>();
  app.addHook('onRequest', (request, reply, done) => {
    const received = new Date();
    const given = request.headers['audit-id'];
    const auditID = typeof given === 'string' && given !== '' ? given : randomUUID();
    reply.header('Audit-Id', auditID);
    const forwardedFor = request.headers['x-forwarded-for'];
    const realIp = request.headers['x-real-ip'];
    // A response emits 'close' once, complete or aborted, hijacked (watches) or not.
    reply.raw.once('close', () => {
      audit.record({
        auditID,
        requestURI: request.url,
        info: requestInfoOf(request),
        user: request.user ?? INSECURE_SUPERUSER,
        sourceIPs: sourceIPs(Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor, Array.isArray(realIp) ? realIp[0] : realIp, request.raw.socket?.remoteAddress),
        userAgent: request.headers['user-agent'],
        code: reply.raw.statusCode,
        failure: failures.get(reply.raw),
        received,
        completed: new Date(),
      });
    });
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    // Only failures are read back, and only their Status fields, so successes cost nothing here.
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.startsWith('{"kind":"Status"')) {
      try {
        const status = JSON.parse(payload) as { status?: string; message?: string; reason?: string };
        failures.set(reply.raw, { status: status.status, message: status.message, reason: status.reason });
      } catch {
        // Not JSON after all: the code alone is recorded.
      }
    }
    done(null, payload);
  });
}
