import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SkiffServer } from '../../../api/server.js';
import { REQUEST_TIMEOUT_MS } from '../resources/http-fixtures.js';

// With --encryption-key-file, a Secret's value must not be found anywhere in
// the database files (the main file, its WAL and shared memory), neither in
// the current row nor in the event log, yet read back after a restart.

const SECRET_VALUE = `skiff-secret-${randomBytes(8).toString('hex')}`;
const UPDATED_VALUE = `skiff-updated-${randomBytes(8).toString('hex')}`;
const CONFIG_VALUE = `skiff-config-${randomBytes(8).toString('hex')}`;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('Secrets encrypted at rest', () => {
  let dir: string;
  let dataPath: string;
  let keyFile: string;
  let server: SkiffServer | undefined;

  const start = async (): Promise<string> => {
    server = await SkiffServer.create({ host: '127.0.0.1', port: 0, dataPath, logLevel: 'silent', encryptionKeyFile: keyFile });
    return server.listen();
  };
  const stop = async (): Promise<void> => {
    await server?.close();
    server = undefined;
  };
  /** The bytes of every file SQLite keeps for the database. */
  const databaseBytes = (): Buffer => Buffer.concat([dataPath, `${dataPath}-wal`, `${dataPath}-shm`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
  const assertAbsent = (bytes: Buffer, value: string, where: string): void => {
    for (const form of [value, b64(value)]) assert.equal(bytes.includes(form), false, `${form} found in ${where}`);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-encryption-'));
    dataPath = join(dir, 'skiff.db');
    keyFile = join(dir, 'encryption.yaml');
    writeFileSync(keyFile, `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aesgcm:
          keys:
            - name: key1
              secret: ${randomBytes(32).toString('base64')}
      - identity: {}
`);
  });
  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the value out of the database files and reads it back after a restart', async () => {
    let url = await start();
    const created = await request(url).post('/api/v1/namespaces/default/secrets').send({ metadata: { name: 'db-password' }, stringData: { password: SECRET_VALUE } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(created.status, 201);
    const createdAt = Number(created.body.metadata.resourceVersion);
    const updated = await request(url).put('/api/v1/namespaces/default/secrets/db-password')
      .send({ ...created.body, data: { password: b64(UPDATED_VALUE) } }).timeout(REQUEST_TIMEOUT_MS);
    assert.equal(updated.status, 200);
    // A ConfigMap is not encrypted: its value in the same files shows the search finds what is there.
    assert.equal((await request(url).post('/api/v1/namespaces/default/configmaps').send({ metadata: { name: 'plain' }, data: { v: CONFIG_VALUE } }).timeout(REQUEST_TIMEOUT_MS)).status, 201);

    const running = databaseBytes();
    assert.ok(running.includes(CONFIG_VALUE), 'the unencrypted ConfigMap value is in the files');
    assertAbsent(running, SECRET_VALUE, 'the database files of a running server');
    assertAbsent(running, UPDATED_VALUE, 'the database files of a running server');
    assert.ok(running.includes('k8s:enc:aesgcm:v1:key1:'), 'values carry the provider prefix');

    // A watch replays the event log, decrypted.
    const replay = await request(url).get(`/api/v1/namespaces/default/secrets?watch=true&resourceVersion=${createdAt - 1}&timeoutSeconds=1`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      res.on('end', () => done(null, text));
    }).timeout(REQUEST_TIMEOUT_MS);
    const events = String(replay.body).trim().split('\n').map((line) => JSON.parse(line) as { type: string; object: { data: { password: string } } });
    assert.deepEqual(events.map((e) => [e.type, e.object.data.password]), [['ADDED', b64(SECRET_VALUE)], ['MODIFIED', b64(UPDATED_VALUE)]]);

    await stop();
    const closed = databaseBytes();
    assertAbsent(closed, SECRET_VALUE, 'the database files after shutdown');
    assertAbsent(closed, UPDATED_VALUE, 'the database files after shutdown');

    url = await start();
    const read = await request(url).get('/api/v1/namespaces/default/secrets/db-password').timeout(REQUEST_TIMEOUT_MS);
    assert.equal(read.status, 200);
    assert.equal(Buffer.from(read.body.data.password, 'base64').toString(), UPDATED_VALUE);
    const list = await request(url).get('/api/v1/secrets').timeout(REQUEST_TIMEOUT_MS);
    assert.deepEqual(list.body.items.map((s: { metadata: { name: string } }) => s.metadata.name), ['db-password']);
  });
});
