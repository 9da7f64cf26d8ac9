import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SqliteStore } from '../../storage/sqlite-store.js';
import { SkiffProcess, runSkiff } from '../support/skiff-process.js';

const REQUEST_TIMEOUT_MS = 5000;
const tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
  tempDirs.push(dir);
  return dir;
};

/** Resolves once a TCP connection to `port` is refused: the server has stopped accepting. */
async function refused(port: number): Promise<void> {
  for (;;) {
    const outcome = await new Promise<'accepted' | 'refused'>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('accepted');
      });
      socket.once('error', () => resolve('refused'));
    });
    if (outcome === 'refused') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects what arrives on a raw socket, and resolves when `pattern` has arrived. */
function reader(socket: Socket): { text: () => string; until: (pattern: RegExp) => Promise<string> } {
  let text = '';
  const waiters: Array<{ pattern: RegExp; resolve: (text: string) => void; reject: (error: Error) => void }> = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    check();
  });
  let closed = false;
  const closedError = (): Error => new Error(`the server closed the connection; received:\n${text}`);
  socket.on('close', () => {
    closed = true;
    for (const waiter of waiters.splice(0)) waiter.reject(closedError());
  });
  return {
    text: () => text,
    until: (pattern) => new Promise((resolve, reject) => {
      if (pattern.test(text)) return resolve(text);
      if (closed) return reject(closedError());
      waiters.push({ pattern, resolve, reject });
    }),
  };
}

after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('skiff server --help', () => {
  it('documents every flag with its default and environment variable', async () => {
    const result = await runSkiff(['server', '--help']);
    assert.equal(result.code, 0, result.stderr);
    // Help text wraps at 80 columns; compare with whitespace folded.
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const [flag, defaultValue, env] of [
      ['--host <address>', '"127.0.0.1"', 'SKIFF_HOST'],
      ['--port <port>', '6443', 'SKIFF_PORT'],
      ['--data <path>', '"./data/skiff.db"', 'SKIFF_DATA'],
      ['--service-cidr <cidr>', '"10.96.0.0/16"', 'SKIFF_SERVICE_CIDR'],
      ['--node-port-range <from-to>', '30000-32767', 'SKIFF_NODE_PORT_RANGE'],
      ['--pod-cidr <cidr>', '"10.244.0.0/16"', 'SKIFF_POD_CIDR'],
      ['--max-requests-inflight <n>', '400', 'SKIFF_MAX_REQUESTS_INFLIGHT'],
      ['--max-mutating-requests-inflight <n>', '200', 'SKIFF_MAX_MUTATING_REQUESTS_INFLIGHT'],
      ['--max-watches-per-connection <n>', '100', 'SKIFF_MAX_WATCHES_PER_CONNECTION'],
    ] as const) {
      assert.ok(help.includes(flag), `${flag} in help`);
      assert.ok(help.includes(`default: ${defaultValue}`), `default ${defaultValue} in help`);
      assert.ok(help.includes(`env: ${env})`), `${env} in help`);
    }
    assert.match(help, /0 picks a free port/);
    assert.match(help, /':memory:'/);
  });
});

describe('skiff server flag validation', { concurrency: true }, () => {
  const cases: Array<{ args: string[]; env?: Record<string, string>; mentions: string[] }> = [
    { args: ['--service-cidr', 'nope'], mentions: ['--service-cidr', '"nope" is not a valid CIDR'] },
    { args: ['--node-port-range', '32767-30000'], mentions: ['--node-port-range', 'is not a port range'] },
    { args: ['--port', '70000'], mentions: ['--port', 'is not a port number'] },
    { args: [], env: { SKIFF_POD_CIDR: '10.244.0.0/99' }, mentions: ['SKIFF_POD_CIDR', 'is not a valid CIDR'] },
    { args: ['--max-requests-inflight', '-1'], mentions: ['--max-requests-inflight', '"-1" is not a non-negative integer'] },
    { args: ['--audit-log-path', '/nonexistent/audit.log'], mentions: ['--audit-log-path', 'the folder of "/nonexistent/audit.log" does not exist'] },
    { args: ['--encryption-key-file', '/nonexistent/encryption.yaml'], mentions: ['--encryption-key-file', 'cannot read /nonexistent/encryption.yaml'] },
  ];
  for (const c of cases) {
    const shown = c.env ? Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ') : c.args.join(' ');
    it(`exits non-zero with a clear message for ${shown}`, async () => {
      const dir = tempDir();
      // Flags win over the environment, so the defaults here come in through it.
      const env = { SKIFF_PORT: '0', SKIFF_DATA: join(dir, 'skiff.db'), ...c.env };
      const result = await runSkiff(['server', ...c.args], { env });
      assert.notEqual(result.code, 0);
      assert.equal(result.stdout.includes('listening'), false, 'never started');
      for (const text of c.mentions) assert.ok(result.stderr.includes(text), `stderr mentions ${text}: ${result.stderr}`);
      assert.equal(existsSync(join(dir, 'skiff.db')), false, 'no database created before the flags were valid');
    });
  }
});

describe('skiff server configuration', () => {
  it('takes host, port, data and the ranges from SKIFF_* environment variables', async () => {
    const dir = tempDir();
    const data = join(dir, 'from-env.db');
    const server = SkiffProcess.spawn(['server'], {
      env: {
        SKIFF_HOST: '127.0.0.1',
        SKIFF_PORT: '0',
        SKIFF_DATA: data,
        SKIFF_SERVICE_CIDR: '10.123.0.0/24',
        SKIFF_NODE_PORT_RANGE: '31000-31005',
        SKIFF_POD_CIDR: '10.77.0.0/16',
        SKIFF_LOG_LEVEL: 'warn',
        SKIFF_INSECURE_SERVE_HTTP: 'true',
      },
    });
    try {
      const url = await server.ready();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'SKIFF_HOST and SKIFF_PORT=0');
      assert.ok(existsSync(data), 'SKIFF_DATA names the database file');
      const service = await request(url).post('/api/v1/namespaces/default/services').timeout(REQUEST_TIMEOUT_MS).send({
        metadata: { name: 'np' },
        spec: { type: 'NodePort', selector: { app: 'np' }, ports: [{ port: 80 }] },
      });
      assert.equal(service.status, 201, JSON.stringify(service.body));
      assert.match(service.body.spec.clusterIP, /^10\.123\.0\.\d+$/, 'SKIFF_SERVICE_CIDR');
      const nodePort = service.body.spec.ports[0].nodePort as number;
      assert.ok(nodePort >= 31000 && nodePort <= 31005, `SKIFF_NODE_PORT_RANGE: ${nodePort}`);
      const node = await request(url).post('/api/v1/nodes').timeout(REQUEST_TIMEOUT_MS).send({ metadata: { name: 'n1' } });
      assert.equal(node.status, 201, JSON.stringify(node.body));
      assert.match(node.body.spec.podCIDR, /^10\.77\.\d+\.0\/24$/, 'SKIFF_POD_CIDR');
    } finally {
      await server.stop();
    }
  });

  it('defaults to TLS on 127.0.0.1:6443 and ./data/skiff.db, creating the data folder and its PKI', async () => {
    const cwd = tempDir();
    // Port 6443 may be taken on the machine running the tests; the port default is read from --help above.
    const server = SkiffProcess.spawn(['server', '--log-level', 'warn'], { cwd, env: { SKIFF_PORT: '0' } });
    try {
      const url = await server.ready();
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(existsSync(join(cwd, 'data', 'skiff.db')), 'data/skiff.db created under the working directory');
      assert.ok(existsSync(join(cwd, 'data', 'pki', 'ca.crt')), 'data/pki/ca.crt created beside the database');
    } finally {
      await server.stop();
    }
  });
});

describe('skiff server shutdown', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, keeps its write, and exits 0', async () => {
    const dir = tempDir();
    const data = join(dir, 'skiff.db');
    const server = SkiffProcess.spawn(['server', '--port', '0', '--data', data, '--log-level', 'warn', '--insecure-serve-http']);
    let socket: Socket | undefined;
    try {
      const url = await server.ready();
      const port = Number(new URL(url).port);
      const body = JSON.stringify({ metadata: { name: 'in-flight' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
      socket = connect(port, '127.0.0.1');
      const incoming = reader(socket);
      // Expect: 100-continue makes the server say when it has the request in hand.
      socket.write([
        'POST /api/v1/namespaces/default/pods HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'));
      await incoming.until(/HTTP\/1\.1 100 Continue/);

      server.child.kill('SIGTERM');
      await refused(port);
      socket.write(body);
      const response = await incoming.until(/HTTP\/1\.1 201[\s\S]*\r\n\r\n[\s\S]*"in-flight"/);
      assert.match(response, /"kind":"Pod"/);

      const exit = await server.exit();
      assert.deepEqual(exit, { code: 0, signal: null }, server.stderr);
    } finally {
      socket?.destroy();
      await server.stop();
    }

    // The process is gone; the database file alone shows the write was committed before exit.
    const store = new SqliteStore({ path: data });
    try {
      assert.ok(store.get({ resource: 'pods', namespace: 'default', name: 'in-flight' }), 'the finished write is in the database');
    } finally {
      store.close();
    }
  });

  it('with --port 0 picks a free port, prints one ready line with its URL, and exits 0 on SIGINT', async () => {
    const dir = tempDir();
    const server = SkiffProcess.spawn(['server', '--port', '0', '--data', join(dir, 'skiff.db'), '--log-level', 'warn', '--insecure-serve-http']);
    try {
      const url = await server.ready();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(new URL(url).port, '0');
      assert.equal(server.stdout.match(/listening on/g)?.length, 1);
      const health = await request(url).get('/healthz').timeout(REQUEST_TIMEOUT_MS);
      assert.equal(health.status, 200);
      server.child.kill('SIGINT');
      assert.deepEqual(await server.exit(), { code: 0, signal: null });
    } finally {
      await server.stop();
    }
  });
});
