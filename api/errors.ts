// One family of typed errors for the whole server. Domain code throws these;
// api/http/status.ts is the single place that turns them into Kubernetes
// `Status` bodies, so no route ever builds an error response by hand.

export interface StatusCause {
  /** Kubernetes cause reasons: FieldValueInvalid, FieldValueRequired, FieldValueDuplicate, FieldValueNotSupported, FieldValueForbidden, FieldValueTooLong */
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export abstract class ApiError extends Error {
  abstract readonly code: number;
  abstract readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(message: string, details?: StatusDetails) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class BadRequestError extends ApiError {
  readonly code = 400;
  readonly reason = 'BadRequest';
}

export class UnauthorizedError extends ApiError {
  readonly code = 401;
  readonly reason = 'Unauthorized';
}

export class ForbiddenError extends ApiError {
  readonly code = 403;
  readonly reason = 'Forbidden';

  /** apierrors.NewForbidden: `pods "x" is forbidden: …`, `pods is forbidden: …`, or `forbidden: …` without a resource. */
  static forResource(resource: string, name: string, group: string, cause: string): ForbiddenError {
    const qualified = group ? `${resource}.${group}` : resource;
    const subject = qualified === '' ? 'forbidden' : name === '' ? `${qualified} is forbidden` : `${qualified} "${name}" is forbidden`;
    const details: StatusDetails = {};
    if (name) details.name = name;
    if (group) details.group = group;
    if (resource) details.kind = resource;
    return new ForbiddenError(`${subject}: ${cause}`, details);
  }
}

export class NotFoundError extends ApiError {
  readonly code = 404;
  readonly reason = 'NotFound';

  /** `pods "x" not found`, the message kubectl prints verbatim. */
  static forObject(resource: string, name: string, group = ''): NotFoundError {
    const qualified = group ? `${resource}.${group}` : resource;
    return new NotFoundError(`${qualified} "${name}" not found`, { name, group: group || undefined, kind: resource });
  }
}

export class MethodNotAllowedError extends ApiError {
  readonly code = 405;
  readonly reason = 'MethodNotAllowed';
}

export class NotAcceptableError extends ApiError {
  readonly code = 406;
  readonly reason = 'NotAcceptable';
}

export class AlreadyExistsError extends ApiError {
  readonly code = 409;
  readonly reason = 'AlreadyExists';

  static forObject(resource: string, name: string, group = ''): AlreadyExistsError {
    const qualified = group ? `${resource}.${group}` : resource;
    return new AlreadyExistsError(`${qualified} "${name}" already exists`, { name, group: group || undefined, kind: resource });
  }
}

export class ConflictError extends ApiError {
  readonly code = 409;
  readonly reason = 'Conflict';

  /** The optimistic-concurrency failure, worded as the Kubernetes registry words it. */
  static staleResourceVersion(resource: string, name: string, group = ''): ConflictError {
    const qualified = group ? `${resource}.${group}` : resource;
    return new ConflictError(
      `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: group || undefined, kind: resource },
    );
  }
}

export class GoneError extends ApiError {
  readonly code = 410;
  /** Kubernetes uses `Expired` for a too-old resourceVersion and `Gone` elsewhere. */
  readonly reason: string;

  constructor(message: string, reason: 'Gone' | 'Expired' = 'Expired') {
    super(message);
    this.reason = reason;
  }
}

export class RequestEntityTooLargeError extends ApiError {
  readonly code = 413;
  readonly reason = 'RequestEntityTooLarge';
}

export class UnsupportedMediaTypeError extends ApiError {
  readonly code = 415;
  readonly reason = 'UnsupportedMediaType';
}

export class InvalidError extends ApiError {
  readonly code = 422;
  readonly reason = 'Invalid';
  readonly causes: StatusCause[];

  /**
   * Builds the message Kubernetes builds: `Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`.
   */
  constructor(kind: string, name: string, causes: StatusCause[], group = '') {
    const summary = causes.map((c) => `${c.field}: ${c.message}`);
    const body = summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`;
    // StatusDetails.name is omitempty: options kinds (ListOptions, …) are invalid under no name.
    super(`${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${body}`, { name: name || undefined, group: group || undefined, kind, causes });
    this.causes = causes;
  }
}

export class TooManyRequestsError extends ApiError {
  readonly code = 429;
  readonly reason = 'TooManyRequests';
}

export class InternalError extends ApiError {
  readonly code = 500;
  readonly reason = 'InternalError';
}

export class ServiceUnavailableError extends ApiError {
  readonly code = 503;
  readonly reason = 'ServiceUnavailable';
}
