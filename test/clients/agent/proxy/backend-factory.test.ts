import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyModes } from '../../../../clients/agent/proxy/backend.js';
import { createBackend } from '../../../../clients/agent/proxy/backend-factory.js';
import { silentLogger } from '../../../../clients/client/logger.js';

describe('createBackend', () => {
  it('gives the backend each --mode names, without touching the system', () => {
    for (const mode of proxyModes) {
      const backend = createBackend({ mode, logger: silentLogger, userspaceInterface: undefined, udpIdleTimeoutMs: 1000 });
      assert.equal(backend.name, mode);
    }
  });
});
