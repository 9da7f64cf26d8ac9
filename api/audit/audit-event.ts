import type { RequestInfo } from '../http/request-info.js';
import type { UserInfo } from '../auth/user-info.js';

// One audit.k8s.io/v1 Event at the Metadata level: who did what to which
// object and how it ended, without request or response bodies. Field names
// are upstream's (k8s.io/apiserver/pkg/apis/audit/v1/types.go).

export interface AuditObjectRef {
  resource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion?: string;
  subresource?: string;
}

/** A metav1.Status without details: for failures, what upstream records of the Status it answered. */
export interface AuditResponseStatus {
  metadata: Record<string, never>;
  status?: string;
  message?: string;
  reason?: string;
  code: number;
}

export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: 'Metadata';
  auditID: string;
  stage: 'ResponseComplete';
  requestURI: string;
  verb: string;
  user: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: AuditObjectRef;
  responseStatus: AuditResponseStatus;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}

export interface AuditedRequest {
  auditID: string;
  requestURI: string;
  info: RequestInfo;
  user: UserInfo;
  sourceIPs: string[];
  userAgent: string | undefined;
  code: number;
  /** The Status body of a failure, when the response carried one. */
  failure?: { status?: string; message?: string; reason?: string };
  received: Date;
  completed: Date;
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function objectRef(info: RequestInfo): AuditObjectRef | undefined {
  if (!info.isResourceRequest) return undefined;
  const ref: AuditObjectRef = {};
  // Empty fields are left out, as Go's omitempty leaves them out.
  if (info.resource) ref.resource = info.resource;
  if (info.namespace) ref.namespace = info.namespace;
  if (info.name) ref.name = info.name;
  if (info.apiGroup) ref.apiGroup = info.apiGroup;
  if (info.apiVersion) ref.apiVersion = info.apiVersion;
  if (info.subresource) ref.subresource = info.subresource;
  return ref;
}

export function auditEvent(request: AuditedRequest): AuditEvent {
  const { user } = request;
  const event: AuditEvent = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: request.auditID,
    stage: 'ResponseComplete',
    requestURI: request.requestURI,
    verb: request.info.verb,
    user: {
      username: user.name,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: [...user.groups],
      ...(user.extra ? { extra: Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]])) } : {}),
    },
    responseStatus: { metadata: {}, ...request.failure, code: request.code },
    requestReceivedTimestamp: microTime(request.received),
    stageTimestamp: microTime(request.completed),
  };
  if (request.sourceIPs.length > 0) event.sourceIPs = request.sourceIPs;
  if (request.userAgent) event.userAgent = request.userAgent;
  const ref = objectRef(request.info);
  if (ref) event.objectRef = ref;
  return event;
}

/**
 * upstream's SourceIPs: the X-Forwarded-For chain, then X-Real-Ip, then the
 * peer address, each once. Headers are client-supplied; the peer is the one
 * address the server itself vouches for, so it is always last.
 */
export function sourceIPs(forwardedFor: string | undefined, realIp: string | undefined, remoteAddress: string | undefined): string[] {
  const ips: string[] = [];
  const add = (ip: string | undefined): void => {
    const trimmed = ip?.trim();
    if (trimmed && !ips.includes(trimmed)) ips.push(trimmed);
  };
  for (const ip of (forwardedFor ?? '').split(',')) add(ip);
  add(realIp);
  // IPv4 peers on a dual-stack socket read as ::ffff:a.b.c.d.
  add(remoteAddress?.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress);
  return ips;
}
