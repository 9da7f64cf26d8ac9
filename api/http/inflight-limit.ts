import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../errors.js';
import { isLongRunning, isMutating, requestInfoOf } from './request-info.js';
import { sendStatus } from './status.js';

// Upstream's max-in-flight filter (k8s.io/apiserver/pkg/server/filters/maxinflight.go):
// two pools, one for read-only and one for mutating requests, each refusing with
// 429 and Retry-After once full, so an overloaded server sheds load instead of
// queueing it without bound. Long-running requests are not counted (a watch
// would hold its slot for half an hour), nor are the health probes, which
// upstream's priority-and-fairness exempts, so a load balancer keeps seeing
// the server as ready while it sheds load.
//
// Watches get their own bound instead: at most so many at once per connection.
// HTTP/1.1 carries one response at a time, but a pipelining client can queue
// many watches on one socket, each holding a hub subscription.

export interface InflightLimits {
  /** Read-only requests in flight at once; 0 means no limit. */
  maxRequestsInflight: number;
  /** Mutating requests in flight at once; 0 means no limit. */
  maxMutatingRequestsInflight: number;
  /** Watches open at once on one connection; 0 means no limit. */
  maxWatchesPerConnection: number;
}

export const DEFAULT_INFLIGHT_LIMITS: InflightLimits = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  maxWatchesPerConnection: 100,
};

const HEALTH_PATHS = ['/healthz', '/livez', '/readyz'];
/** upstream's wording and retry hint for a full pool. */
const TOO_MANY_REQUESTS = 'Too many requests, please try again later.';
const RETRY_AFTER_SECONDS = 1;

function isHealthProbe(path: string): boolean {
  return HEALTH_PATHS.some((probe) => path === probe || path.startsWith(`${probe}/`));
}

export interface InflightCounters {
  readonly readOnly: number;
  readonly mutating: number;
  /** Open watches across all connections. */
  readonly watches: number;
}

/**
 * Installs the limits as root hooks: onRequest admits or refuses before the
 * body is read; the slot is released once, by whichever comes first of the
 * response finishing, the client aborting, or the socket closing (the only
 * signal a hijacked response gives).
 */
export function installInflightLimits(app: FastifyInstance, limits: InflightLimits): InflightCounters {
  const counters = { readOnly: 0, mutating: 0, watches: 0 };
  const watchesBySocket = new WeakMap<object, number>();
  const releases = new WeakMap<object, () => void>();

  const refuse = (request: FastifyRequest, reply: FastifyReply, message: string): void => {
    reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    sendStatus(request, reply, new TooManyRequestsError(message, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
  };
  const hold = (request: FastifyRequest, response: FastifyReply, release: () => void): void => {
    let held = true;
    const once = (): void => {
      if (!held) return;
      held = false;
      release();
    };
    releases.set(request.raw, once);
    // A response emits 'close' once finished or once its socket is gone, hijacked or not.
    response.raw.once('close', once);
  };
  const releaseOf = (request: FastifyRequest): void => releases.get(request.raw)?.();

  app.addHook('onRequest', (request, replyObject, done) => {
    const info = requestInfoOf(request);
    if (isHealthProbe(info.path)) return done();
    if (isLongRunning(info)) {
      if (info.verb !== 'watch' || limits.maxWatchesPerConnection === 0) return done();
      const socket: object = request.raw.socket ?? request.raw;
      const open = watchesBySocket.get(socket) ?? 0;
      if (open >= limits.maxWatchesPerConnection) {
        refuse(request, replyObject, `Too many watches on this connection (at most ${limits.maxWatchesPerConnection}), please try again later.`);
        return;
      }
      watchesBySocket.set(socket, open + 1);
      counters.watches++;
      hold(request, replyObject, () => {
        counters.watches--;
        const left = (watchesBySocket.get(socket) ?? 1) - 1;
        if (left > 0) watchesBySocket.set(socket, left);
        else watchesBySocket.delete(socket);
      });
      return done();
    }
    const mutating = isMutating(info);
    const limit = mutating ? limits.maxMutatingRequestsInflight : limits.maxRequestsInflight;
    if (limit === 0) return done();
    if ((mutating ? counters.mutating : counters.readOnly) >= limit) {
      refuse(request, replyObject, TOO_MANY_REQUESTS);
      return;
    }
    if (mutating) counters.mutating++;
    else counters.readOnly++;
    (globalThis as any).maxM = Math.max((globalThis as any).maxM ?? 0, counters.mutating);
    hold(request, replyObject, () => {
      if (mutating) counters.mutating--;
      else counters.readOnly--;
    });
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    releaseOf(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    releaseOf(request);
    done();
  });
  return counters;
}
