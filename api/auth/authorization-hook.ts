import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors.js';
import { requestInfoOf } from '../http/request-info.js';
import type { Authorizer } from './authorizer.js';
import { attributesFrom, forbiddenMessage, type RequestAttributes } from './request-attributes.js';
import { ANONYMOUS_USER, SYSTEM_MASTERS } from './user-info.js';

/**
 * A check that needs to know who writes and, for writes, the body: node
 * restriction and RBAC escalation prevention. Throws a typed error to refuse.
 */
export type UserAdmission = (attributes: RequestAttributes, request: FastifyRequest) => void;

/** The 403 upstream answers when no authorizer allowed the request. */
export function forbidden(attributes: RequestAttributes, reason: string): ForbiddenError {
  const message = forbiddenMessage(attributes);
  return ForbiddenError.forResource(attributes.resource, attributes.name, attributes.apiGroup, reason ? `${message}: ${reason}` : message);
}

/** Parsed once per request: the inflight limits and the audit log read the same RequestInfo. */
export function attributesOf(request: FastifyRequest): RequestAttributes {
  return attributesFrom(request.user ?? ANONYMOUS_USER, requestInfoOf(request));
}

/**
 * Authorizes every request once its body is parsed, after authentication
 * set request.user, then runs the admission checks that depend on the user.
 * system:masters skips both, as upstream's privileged group does, which keeps
 * the admin's hot path free of attribute parsing.
 */
export function installAuthorization(app: FastifyInstance, authorizer: Authorizer, admission: readonly UserAdmission[]): void {
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      const user = request.user ?? ANONYMOUS_USER;
      if (user.groups.includes(SYSTEM_MASTERS)) {
        done();
        return;
      }
      const attributes = attributesOf(request);
      const result = authorizer.authorize(attributes);
      if (result.decision !== 'Allow') throw forbidden(attributes, result.reason);
      for (const admit of admission) admit(attributes, request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}
