import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { KubectlSession, rowNamed, tableRows } from './kubectl-harness.js';
import { endpointSliceManifest, endpointsManifest, eventManifest, nodeManifest, podManifest, serviceManifest } from './manifests.js';

// `kubectl get` and `kubectl describe` for every kind skiff serves, in the
// human-readable Table form and as YAML and JSON. Controllers that allocate
// addresses and derive endpoints run beside these tests, so cells they own
// (CLUSTER-IP, pod IP, NODE) are checked for shape, not value.

const AGE = /^\d+(s|m\d*s?|h\d*m?|d\d*h?)$/;
const CLUSTER_IP = /^(<none>|\d+\.\d+\.\d+\.\d+)$/;

describe('kubectl get and describe against skiff', () => {
  let kubectl: KubectlSession;
  let webUid = '';

  before(async () => {
    kubectl = await KubectlSession.start();
    const manifests = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n',
      podManifest('web-1', { app: 'web', tier: 'fe' }),
      podManifest('db-1', { app: 'db' }),
      podManifest('api-1', { app: 'api' }).replace('  name: api-1\n', '  name: api-1\n  namespace: team-a\n'),
      serviceManifest('web', { selector: { app: 'web' } }),
      serviceManifest('np', { selector: { app: 'web' }, type: 'NodePort', ports: '  - port: 80\n    targetPort: 8080\n    nodePort: 30080\n' }),
      serviceManifest('ext', { ports: '  - port: 8080\n' }),
      endpointsManifest('ext', '10.1.2.3', 8080),
      endpointSliceManifest('ext-manual', 'ext', '10.1.2.3', 8080),
      nodeManifest('node-a'),
    ];
    const applied = await kubectl.ok(['apply', '-f', kubectl.file('objects.yaml', manifests.join('---\n'))]);
    assert.match(applied, /^endpointslice\.discovery\.k8s\.io\/ext-manual created$/m);
    webUid = (await kubectl.ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.metadata.uid}'])).trim();
    await kubectl.ok(['create', '-f', kubectl.file('event.yaml', eventManifest('web-1.scheduled', { name: 'web-1', uid: webUid }, 'Scheduled', 'Successfully assigned default/web-1 to node-a'))]);
  });
  after(async () => {
    await kubectl?.close();
  });

  it('get pods prints NAME, READY, STATUS, RESTARTS and AGE', async () => {
    const stdout = await kubectl.ok(['get', 'pods']);
    const rows = tableRows(stdout);
    assert.deepEqual(rows[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    // Listed in name order, as the real server sorts them.
    assert.deepEqual(rows.slice(1).map((cells) => cells[0]), ['db-1', 'web-1']);
    const web = rowNamed(stdout, 'web-1')!;
    assert.deepEqual(web.slice(0, 4), ['web-1', '0/1', 'Pending', '0']);
    assert.match(web[4]!, AGE);
  });

  it('get pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    const stdout = await kubectl.ok(['get', 'po', '-o', 'wide']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.equal(rowNamed(stdout, 'web-1')?.length, 9);
  });

  it('get pods -l selects by label, with set-based selectors too', async () => {
    assert.deepEqual(tableRows(await kubectl.ok(['get', 'pods', '-l', 'app=web'])).slice(1).map((c) => c[0]), ['web-1']);
    assert.deepEqual(tableRows(await kubectl.ok(['get', 'pods', '-l', 'app in (web, db)'])).slice(1).map((c) => c[0]), ['db-1', 'web-1']);
    assert.deepEqual(tableRows(await kubectl.ok(['get', 'pods', '-l', 'app!=web,tier!=fe'])).slice(1).map((c) => c[0]), ['db-1']);
    const none = await kubectl.run(['get', 'pods', '-l', 'app=nothing']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
  });

  it('get pods -A lists every namespace with a NAMESPACE column', async () => {
    const rows = tableRows(await kubectl.ok(['get', 'pods', '-A']));
    assert.deepEqual(rows[0], ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(rows.slice(1).map((cells) => `${cells[0]}/${cells[1]}`), ['default/db-1', 'default/web-1', 'team-a/api-1']);
    const teamA = tableRows(await kubectl.ok(['get', 'pods', '-n', 'team-a']));
    assert.deepEqual(teamA.slice(1).map((cells) => cells[0]), ['api-1']);
  });

  it('get pods -o yaml prints a List of complete objects with server defaults', async () => {
    const list = YAML.parse(await kubectl.ok(['get', 'pods', '-o', 'yaml'])) as { kind: string; items: { kind: string; metadata: { name: string; uid: string }; spec: { containers: { ports: { protocol: string }[] }[]; restartPolicy: string } }[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((item) => item.metadata.name), ['db-1', 'web-1']);
    const web = list.items.find((item) => item.metadata.name === 'web-1')!;
    assert.equal(web.kind, 'Pod');
    assert.equal(web.metadata.uid, webUid);
    assert.equal(web.spec.containers[0]!.ports[0]!.protocol, 'TCP');
    assert.equal(web.spec.restartPolicy, 'Always');
  });

  it('get pod -o json prints the object itself', async () => {
    const pod = await kubectl.json<{ apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string>; resourceVersion: string } }>(['get', 'pod', 'web-1']);
    assert.equal(pod.apiVersion, 'v1');
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.metadata.namespace, 'default');
    assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'fe' });
    assert.match(pod.metadata.resourceVersion, /^\d+$/);
  });

  it('get svc prints TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S) with node ports', async () => {
    const stdout = await kubectl.ok(['get', 'svc']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const web = rowNamed(stdout, 'web')!;
    assert.equal(web[1], 'ClusterIP');
    assert.match(web[2]!, CLUSTER_IP);
    assert.deepEqual(web.slice(3, 5), ['<none>', '80/TCP']);
    const np = rowNamed(stdout, 'np')!;
    assert.equal(np[1], 'NodePort');
    assert.deepEqual(np.slice(3, 5), ['<none>', '80:30080/TCP']);
    assert.deepEqual(rowNamed(stdout, 'ext')?.slice(3, 5), ['<none>', '8080/TCP']);
  });

  it('get svc -o wide adds the SELECTOR column', async () => {
    const stdout = await kubectl.ok(['get', 'services', '-o', 'wide']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.equal(rowNamed(stdout, 'web')?.[6], 'app=web');
    assert.equal(rowNamed(stdout, 'ext')?.[6], '<none>');
  });

  it('get ep prints each Endpoints object with its addresses', async () => {
    const stdout = await kubectl.ok(['get', 'ep']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'ENDPOINTS', 'AGE']);
    assert.equal(rowNamed(stdout, 'ext')?.[1], '10.1.2.3:8080');
  });

  it('get endpointslices prints ADDRESSTYPE, PORTS and ENDPOINTS', async () => {
    const stdout = await kubectl.ok(['get', 'endpointslices']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    assert.deepEqual(rowNamed(stdout, 'ext-manual')?.slice(1, 4), ['IPv4', '8080', '10.1.2.3']);
    const byService = await kubectl.ok(['get', 'endpointslices.discovery.k8s.io', '-l', 'kubernetes.io/service-name=ext', '-o', 'name']);
    assert.match(byService, /^endpointslice\.discovery\.k8s\.io\/ext-manual$/m);
  });

  it('get nodes prints STATUS, ROLES, AGE and VERSION; -o wide the node details', async () => {
    const stdout = await kubectl.ok(['get', 'no']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.equal(rowNamed(stdout, 'node-a')?.[2], '<none>');
    const wide = await kubectl.ok(['get', 'nodes', '-o', 'wide']);
    assert.deepEqual(tableRows(wide)[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
  });

  it('get ns lists the system namespaces and new ones as Active', async () => {
    const stdout = await kubectl.ok(['get', 'ns']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'STATUS', 'AGE']);
    for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'team-a']) {
      assert.equal(rowNamed(stdout, name)?.[1], 'Active', name);
    }
  });

  it('get events prints LAST SEEN, TYPE, REASON, OBJECT and MESSAGE', async () => {
    const rows = tableRows(await kubectl.ok(['get', 'events']));
    assert.deepEqual(rows[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    const scheduled = rows.find((cells) => cells[2] === 'Scheduled' && cells[3] === 'pod/web-1');
    assert.ok(scheduled, 'the Scheduled event of pod/web-1 is listed');
    assert.deepEqual(scheduled.slice(1), ['Normal', 'Scheduled', 'pod/web-1', 'Successfully assigned default/web-1 to node-a']);
    assert.match(scheduled[0]!, AGE);
  });

  it('get all lists pods and services, the kinds in the "all" category', async () => {
    const stdout = await kubectl.ok(['get', 'all']);
    assert.match(stdout, /^pod\/web-1 +0\/1 +Pending/m);
    assert.match(stdout, /^service\/web +ClusterIP/m);
    assert.doesNotMatch(stdout, /endpoints|endpointslice|node\//);
  });

  it('describe pod shows the pod, its container and its events', async () => {
    const stdout = await kubectl.ok(['describe', 'pod', 'web-1']);
    assert.match(stdout, /^Name:\s+web-1$/m);
    assert.match(stdout, /^Namespace:\s+default$/m);
    assert.match(stdout, /^Labels:\s+app=web\n\s+tier=fe$/m);
    assert.match(stdout, /^Status:\s+Pending$/m);
    assert.match(stdout, /^ {2}web:\n {4}Image:\s+nginx:1\.27\n {4}Port:\s+8080\/TCP$/m);
    assert.match(stdout, /^QoS Class:\s+BestEffort$/m);
    assert.match(stdout, /^Events:\n {2}Type {4}Reason {5}Age {3}From {15}Message$/m);
    assert.match(stdout, /^ {2}Normal {2}Scheduled {2}\S+ +default-scheduler {2}Successfully assigned default\/web-1 to node-a$/m);
  });

  it('describe svc shows type, ports, and the endpoints from its EndpointSlices', async () => {
    const ext = await kubectl.ok(['describe', 'svc', 'ext']);
    assert.match(ext, /^Name:\s+ext$/m);
    assert.match(ext, /^Selector:\s+<none>$/m);
    assert.match(ext, /^Type:\s+ClusterIP$/m);
    assert.match(ext, /^Port:\s+<unset>\s+8080\/TCP$/m);
    assert.match(ext, /^Endpoints:\s+10\.1\.2\.3:8080$/m);
    assert.match(ext, /^Events:\s+<none>$/m);
    const web = await kubectl.ok(['describe', 'service', 'web']);
    assert.match(web, /^Selector:\s+app=web$/m);
    assert.match(web, /^TargetPort:\s+8080\/TCP$/m);
    assert.match(web, /^IP Families:\s+IPv4$/m);
    assert.match(web, /^Session Affinity:\s+None$/m);
  });
});
