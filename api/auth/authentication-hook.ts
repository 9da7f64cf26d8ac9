import type { FastifyInstance } from 'fastify';
import { anonymousRequestAllowed } from './anonymous-access.js';
import type { RequestAuthenticator } from './request-authenticator.js';
import { unauthorized } from './request-authenticator.js';
import { ANONYMOUS_USER, INSECURE_SUPERUSER, type UserInfo } from './user-info.js';
import type { IncomingMessage } from 'node:http';

/**
 * Sets `request.user` before anything else runs. On plain HTTP (loopback
 * only, --insecure-serve-http) a request without credentials is the
 * superuser, as upstream's insecure port was; one that presents a bearer
 * token is still that token's user (or 401), so identities and RBAC can be
 * tried on a local server.
 */
export function installAuthentication(app: FastifyInstance, authenticator: RequestAuthenticator, insecure: boolean): void {
  app.decorateRequest('user', undefined);
  app.addHook('onRequest', async (request) => {
    request.user = await authenticateRequest(authenticator, request.raw, insecure);
  });
}

/** Who sent `request`, or a thrown 401: the one rule for fastify's hook and for upgrades that bypass it. */
export async function authenticateRequest(authenticator: RequestAuthenticator, request: IncomingMessage, insecure: boolean): Promise<UserInfo> {
  const user = await authenticator.authenticate(request);
  if (user !== ANONYMOUS_USER) return user;
  if (insecure) return INSECURE_SUPERUSER;
  if (!anonymousRequestAllowed((request.url ?? '/').split('?', 1)[0] ?? '')) throw unauthorized();
  return user;
}
