// The iptables backend against a real kernel, in a throwaway network
// namespace: the chains load, list back, carry traffic, and go away.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createIptablesBackend, type IptablesBackend } from '../../../../../clients/agent/proxy/iptables/iptables-backend.js';
import { BackendLab, NODE_IP } from '../../../../e2e/support/backend-lab.js';
import { netnsSkipReason } from '../../../../e2e/support/netns.js';
import { emptyService, endpoint, servicePort, stickyService, tableOf, webService } from '../nftables/forwarding-fixtures.js';

const skip = netnsSkipReason(['ip', 'iptables-restore', 'iptables-save', 'curl']);
const PODS = { '10.244.1.5': 'web-1', '10.244.2.5': 'web-2', '10.244.1.7': 'sticky-1', '10.244.2.7': 'sticky-2', '10.244.3.5': 'web-3' };

const nodePort = servicePort({
  service: 'np',
  clusterIPs: ['10.96.0.20'],
  nodePort: 30080,
  endpoints: [endpoint('10.244.1.5'), endpoint('10.244.2.5')],
});

describe('iptables backend in a network namespace', { skip }, () => {
  const lab = new BackendLab();
  let backend: IptablesBackend;
  const save = (): Promise<string> => lab.lab.mustExecIn(lab.ns, ['iptables-save']);

  before(async () => {
    await lab.start('ipt', PODS);
    // Someone else's rules: must survive everything below.
    await lab.lab.mustExecIn(lab.ns, ['iptables', '-t', 'nat', '-N', 'BYSTANDER']);
    await lab.lab.mustExecIn(lab.ns, ['iptables', '-t', 'nat', '-A', 'PREROUTING', '-j', 'BYSTANDER']);
    backend = createIptablesBackend({ run: lab.runner });
  });
  after(async () => {
    await lab.destroy();
  });

  it('loads its chains and jumps, and lists them back', async () => {
    await backend.apply(tableOf([webService, nodePort, stickyService, emptyService]));
    const saved = await save();
    assert.match(saved, /-A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES/);
    assert.match(saved, /-A OUTPUT -m comment --comment "skiff service portals" -j SKIFF-SERVICES/);
    assert.match(saved, /-A SKIFF-SERVICES -d 10\.96\.0\.10\/32 -p tcp -m comment --comment "default\/web cluster IP" -m tcp --dport 80 -j SKIFF-SVC-/);
    assert.match(saved, /--probability 0\.50000000000 -j SKIFF-SEP-/);
    assert.match(saved, /"default\/empty has no endpoints" -m tcp --dport 80 -j REJECT/);
  });

  it('adds the jumps only once, however often it syncs', async () => {
    await backend.apply(tableOf([webService, nodePort, stickyService, emptyService]));
    const fresh = createIptablesBackend({ run: lab.runner });
    await fresh.apply(tableOf([webService, nodePort, stickyService, emptyService]));
    const saved = await save();
    assert.equal(saved.match(/-j SKIFF-SERVICES$/gm)?.length, 4, 'nat PREROUTING and OUTPUT, filter FORWARD and OUTPUT');
    assert.equal(saved.match(/-A SKIFF-SERVICES -d 10\.96\.0\.10\/32/g)?.length, 1);
    backend = fresh;
  });

  it('sends ClusterIP traffic to every ready endpoint', async () => {
    assert.deepEqual(await lab.answers('http://10.96.0.10/', 30), new Set(['web-1', 'web-2']));
  });

  it('answers a NodePort on the node address', async () => {
    assert.deepEqual(await lab.answers(`http://${NODE_IP}:30080/`, 30), new Set(['web-1', 'web-2']));
  });

  it('refuses a Service with no ready endpoint at once', async () => {
    assert.equal((await lab.curl('http://10.96.0.30/')).code, 7, 'connection refused, not a timeout (28)');
  });

  it('keeps a ClientIP-affinity client on the endpoint it first reached', async () => {
    const seen = await lab.answers('http://10.96.0.40/', 20);
    assert.equal(seen.size, 1, [...seen].join(', '));
  });

  it('follows an endpoint change with a partial sync', async () => {
    await backend.apply(tableOf([{ ...webService, endpoints: [endpoint('10.244.3.5')] }, nodePort, stickyService, emptyService]));
    assert.equal(backend.lastApplyKind, 'partial');
    assert.deepEqual(await lab.answers('http://10.96.0.10/', 10), new Set(['web-3']));
  });

  it('leaves no rule of a removed Service in the kernel', async () => {
    await backend.apply(tableOf([nodePort, emptyService]));
    const saved = await save();
    for (const trace of ['10.96.0.10', '10.96.0.40', 'default/web', 'default/sticky', '10.244.3.5']) {
      assert.ok(!saved.includes(trace), `${trace} is gone`);
    }
  });

  it('programs IPv6 Services with ip6tables, and empties them when they go', async () => {
    const dual = servicePort({ service: 'dual', clusterIPs: ['10.96.0.60', 'fd00:96::60'], endpoints: [endpoint('10.244.1.5'), endpoint('fd00:244::5')] });
    await backend.apply(tableOf([nodePort, emptyService, dual], [NODE_IP, 'fd00:250::11']));
    const saved6 = await lab.lab.mustExecIn(lab.ns, ['ip6tables-save']);
    assert.match(saved6, /-d fd00:96::60\/128 .* -j SKIFF-SVC-/);
    assert.match(saved6, /-j DNAT --to-destination \[fd00:244::5\]:8080/);
    assert.match(saved6, /-A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES/);
    await backend.apply(tableOf([nodePort, emptyService]));
    assert.doesNotMatch(await lab.lab.mustExecIn(lab.ns, ['ip6tables-save']), /fd00:96::60|fd00:244::5/);
  });

  it('cleans up its chains and jumps, and nothing else', async () => {
    await backend.cleanup();
    const saved = await save();
    assert.doesNotMatch(saved, /SKIFF/);
    assert.doesNotMatch(await lab.lab.mustExecIn(lab.ns, ['ip6tables-save']), /SKIFF/);
    assert.match(saved, /-A PREROUTING -j BYSTANDER/);
  });
});
