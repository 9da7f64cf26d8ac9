import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiStatusError, isExpired } from '../../../clients/client/api-status-error.js';

describe('ApiStatusError', () => {
  it('carries code, reason and message from a Status body', () => {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'pods "x" not found', reason: 'NotFound', code: 404, details: { name: 'x', kind: 'pods' } });
    const error = ApiStatusError.fromBody(404, body);
    assert.equal(error.code, 404);
    assert.equal(error.reason, 'NotFound');
    assert.equal(error.message, 'pods "x" not found');
    assert.equal(error.status.details?.name, 'x');
  });

  it('synthesizes a Status when the body is not one', () => {
    const error = ApiStatusError.fromBody(502, 'Bad Gateway');
    assert.equal(error.code, 502);
    assert.equal(error.reason, 'InternalError');
    assert.equal(error.message, 'Bad Gateway');
    assert.equal(error.status.kind, 'Status');
  });

  it('recognizes the expired-resourceVersion answer as Status and as error', () => {
    const status = { kind: 'Status' as const, reason: 'Expired', code: 410, message: 'too old resource version: 1 (40)' };
    assert.ok(isExpired(status));
    assert.ok(isExpired(new ApiStatusError(status, 200)));
    assert.ok(!isExpired(ApiStatusError.fromBody(404, '')));
  });
});
