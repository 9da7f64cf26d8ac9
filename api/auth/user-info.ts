// Who made a request, as Kubernetes' authenticators describe it
// (k8s.io/apiserver/pkg/authentication/user.Info). Authentication sets it on
// the request; authorization, admission and the audit log read it.

export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED = 'system:unauthenticated';

/** The identity of every request on `--insecure-serve-http`, as upstream's loopback superuser. */
export const INSECURE_SUPERUSER: UserInfo = { name: 'system:admin', groups: [SYSTEM_MASTERS, SYSTEM_AUTHENTICATED] };

/** The identity of a request that carries no credentials. */
export const ANONYMOUS_USER: UserInfo = { name: 'system:anonymous', groups: [SYSTEM_UNAUTHENTICATED] };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication before any handler runs. */
    user?: UserInfo;
  }
}
