import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startTokenServer, type TokenServer } from './token-users.js';

// pods/exec arrives as an HTTP upgrade, outside fastify's hooks; the upgrade
// handler must authenticate and authorize it the same way.

/** The status line of an exec upgrade attempt, and its Status body when refused. */
function attemptExec(url: string, token: string | undefined): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/namespaces/default/pods/missing/exec?command=ls&stdout=true`, ['v5.channel.k8s.io'], {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      handshakeTimeout: 5_000,
    });
    socket.on('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    socket.on('open', () => {
      socket.close();
      reject(new Error('the exec upgrade was accepted'));
    });
    socket.on('error', () => undefined);
  });
}

describe('pods/exec upgrades are authenticated and authorized', () => {
  let server: TokenServer;
  before(async () => {
    server = await startTokenServer();
  });
  after(async () => {
    await server?.close();
  });

  it('refuses an unknown token with 401', async () => {
    const reply = await attemptExec(server.url, 'no-such-token');
    assert.equal(reply.status, 401);
    assert.equal(reply.body.reason, 'Unauthorized');
  });

  it('refuses a user without create on pods/exec with upstream\'s 403', async () => {
    const reply = await attemptExec(server.url, 'bob-token');
    assert.equal(reply.status, 403);
    assert.equal(reply.body.message, 'pods "missing" is forbidden: User "bob" cannot create resource "pods/exec" in API group "" in the namespace "default"');
  });

  it('lets system:masters through to the pod lookup', async () => {
    const reply = await attemptExec(server.url, 'admin-token');
    assert.equal(reply.status, 404);
  });
});
