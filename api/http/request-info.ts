// What a request asks for, read from its method and URL alone, as upstream's
// RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request) reads it. The
// inflight limit, the audit log and authorization all need the verb and the
// object a request names before any route runs, and must agree on them.

export interface RequestInfo {
  /** True for /api/v1/… and /apis/<group>/<version>/… paths below the version. */
  isResourceRequest: boolean;
  /** The path without its query. */
  path: string;
  /**
   * Kubernetes verb (get, list, watch, create, update, patch, delete,
   * deletecollection, proxy) for resource requests; the lower-case HTTP
   * method for the rest.
   */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const API_PREFIXES = new Set(['api', 'apis']);
/** Prefixes whose paths carry no group: /api/v1. */
const GROUPLESS_PREFIXES = new Set(['api']);
/** Verbs written as the first segment after the version (the deprecated watch/ prefix). */
const PATH_VERBS = new Set(['proxy', 'watch']);
/** Namespace subresources: /namespaces/x/status is the Namespace's, not a resource named status. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Verbs that only read; every other verb counts as mutating (upstream's nonMutatingRequestVerbs). */
const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);
/** upstream's BasicLongRunningRequestCheck: these verbs and subresources may stay open indefinitely. */
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** ?watch= as ListOptions converts it (Convert_Slice_string_To_bool on the first value): false only for 0 or false. */
function watchRequested(search: URLSearchParams): boolean {
  const value = search.get('watch');
  return value !== null && !(value === '0' || value.toLowerCase() === 'false');
}

/**
 * The object name a fieldSelector pins with metadata.name=X, as
 * fields.RequiresExactMatch finds it among the selector's terms: upstream
 * authorizes such a list as a request for that name, so resourceNames rules
 * can allow it. Kept only when it is a valid path segment name.
 */
function nameFromFieldSelector(search: URLSearchParams): string {
  const selector = search.get('fieldSelector');
  if (!selector) return '';
  for (const term of selector.split(',')) {
    const name = /^\s*metadata\.name\s*==?\s*([^,]*?)\s*$/.exec(term)?.[1];
    if (name !== undefined) return name === '' || name === '.' || name === '..' || /[/%]/.test(name) ? '' : name;
  }
  return '';
}

export function requestInfoFor(method: string, url: string): RequestInfo {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const search = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '',
  };
  let parts = splitPath(path).map(decodeSegment);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return info;
  const apiPrefix = parts[0]!;
  parts = parts.slice(1);
  let apiGroup = '';
  if (!GROUPLESS_PREFIXES.has(apiPrefix)) {
    if (parts.length < 3) return info;
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiPrefix = apiPrefix;
  info.apiGroup = apiGroup;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  if (PATH_VERBS.has(parts[0]!)) {
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      // /namespaces/x/pods names pods in x; /namespaces/x and /namespaces/x/status name the Namespace x.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3 && info.verb !== 'proxy') info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  if (info.name === '' && info.verb === 'get') {
    info.verb = watchRequested(search) ? 'watch' : 'list';
    info.name = nameFromFieldSelector(search);
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

/** Whether the request may change state (counted against the mutating inflight limit). */
export function isMutating(info: RequestInfo): boolean {
  return !READ_ONLY_VERBS.has(info.verb);
}

/** Watches, proxies, logs, exec, attach and port-forwards: they stay open, so no inflight limit applies. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.isResourceRequest && (LONG_RUNNING_VERBS.has(info.verb) || LONG_RUNNING_SUBRESOURCES.has(info.subresource));
}

const infos = new WeakMap<object, RequestInfo>();

/** The request's RequestInfo, parsed once per request however many hooks ask. */
export function requestInfoOf(request: { readonly raw: object; readonly method: string; readonly url: string }): RequestInfo {
  let info = infos.get(request.raw);
  if (!info) {
    info = requestInfoFor(request.method, request.url);
    infos.set(request.raw, info);
  }
  return info;
}
