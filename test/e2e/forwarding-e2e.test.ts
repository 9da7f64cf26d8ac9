// End to end, in both kernel modes: a real `skiff server` and two real
// `skiff agent`s in network namespaces, pods backed by real HTTP servers, and
// traffic through ClusterIPs and NodePorts. Latencies (readiness flip, pod
// added or removed → rules on both nodes) are measured and reported as test
// diagnostics; the assertions are about behaviour, bounded generously so a
// loaded machine does not make them flaky.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClusterLab, type KernelMode, type KubeObject } from './support/cluster-lab.js';
import { netnsSkipReason } from './support/netns.js';

const TOOLS: Record<KernelMode, string[]> = {
  nftables: ['ip', 'nft', 'curl'],
  iptables: ['ip', 'iptables-restore', 'iptables-save', 'curl'],
};

/** The targets, reported next to each measurement. */
const READINESS_TARGET_MS = 3000;
const POD_CHANGE_TARGET_MS = 2000;

/** True when `rules` names `ip` as a whole address (10.244.1.2 is not 10.244.1.23). */
function mentions(rules: string, ip: string): boolean {
  return new RegExp(`(^|[^0-9.])${ip.replaceAll('.', '\\.')}([^0-9]|$)`, 'm').test(rules);
}

function measured(what: string, ms: number, targetMs: number): string {
  return `${what}: ${ms} ms on both nodes (target ${targetMs} ms: ${ms <= targetMs ? 'met' : 'missed'})`;
}

for (const mode of ['nftables', 'iptables'] as const) {
  describe(`forwarding end to end, ${mode} mode`, { skip: netnsSkipReason(TOOLS[mode]), timeout: 600_000 }, () => {
    const cluster = new ClusterLab(mode);
    let web: KubeObject;
    let webNodePort: KubeObject;
    let clusterIP = '';
    let nodePort = 0;

    before(async () => {
      await cluster.start();
      await cluster.addPod('web-1', 'node-1');
      await cluster.addPod('web-2', 'node-2');
      await cluster.addPod('web-3', 'node-1');
      web = await cluster.api('POST', '/api/v1/namespaces/default/services', {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
      webNodePort = await cluster.api('POST', '/api/v1/namespaces/default/services', {
        metadata: { name: 'web-np' },
        spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
      clusterIP = String(web.spec?.clusterIP);
      nodePort = Number((webNodePort.spec?.ports as Array<{ nodePort?: number }> | undefined)?.[0]?.nodePort);
      assert.ok(nodePort >= 30000, `a NodePort was allocated: ${JSON.stringify(webNodePort.spec)}`);
      const ips = [...cluster.pods.values()].map((p) => p.ip);
      await cluster.waitForRules('all three pods ready in the rules', (rules) => mentions(rules, clusterIP) && ips.every((ip) => mentions(rules, ip)), 60_000);
    });
    after(async () => {
      await cluster.destroy();
    });

    it('answers the ClusterIP from both nodes, with every ready backend', async () => {
      for (const node of ['node-1', 'node-2']) {
        const seen = await cluster.answersUntilAll(node, `http://${clusterIP}/`, ['web-1', 'web-2', 'web-3']);
        assert.deepEqual(seen, new Set(['web-1', 'web-2', 'web-3']), `from ${node}`);
      }
    });

    it("answers a NodePort on each node's address from the other node", async () => {
      const [one, two] = cluster.nodes;
      for (const [from, to] of [[one!, two!], [two!, one!]] as const) {
        const seen = await cluster.answersUntilAll(from.name, `http://${to.ip}:${nodePort}/`, ['web-1', 'web-2', 'web-3']);
        assert.deepEqual(seen, new Set(['web-1', 'web-2', 'web-3']), `${from.name} → ${to.name}:${nodePort}`);
      }
    });

    it('drops a backend whose readiness fails and takes it back when it recovers', async (t) => {
      const pod = cluster.pods.get('web-2')!;
      await cluster.setReady('web-2', false);
      const left = await cluster.waitForRules('web-2 gone from the rules', (rules) => !mentions(rules, pod.ip));
      t.diagnostic(measured('readiness failing → endpoint gone', left, READINESS_TARGET_MS));
      for (const node of ['node-1', 'node-2']) {
        const seen = await cluster.answers(node, `http://${clusterIP}/`, 20);
        assert.ok(!seen.has('web-2'), `web-2 still answers from ${node}`);
        assert.deepEqual(seen, new Set(['web-1', 'web-3']));
      }

      await cluster.setReady('web-2', true);
      const back = await cluster.waitForRules('web-2 back in the rules', (rules) => mentions(rules, pod.ip));
      t.diagnostic(measured('readiness recovered → endpoint back', back, READINESS_TARGET_MS));
      const seen = await cluster.answersUntilAll('node-1', `http://${clusterIP}/`, ['web-1', 'web-2', 'web-3']);
      assert.ok(seen.has('web-2'), 'web-2 answers again');
    });

    it('follows pods added and removed', async (t) => {
      const created = Date.now();
      const pod = await cluster.addPod('web-4', 'node-2');
      await cluster.waitForRules('web-4 in the rules', (rules) => mentions(rules, pod.ip));
      // From the moment its backend serves (before that no probe can pass);
      // the time to start the backend process itself is the test's, not skiff's.
      t.diagnostic(measured('pod serving → endpoint live', Date.now() - pod.servingSince, POD_CHANGE_TARGET_MS));
      t.diagnostic(`pod created → endpoint live, including starting its backend process: ${Date.now() - created} ms`);
      const seen = await cluster.answersUntilAll('node-1', `http://${clusterIP}/`, ['web-4']);
      assert.ok(seen.has('web-4'), 'the new pod answers');

      const removing = Date.now();
      await cluster.removePod('web-4');
      await cluster.waitForRules('web-4 gone from the rules', (rules) => !mentions(rules, pod.ip));
      t.diagnostic(measured('pod deleted → endpoint gone', Date.now() - removing, POD_CHANGE_TARGET_MS));
      const after = await cluster.answers('node-2', `http://${clusterIP}/`, 20);
      assert.deepEqual(after, new Set(['web-1', 'web-2', 'web-3']));
    });

    it('refuses a Service with no ready endpoint at once, on its ClusterIP and its NodePort', async () => {
      const empty = await cluster.api('POST', '/api/v1/namespaces/default/services', {
        metadata: { name: 'empty' },
        spec: { type: 'NodePort', selector: { app: 'nothing-here' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      const emptyIP = String(empty.spec?.clusterIP);
      const emptyNodePort = Number((empty.spec?.ports as Array<{ nodePort?: number }>)[0]?.nodePort);
      await cluster.waitForRules('the empty Service in the rules', (rules) => mentions(rules, emptyIP));
      for (const node of cluster.nodes) {
        assert.equal((await cluster.curlFrom(node.name, `http://${emptyIP}/`)).code, 7, `ClusterIP from ${node.name}: refused (7), not a timeout (28)`);
      }
      const [one, two] = cluster.nodes;
      assert.equal((await cluster.curlFrom(one!.name, `http://${two!.ip}:${emptyNodePort}/`)).code, 7, 'NodePort from the other node: refused');
    });

    it('leaves no rule of a deleted Service on either node', async () => {
      const webId = 'default/web';
      await cluster.api('DELETE', '/api/v1/namespaces/default/services/web');
      await cluster.api('DELETE', '/api/v1/namespaces/default/services/web-np');
      const nodePortIP = String(webNodePort.spec?.clusterIP);
      const gone = (rules: string): boolean =>
        !mentions(rules, clusterIP) &&
        !mentions(rules, nodePortIP) &&
        !rules.includes(`${webId}:`) &&
        !rules.includes(`${webId} `) &&
        !new RegExp(`(\\. |--dport )${nodePort}\\b`).test(rules);
      await cluster.waitForRules('every rule of web and web-np gone', gone);
      for (const node of cluster.nodes) {
        const rules = await cluster.rules(node.name);
        assert.ok(gone(rules), `${node.name} still has a rule of the deleted Services:\n${rules}`);
        for (const pod of cluster.pods.values()) assert.ok(!mentions(rules, pod.ip), `${node.name} still forwards to ${pod.name}`);
      }
      assert.equal((await cluster.curlFrom('node-1', `http://${clusterIP}/`, 2)).code, 28, 'the old ClusterIP is captured by nothing');
    });
  });
}
