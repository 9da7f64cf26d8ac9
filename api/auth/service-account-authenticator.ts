import type { ServiceAccountTokens } from './service-account-token.js';
import { SERVICE_ACCOUNT_USER_PREFIX } from './service-account-token.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import type { UserInfo } from './user-info.js';

/** Looks up a ServiceAccount's current uid; undefined once it is gone. */
export type ServiceAccountLookup = (namespace: string, name: string) => string | undefined;

export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** The identity upstream gives a ServiceAccount (serviceaccount.UserInfo). */
export function serviceAccountUser(namespace: string, name: string, uid: string): UserInfo {
  return {
    name: `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`,
    uid,
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`],
  };
}

/**
 * Accepts a bound ServiceAccount token while the account it names still
 * exists with the uid the token was issued for: deleting the account, or
 * recreating one of the same name, revokes every token it had.
 */
export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  constructor(
    private readonly tokens: ServiceAccountTokens,
    private readonly currentUid: ServiceAccountLookup,
  ) {}

  async authenticateToken(token: string): Promise<UserInfo | undefined> {
    const account = await this.tokens.verify(token);
    if (!account) return undefined;
    if (this.currentUid(account.namespace, account.name) !== account.uid) return undefined;
    return serviceAccountUser(account.namespace, account.name, account.uid);
  }
}
