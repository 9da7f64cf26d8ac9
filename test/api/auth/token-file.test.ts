import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenFileAuthenticator, TokenFileError } from '../../../api/auth/token-file-authenticator.js';
import { startTestServer } from '../../support/test-server.js';

test('reads token, user, uid and quoted groups, adding system:authenticated', () => {
  const tokens = TokenFileAuthenticator.fromCsv('t1,alice,1001,"dev,ops"\nt2, bob ,1002\n\n,empty,3\n');
  assert.deepEqual(tokens.authenticateToken('t1'), { name: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] });
  assert.deepEqual(tokens.authenticateToken('t2'), { name: 'bob ', uid: '1002', groups: ['system:authenticated'] });
  assert.equal(tokens.authenticateToken(''), undefined);
  assert.equal(tokens.authenticateToken('t3'), undefined);
  assert.equal(tokens.size, 2);
});

test('refuses a record with fewer than three columns', () => {
  assert.throws(() => TokenFileAuthenticator.fromCsv('t1,alice\n', 'tokens.csv'), (error: unknown) =>
    error instanceof TokenFileError && /token file 'tokens.csv' must have at least 3 columns \(token, user name, user uid\), found 2/.test(error.message));
});

test('refuses a file that cannot be read', () => {
  assert.throws(() => TokenFileAuthenticator.fromFile('/nonexistent/tokens.csv'), TokenFileError);
});

test('a known bearer token is accepted, an unknown one gets a 401 Status', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-tokens-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'tokens.csv');
  writeFileSync(file, 'admintoken,root,1,system:masters\n');
  const server = await startTestServer({ memory: true, tokenAuthFile: file });
  t.after(() => server.close());
  const ok = await fetch(`${server.url}/api/v1/namespaces`, { headers: { authorization: 'Bearer admintoken' } });
  assert.equal(ok.status, 200);
  const refused = await fetch(`${server.url}/api/v1/namespaces`, { headers: { authorization: 'Bearer nope' } });
  assert.equal(refused.status, 401);
  assert.deepEqual(await refused.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  const basic = await fetch(`${server.url}/api/v1/namespaces`, { headers: { authorization: 'Basic YTpi' } });
  assert.equal(basic.status, 401);
});
