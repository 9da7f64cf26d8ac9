import { ApiStatusError } from '../../client/api-status-error.js';

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiStatusError && error.code === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiStatusError && error.code === 409;
}
