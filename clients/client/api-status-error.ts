import type { Status } from './types.js';

/**
 * A non-2xx answer from the API server. The server always sends a `Status`
 * body; when something in between (a proxy, a crash) does not, one is made up
 * from the HTTP status so callers can rely on `code` and `reason` alike.
 */
export class ApiStatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: Status;

  constructor(status: Status, httpStatus: number) {
    const code = typeof status.code === 'number' ? status.code : httpStatus;
    super(status.message ?? `the server responded with HTTP ${httpStatus}`);
    this.name = 'ApiStatusError';
    this.code = code;
    this.reason = status.reason ?? reasonForCode(code);
    this.status = status;
  }

  static fromBody(httpStatus: number, bodyText: string): ApiStatusError {
    return new ApiStatusError(parseStatus(httpStatus, bodyText), httpStatus);
  }
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/** True for the "your resourceVersion is too old, relist" answer, in either of its shapes. */
export function isExpired(error: unknown): boolean {
  if (error instanceof ApiStatusError) return error.code === 410 || error.reason === 'Expired' || error.reason === 'Gone';
  if (isStatus(error)) return error.code === 410 || error.reason === 'Expired' || error.reason === 'Gone';
  return false;
}

function parseStatus(httpStatus: number, bodyText: string): Status {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isStatus(parsed)) return parsed;
  } catch {
    // Not JSON: fall through to a synthesized Status carrying the raw text.
  }
  const text = bodyText.trim();
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: httpStatus,
    reason: reasonForCode(httpStatus),
    message: text === '' ? `the server responded with HTTP ${httpStatus}` : text,
  };
}

// The reasons k8s.io/apimachinery assigns when a response carries no Status.
function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}
