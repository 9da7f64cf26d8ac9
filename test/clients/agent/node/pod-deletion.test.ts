import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PodStatusReporter } from '../../../../clients/agent/node/pod-status-reporter.js';
import { KubeClient } from '../../../../clients/client/client.js';
import type { Pod } from '../../../../clients/client/types.js';
import { eventually } from '../support/backends.js';
import { FakeSource } from '../support/fake-source.js';

describe('PodStatusReporter and graceful deletion', () => {
  let server: http.Server;
  let client: KubeClient;
  const requests: Array<{ line: string; body: string }> = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ line: `${req.method} ${req.url}`, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Success' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new KubeClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });

  after(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('deletes a terminating Pod for good, for its uid only, instead of reporting its status', async () => {
    const pods = new FakeSource<Pod>();
    const reporter = new PodStatusReporter({ client, nodeName: 'node-a', nodeIP: '127.0.0.1', pods });
    pods.upsert({
      metadata: { name: 'leaving', namespace: 'default', uid: 'uid-1', deletionTimestamp: '2030-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 },
      spec: { nodeName: 'node-a', containers: [{ name: 'app', readinessProbe: { tcpSocket: { port: 80 } } }] },
      status: { phase: 'Running', podIP: '127.100.9.9' },
    });
    pods.sync();
    await reporter.start();
    await eventually(() => requests.length > 0, () => 'no request');
    await reporter.stop();
    assert.deepEqual(requests.map((r) => r.line), ['DELETE /api/v1/namespaces/default/pods/leaving']);
    assert.deepEqual(JSON.parse(requests[0]!.body), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' } });
    assert.equal(reporter.probeReady('default', 'leaving', 'app'), undefined, 'no probe runs for a terminating pod');
  });
});
