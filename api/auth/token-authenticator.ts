import type { UserInfo } from './user-info.js';

/**
 * One source of bearer-token identities (a token file, ServiceAccount JWTs).
 * Answers undefined when the token is not one of its own, so the next source
 * can try; authentication refuses the request (401) when no source knows it.
 */
export interface TokenAuthenticator {
  authenticateToken(token: string): Promise<UserInfo | undefined> | UserInfo | undefined;
}
