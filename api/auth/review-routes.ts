import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, InvalidError } from '../errors.js';
import type { DiscoveredKind } from '../http/discovery-routes.js';
import { sendObject } from '../http/negotiation.js';
import type { RouteTable } from '../http/status.js';
import { FieldErrors } from '../validation/field-errors.js';
import type { Authorizer } from './authorizer.js';
import type { RequestAttributes } from './request-attributes.js';
import { ANONYMOUS_USER, type UserInfo } from './user-info.js';

// The review resources behind `kubectl auth can-i` and `kubectl auth whoami`:
// create-only and never stored. An access review asks the same authorizer
// chain that guards every request; a self-subject review echoes who
// authentication said the caller is.

const AUTHORIZATION_GROUP = 'authorization.k8s.io';
const AUTHENTICATION_GROUP = 'authentication.k8s.io';

function reviewKind(group: string, resource: string, kind: string): DiscoveredKind {
  return { group, version: 'v1', resource, singular: resource.slice(0, -1), kind, namespaced: false, verbs: ['create'], shortNames: [], categories: [], subresources: [] };
}

/** Discovery entries, so kubectl's REST mapper finds the reviews. */
export const REVIEW_KINDS: readonly DiscoveredKind[] = [
  reviewKind(AUTHENTICATION_GROUP, 'selfsubjectreviews', 'SelfSubjectReview'),
  reviewKind(AUTHORIZATION_GROUP, 'selfsubjectaccessreviews', 'SelfSubjectAccessReview'),
  reviewKind(AUTHORIZATION_GROUP, 'subjectaccessreviews', 'SubjectAccessReview'),
];

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface NonResourceAttributes {
  path?: string;
  verb?: string;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reviewBody(request: FastifyRequest, kind: string, group: string): { spec: AccessReviewSpec; metadata: Record<string, unknown> } {
  const body = request.body;
  if (!isObject(body)) throw new BadRequestError(`the body of the request was in an unknown format - expected a ${kind} object`);
  if (body.apiVersion !== undefined && body.apiVersion !== `${group}/v1`) {
    throw new BadRequestError(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${group}/v1)`);
  }
  if (body.kind !== undefined && body.kind !== kind) {
    throw new BadRequestError(`${String(body.kind)} in version "v1" cannot be handled as a ${kind}: the kind in the body does not match ${kind}`);
  }
  const spec = body.spec === undefined ? {} : body.spec;
  if (!isObject(spec)) throw new BadRequestError(`${kind} in version "v1" cannot be handled as a ${kind}: spec must be an object`);
  return { spec: spec as AccessReviewSpec, metadata: isObject(body.metadata) ? body.metadata : {} };
}

/** ValidateSelfSubjectAccessReviewSpec / ValidateSubjectAccessReviewSpec: exactly one kind of attributes. */
function validateSpec(spec: AccessReviewSpec, kind: string, needsSubject: boolean): void {
  const errors = new FieldErrors();
  const hasResource = isObject(spec.resourceAttributes);
  const hasNonResource = isObject(spec.nonResourceAttributes);
  if (hasResource && hasNonResource) errors.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes');
  if (!hasResource && !hasNonResource) errors.invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
  if (needsSubject && !spec.user && (spec.groups ?? []).length === 0) errors.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified');
  if (!errors.empty) throw new InvalidError(kind, '', errors.causes, AUTHORIZATION_GROUP);
}

function attributesFor(user: UserInfo, spec: AccessReviewSpec): RequestAttributes {
  const resource = spec.resourceAttributes;
  if (resource) {
    return {
      user, verb: resource.verb ?? '', resourceRequest: true, path: '', apiGroup: resource.group ?? '', apiVersion: resource.version ?? '',
      resource: resource.resource ?? '', subresource: resource.subresource ?? '', namespace: resource.namespace ?? '', name: resource.name ?? '',
    };
  }
  const path = spec.nonResourceAttributes ?? {};
  return { user, verb: path.verb ?? '', resourceRequest: false, path: path.path ?? '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

function decide(authorizer: Authorizer, attributes: RequestAttributes): Record<string, unknown> {
  const result = authorizer.authorize(attributes);
  const status: Record<string, unknown> = { allowed: result.decision === 'Allow' };
  if (result.decision === 'Deny') status.denied = true;
  if (result.reason) status.reason = result.reason;
  return status;
}

export function registerReviewRoutes(app: FastifyInstance, routes: RouteTable, authorizer: Authorizer): void {
  const handlers: Array<[string, (request: FastifyRequest, reply: FastifyReply) => unknown]> = [];
  const post = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown): void => {
    routes.add(url, 'POST');
    handlers.push([url, handler]);
  };
  // kubectl sends these bodies as protobuf only; the server-wide parser decodes them (api/protobuf/).
  void app.register(async (reviews) => {
    for (const [url, handler] of handlers) reviews.post(url, async (request, reply) => handler(request, reply));
  });
  const created = (request: FastifyRequest, reply: FastifyReply, object: unknown): FastifyReply => {
    reply.code(201);
    return sendObject(request, reply, object);
  };

  post(`/apis/${AUTHORIZATION_GROUP}/v1/selfsubjectaccessreviews`, (request, reply) => {
    const kind = 'SelfSubjectAccessReview';
    const { spec, metadata } = reviewBody(request, kind, AUTHORIZATION_GROUP);
    validateSpec(spec, kind, false);
    const user = request.user ?? ANONYMOUS_USER;
    const echoed: AccessReviewSpec = {};
    if (spec.resourceAttributes) echoed.resourceAttributes = spec.resourceAttributes;
    if (spec.nonResourceAttributes) echoed.nonResourceAttributes = spec.nonResourceAttributes;
    return created(request, reply, {
      kind, apiVersion: `${AUTHORIZATION_GROUP}/v1`, metadata: { ...metadata, creationTimestamp: null },
      spec: echoed, status: decide(authorizer, attributesFor(user, spec)),
    });
  });

  post(`/apis/${AUTHORIZATION_GROUP}/v1/subjectaccessreviews`, (request, reply) => {
    const kind = 'SubjectAccessReview';
    const { spec, metadata } = reviewBody(request, kind, AUTHORIZATION_GROUP);
    validateSpec(spec, kind, true);
    const subject: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
    return created(request, reply, {
      kind, apiVersion: `${AUTHORIZATION_GROUP}/v1`, metadata: { ...metadata, creationTimestamp: null },
      spec, status: decide(authorizer, attributesFor(subject, spec)),
    });
  });

  post(`/apis/${AUTHENTICATION_GROUP}/v1/selfsubjectreviews`, (request, reply) => {
    const kind = 'SelfSubjectReview';
    const { metadata } = reviewBody(request, kind, AUTHENTICATION_GROUP);
    const user = request.user ?? ANONYMOUS_USER;
    const userInfo: Record<string, unknown> = { username: user.name };
    if (user.uid) userInfo.uid = user.uid;
    if (user.groups.length > 0) userInfo.groups = [...user.groups];
    if (user.extra) userInfo.extra = user.extra;
    return created(request, reply, { kind, apiVersion: `${AUTHENTICATION_GROUP}/v1`, metadata: { ...metadata, creationTimestamp: null }, status: { userInfo } });
  });
}
