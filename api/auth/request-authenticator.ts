import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { UnauthorizedError } from '../errors.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import { authenticateClientCertificate } from './x509-authenticator.js';
import { ANONYMOUS_USER, SYSTEM_AUTHENTICATED, type UserInfo } from './user-info.js';

// The union authenticator kube-apiserver builds: a verified client certificate
// first, then a bearer token offered to each token source in turn; a request
// with neither is anonymous. Credentials that are present but not accepted
// are refused outright (401), never downgraded to anonymous, as upstream does.

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(SYSTEM_AUTHENTICATED) ? user : { ...user, groups: [...user.groups, SYSTEM_AUTHENTICATED] };
}

export function unauthorized(): UnauthorizedError {
  return new UnauthorizedError('Unauthorized');
}

export class RequestAuthenticator {
  constructor(private readonly tokenAuthenticators: readonly TokenAuthenticator[]) {}

  async authenticate(request: IncomingMessage): Promise<UserInfo> {
    const socket = request.socket as TLSSocket;
    if (typeof socket.getPeerCertificate === 'function') {
      const result = authenticateClientCertificate(socket);
      if (result.kind === 'user') return withAuthenticatedGroup(result.user);
      if (result.kind === 'invalid') throw unauthorized();
    }
    const header = request.headers.authorization;
    if (header === undefined) return ANONYMOUS_USER;
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized();
    for (const authenticator of this.tokenAuthenticators) {
      const user = await authenticator.authenticateToken(token);
      if (user) return withAuthenticatedGroup(user);
    }
    throw unauthorized();
  }
}
