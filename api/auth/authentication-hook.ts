import type { FastifyInstance } from 'fastify';
import { anonymousRequestAllowed } from './anonymous-access.js';
import type { RequestAuthenticator } from './request-authenticator.js';
import { unauthorized } from './request-authenticator.js';
import { ANONYMOUS_USER, INSECURE_SUPERUSER } from './user-info.js';

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
    const user = await authenticator.authenticate(request.raw);
    if (insecure && user === ANONYMOUS_USER) {
      request.user = INSECURE_SUPERUSER;
      return;
    }
    if (user === ANONYMOUS_USER && !anonymousRequestAllowed(request.url.split('?', 1)[0] ?? '')) throw unauthorized();
    request.user = user;
  });
}
