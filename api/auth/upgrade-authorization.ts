import type { IncomingMessage } from 'node:http';
import type { Authorizer } from './authorizer.js';
import { forbidden } from './authorization-hook.js';
import { requestAttributes } from './request-attributes.js';
import type { RequestAuthenticator } from './request-authenticator.js';
import { authenticateRequest } from './authentication-hook.js';

/**
 * The checks fastify's hooks make, for requests that arrive as an HTTP
 * upgrade and so bypass fastify (pods/exec over WebSocket): the same
 * authentication, then the authorizer for the verb upstream uses — a
 * WebSocket exec is a GET on the wire but `create` on `pods/exec` to RBAC.
 */
export function upgradeAuthorization(authenticator: RequestAuthenticator, insecure: boolean, authorizer: Authorizer): (request: IncomingMessage) => Promise<void> {
  return async (request) => {
    const user = await authenticateRequest(authenticator, request, insecure);
    const attributes = { ...requestAttributes(user, request.method ?? 'GET', request.url ?? '/'), verb: 'create' };
    const result = authorizer.authorize(attributes);
    if (result.decision !== 'Allow') throw forbidden(attributes, result.reason);
  };
}
