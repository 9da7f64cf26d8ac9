import type { UserInfo } from './user-info.js';

// What a request asks to do, in the terms authorizers reason about
// (k8s.io/apiserver's RequestInfo and authorizer.Attributes): derived from the
// method and URL alone, before the body is read, exactly as kube-apiserver's
// RequestInfoFactory does it, so RBAC rules written for Kubernetes mean the
// same here.

export interface RequestAttributes {
  readonly user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; lower-case HTTP method for paths. */
  readonly verb: string;
  readonly resourceRequest: boolean;
  /** The URL path, for non-resource requests and messages. */
  readonly path: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

const METHOD_VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
/** Namespace subresources that keep `namespaces` as the resource. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** strconv.ParseBool's true spellings, which is how upstream reads ?watch=. */
function isTrue(value: string | undefined): boolean {
  return value === '1' || value === 't' || value === 'T' || value === 'true' || value === 'TRUE' || value === 'True';
}

/** metadata.name=x as the only requirement on that field, as fields.RequiresExactMatch finds it. */
function exactNameIn(fieldSelector: string | undefined): string | undefined {
  if (!fieldSelector) return undefined;
  for (const term of fieldSelector.split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*([^,]*?)\s*$/.exec(term);
    if (match) return match[1];
  }
  return undefined;
}

function nonResource(user: UserInfo, method: string, path: string): RequestAttributes {
  return { user, verb: method.toLowerCase(), resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

/** Attributes of one request; `query` reads one decoded query parameter. */
export function requestAttributes(user: UserInfo, method: string, url: string, query: (name: string) => string | undefined): RequestAttributes {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const parts = path.split('/').filter((part) => part !== '').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  let apiGroup = '';
  let apiVersion: string | undefined;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    apiVersion = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1] ?? '';
    apiVersion = parts[2];
    rest = parts.slice(3);
  } else {
    // Discovery (/api, /apis/group/version), health, version and OpenAPI are paths, not resources.
    return nonResource(user, method, path);
  }
  let verb = METHOD_VERBS[method] ?? '';
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] ?? '';
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  let name = rest[1] ?? '';
  const subresource = rest[2] ?? '';
  if (name === '' && verb === 'get') {
    verb = isTrue(query('watch')) ? 'watch' : 'list';
    // A list narrowed to one name is authorized as that name, so resourceNames rules can allow it.
    const exact = exactNameIn(query('fieldSelector'));
    if (exact && exact !== '.' && exact !== '..' && !/[/%]/.test(exact)) name = exact;
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return { user, verb, resourceRequest: true, path, apiGroup, apiVersion: apiVersion ?? '', resource, subresource, namespace, name };
}

/** upstream's forbiddenMessage: what kubectl prints after "is forbidden:". */
export function forbiddenMessage(attributes: RequestAttributes): string {
  const user = attributes.user.name;
  if (!attributes.resourceRequest) return `User "${user}" cannot ${attributes.verb} path "${attributes.path}"`;
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  if (attributes.namespace) {
    return `User "${user}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.apiGroup}" in the namespace "${attributes.namespace}"`;
  }
  return `User "${user}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.apiGroup}" at the cluster scope`;
}
