import { requestInfoFor, type RequestInfo } from '../http/request-info.js';
import type { UserInfo } from './user-info.js';

// What a request asks to do, in the terms authorizers reason about
// (k8s.io/apiserver's authorizer.Attributes): the user plus the RequestInfo
// that api/http/request-info.ts reads from the method and URL, the same one
// the inflight limits and the audit log use, so RBAC rules written for
// Kubernetes mean the same here.

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

/** The attributes of a request of `user`, from its parsed RequestInfo. */
export function attributesFrom(user: UserInfo, info: RequestInfo): RequestAttributes {
  return {
    user, verb: info.verb, resourceRequest: info.isResourceRequest, path: info.path, apiGroup: info.apiGroup,
    apiVersion: info.apiVersion, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name,
  };
}

/** Attributes of one request, read from its method and URL. */
export function requestAttributes(user: UserInfo, method: string, url: string): RequestAttributes {
  return attributesFrom(user, requestInfoFor(method, url));
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
