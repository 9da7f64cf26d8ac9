// Upstream's system:public-info-viewer role: health and version are readable
// by anyone, so load balancers and `curl /version` need no credentials.
const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

export function isPublicInfoPath(path: string): boolean {
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Whether an anonymous request may go on to its handler. This is
 * authorization's decision (upstream answers 401 when anonymous auth is on
 * but grants nothing); it lives here, alone, until the authorizer takes it over.
 */
export function anonymousRequestAllowed(path: string): boolean {
  return isPublicInfoPath(path);
}
