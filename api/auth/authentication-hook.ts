import type { FastifyInstance } from 'fastify';
import { anonymousRequestAllowed } from './anonymous-access.js';
import type { RequestAuthenticator } from './request-authenticator.js';
import { unauthorized } from './request-authenticator.js';
import { ANONYMOUS_USER, INSECURE_SUPERUSER } from './user-info.js';

/**
 * Sets `request.user` before anything else runs. Without an authenticator
 * (plain HTTP on loopback, --insecure-serve-http) every request is the
 * superuser, as upstream's insecure port was.
 */
export function installAuthentication(app: FastifyInstance, authenticator: RequestAuthenticator | undefined): void {
  app.decorateRequest('user', undefined);
  app.addHook('onRequest', async (request) => {
    if (!authenticator) {
      request.user = INSECURE_SUPERUSER;
      return;
    }
    const user = await authenticator.authenticate(request.raw);
    if (user === ANONYMOUS_USER && !anonymousRequestAllowed(request.url.split('?', 1)[0] ?? '')) throw unauthorized();
    request.user = user;
  });
}
