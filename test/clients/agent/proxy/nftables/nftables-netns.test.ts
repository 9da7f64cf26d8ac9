// The nftables backend against a real kernel, in a throwaway network
// namespace: the rules load, list back, carry traffic, and go away.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNftablesBackend, type NftablesBackend } from '../../../../../clients/agent/proxy/nftables/nftables-backend.js';
import { BackendLab, NODE_IP } from '../../../../e2e/support/backend-lab.js';
import { netnsSkipReason } from '../../../../e2e/support/netns.js';
import { emptyService, endpoint, servicePort, stickyService, tableOf, webService } from './forwarding-fixtures.js';

const skip = netnsSkipReason(['ip', 'nft', 'curl']);
const PODS = { '10.244.1.5': 'web-1', '10.244.2.5': 'web-2', '10.244.1.7': 'sticky-1', '10.244.2.7': 'sticky-2', '10.244.3.5': 'web-3' };

const nodePort = servicePort({
  service: 'np',
  clusterIPs: ['10.96.0.20'],
  nodePort: 30080,
  endpoints: [endpoint('10.244.1.5'), endpoint('10.244.2.5')],
});

describe('nftables backend in a network namespace', { skip }, () => {
  const lab = new BackendLab();
  let backend: NftablesBackend;

  before(async () => {
    await lab.start('nft', PODS);
    // Someone else's table: must survive everything below.
    await lab.lab.mustExecIn(lab.ns, ['nft', 'add table inet bystander; add chain inet bystander keep { type filter hook input priority 0; }']);
    backend = createNftablesBackend({ run: lab.runner });
  });
  after(async () => {
    await lab.destroy();
  });

  it('loads the table into the kernel and lists it back', async () => {
    const { ruleCount } = await backend.apply(tableOf([webService, nodePort, stickyService, emptyService]));
    assert.ok(ruleCount > 0);
    const listed = await lab.lab.mustExecIn(lab.ns, ['nft', 'list', 'table', 'ip', 'skiff']);
    assert.match(listed, /10\.96\.0\.10 \. tcp \. 80 : goto dispatch-2/);
    assert.match(listed, /10\.96\.0\.10 \. 80 \. 1 : 10\.244\.2\.5 \. 8080/);
    assert.match(listed, /tcp \. 30080 : goto nodeport-dispatch-2/);
    assert.match(listed, /10\.96\.0\.30 \. tcp \. 80 comment "default\/empty" : goto reject-chain/);
    assert.match(listed, /timeout 10m/, 'the affinity set keeps its 600 s timeout');
  });

  it('sends ClusterIP traffic to every ready endpoint', async () => {
    assert.deepEqual(await lab.answers('http://10.96.0.10/', 30), new Set(['web-1', 'web-2']));
  });

  it('answers a NodePort on the node address', async () => {
    assert.deepEqual(await lab.answers(`http://${NODE_IP}:30080/`, 30), new Set(['web-1', 'web-2']));
  });

  it('refuses a Service with no ready endpoint at once, for its ClusterIP and its NodePort', async () => {
    assert.equal((await lab.curl('http://10.96.0.30/')).code, 7, 'connection refused, not a timeout (28)');
    assert.equal((await lab.curl(`http://${NODE_IP}:30081/`)).code, 7);
  });

  it('keeps a ClientIP-affinity client on the endpoint it first reached', async () => {
    const seen = await lab.answers('http://10.96.0.40/', 20);
    assert.equal(seen.size, 1, [...seen].join(', '));
    assert.ok(['sticky-1', 'sticky-2'].includes([...seen][0]!));
  });

  it('follows an endpoint change with an incremental transaction', async () => {
    const changed = { ...webService, endpoints: [endpoint('10.244.3.5')] };
    await backend.apply(tableOf([changed, nodePort, stickyService, emptyService]));
    assert.equal(backend.lastApplyKind, 'incremental');
    assert.deepEqual(await lab.answers('http://10.96.0.10/', 10), new Set(['web-3']));
  });

  it('leaves no rule of a removed Service in the kernel', async () => {
    await backend.apply(tableOf([nodePort, emptyService]));
    const listed = await lab.lab.mustExecIn(lab.ns, ['nft', 'list', 'ruleset']);
    for (const trace of ['10.96.0.10', '10.96.0.40', 'sticky', 'affinity-', '10.244.1.7', '10.244.3.5']) {
      assert.ok(!listed.includes(trace), `${trace} is gone`);
    }
    assert.equal((await lab.curl('http://10.96.0.10/', 2)).code, 28, 'nothing captures the old ClusterIP any more');
  });

  it('replaces the whole table on a fresh start and after someone deleted it', async () => {
    await lab.lab.mustExecIn(lab.ns, ['nft', 'delete', 'table', 'ip', 'skiff']);
    await backend.apply(tableOf([webService, nodePort]));
    assert.equal(backend.lastApplyKind, 'full', 'the incremental update failed, so the table was rebuilt');
    assert.deepEqual(await lab.answers('http://10.96.0.10/', 20), new Set(['web-1', 'web-2']));
    const fresh = createNftablesBackend({ run: lab.runner });
    await fresh.apply(tableOf([webService]));
    assert.equal(fresh.lastApplyKind, 'full');
  });

  it('adds an ip6 table while a Service has an IPv6 ClusterIP, and removes it after', async () => {
    const dual = servicePort({
      service: 'dual',
      clusterIPs: ['10.96.0.60', 'fd00:96::60'],
      affinityTimeoutSeconds: 60,
      endpoints: [endpoint('10.244.1.5'), endpoint('fd00:244::5')],
    });
    await backend.apply(tableOf([webService, dual, servicePort({ service: 'v6-empty', clusterIPs: ['fd00:96::61'] })], [NODE_IP, 'fd00:250::11']));
    const listed = await lab.lab.mustExecIn(lab.ns, ['nft', 'list', 'table', 'ip6', 'skiff']);
    assert.match(listed, /meta l4proto tcp dnat to \[fd00:244::5\]:8080/);
    assert.match(listed, /fd00:96::61 \. tcp \. 80 comment "default\/v6-empty" : goto reject-chain/);
    await backend.apply(tableOf([webService]));
    const tables = await lab.lab.mustExecIn(lab.ns, ['nft', 'list', 'tables']);
    assert.doesNotMatch(tables, /ip6 skiff/);
    assert.match(tables, /table ip skiff/);
  });

  it('cleans up its table and nothing else', async () => {
    await backend.cleanup();
    const tables = await lab.lab.mustExecIn(lab.ns, ['nft', 'list', 'tables']);
    assert.doesNotMatch(tables, /skiff/);
    assert.match(tables, /table inet bystander/);
  });
});
