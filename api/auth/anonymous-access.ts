// Upstream's system:public-info-viewer role: health and version are readable
// by anyone, so load balancers and `curl /version` need no credentials.
const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

export function isPublicInfoPath(path: string): boolean {
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Whether an anonymous request may go on to its handler: only to the public
 * paths; anything else is refused with 401 at authentication, before RBAC is
 * asked (its bootstrap policy grants unauthenticated users nothing more).
 */
export function anonymousRequestAllowed(path: string): boolean {
  return isPublicInfoPath(path);
}
