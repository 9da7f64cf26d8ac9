import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, BadRequestError, InternalError, MethodNotAllowedError, NotFoundError, RequestEntityTooLargeError, UnsupportedMediaTypeError } from '../errors.js';
import { sendObject } from './negotiation.js';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: ApiError['details'];
  code: number;
}

export function statusBody(error: ApiError): StatusBody {
  const body: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    code: error.code,
  };
  if (error.details) body.details = JSON.parse(JSON.stringify(error.details)) as ApiError['details'];
  return body;
}

export function successStatus(code: number, details?: ApiError['details']): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code, ...(details ? { details } : {}) };
}

/** Translates whatever was thrown into the Kubernetes error it stands for. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'body';
    return new BadRequestError(`${context === 'body' ? 'the request body' : `the ${context}`} is invalid: ${fastifyError.message ?? 'schema validation failed'}`);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestEntityTooLargeError(`the request body is larger than the limit of ${MAX_BODY_BYTES} bytes`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BadRequestError('the request body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BadRequestError('the request Content-Length does not match the body');
    default:
      break;
  }
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
    return new BadRequestError(`the body of the request could not be decoded: ${fastifyError.message ?? String(error)}`);
  }
  if (fastifyError.statusCode === 413) return new RequestEntityTooLargeError(fastifyError.message ?? 'request entity too large');
  if (fastifyError.statusCode === 415) return new UnsupportedMediaTypeError(fastifyError.message ?? 'unsupported media type');
  return new InternalError('an error on the server prevented the request from succeeding');
}

/** Kubernetes' request body limit (3 MiB); larger bodies get 413. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Paths the API serves, with the methods each accepts; anything else on a
 * known path is 405, an unknown path 404 — both as Status bodies.
 */
export class RouteTable {
  private readonly entries: Array<{ pattern: RegExp; methods: Set<string> }> = [];

  add(url: string, method: string): void {
    const pattern = new RegExp(`^${url.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}/?$`);
    const existing = this.entries.find((e) => e.pattern.source === pattern.source);
    if (existing) existing.methods.add(method);
    else this.entries.push({ pattern, methods: new Set([method]) });
  }

  methodsFor(path: string): Set<string> | undefined {
    return this.entries.find((e) => e.pattern.test(path))?.methods;
  }
}

export function installErrorHandling(app: FastifyInstance, routes: RouteTable): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.code >= 500) request.log.error({ err: error }, 'request failed');
    void sendStatus(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const methods = routes.methodsFor(path);
    if (methods && !methods.has(request.method)) {
      void sendStatus(request, reply, new MethodNotAllowedError(`the server does not allow this method on the requested resource (${request.method} ${path})`));
      return;
    }
    void sendStatus(request, reply, new NotFoundError('the server could not find the requested resource'));
  });
}

export function sendStatus(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  reply.code(error.code);
  return sendObject(request, reply, statusBody(error));
}
