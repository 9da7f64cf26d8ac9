import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubectlSession, rowNamed, tableRows } from './kubectl-harness.js';

// What kubectl learns before it touches an object: the server version (the
// installed dispatcher picks kubectl 1.32 by it), the resource types from
// aggregated discovery, and field documentation from /openapi/v3.

describe('kubectl discovery, api-resources and explain against skiff', () => {
  let kubectl: KubectlSession;
  before(async () => {
    kubectl = await KubectlSession.start();
  });
  after(async () => {
    await kubectl?.close();
  });

  it('kubectl version reports the server version skiff announces', async () => {
    const stdout = await kubectl.ok(['version']);
    assert.match(stdout, /^Server Version: v1\.32\.0\+skiff$/m);
  });

  it('kubectl api-resources lists every kind with short names, group version, scope and kind', async () => {
    const stdout = await kubectl.ok(['api-resources']);
    assert.deepEqual(tableRows(stdout)[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    assert.deepEqual(rowNamed(stdout, 'pods'), ['pods', 'po', 'v1', 'true', 'Pod']);
    assert.deepEqual(rowNamed(stdout, 'services'), ['services', 'svc', 'v1', 'true', 'Service']);
    assert.deepEqual(rowNamed(stdout, 'endpoints'), ['endpoints', 'ep', 'v1', 'true', 'Endpoints']);
    assert.deepEqual(rowNamed(stdout, 'nodes'), ['nodes', 'no', 'v1', 'false', 'Node']);
    assert.deepEqual(rowNamed(stdout, 'namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    assert.deepEqual(rowNamed(stdout, 'events'), ['events', 'ev', 'v1', 'true', 'Event']);
    assert.deepEqual(rowNamed(stdout, 'endpointslices'), ['endpointslices', 'discovery.k8s.io/v1', 'true', 'EndpointSlice']);
    assert.deepEqual(rowNamed(stdout, 'leases'), ['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    // Subresources are not resource types.
    assert.equal(tableRows(stdout).some((cells) => cells[0]?.includes('/')), false);
  });

  it('kubectl api-resources filters by verbs and category from discovery', async () => {
    const all = await kubectl.ok(['api-resources', '--categories=all', '-o', 'name']);
    assert.deepEqual(all.trim().split('\n').sort(), ['pods', 'services']);
    const watchable = await kubectl.ok(['api-resources', '--verbs=watch', '--namespaced=false', '-o', 'name']);
    assert.deepEqual(watchable.trim().split('\n').sort(), ['clusterrolebindings.rbac.authorization.k8s.io', 'clusterroles.rbac.authorization.k8s.io', 'namespaces', 'nodes']);
  });

  it('kubectl api-versions lists the core and named group versions', async () => {
    const stdout = await kubectl.ok(['api-versions']);
    assert.deepEqual(stdout.trim().split('\n').sort(), ['authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'v1']);
  });

  it('kubectl explain svc.spec prints the ServiceSpec fields with their docs', async () => {
    const stdout = await kubectl.ok(['explain', 'svc.spec']);
    assert.match(stdout, /^KIND:\s+Service$/m);
    assert.match(stdout, /^VERSION:\s+v1$/m);
    assert.match(stdout, /^FIELD: spec <ServiceSpec>$/m);
    assert.match(stdout, /ServiceSpec describes the attributes that a user creates on a service\./);
    assert.match(stdout, /^ {2}ports\t<\[\]ServicePort>$/m);
    assert.match(stdout, /^ {2}selector\t<map\[string\]string>$/m);
    assert.match(stdout, /^ {2}type\t<string>$/m);
    assert.match(stdout, /^ {4}clusterIP is the IP address of the service/m);
  });

  it('kubectl explain follows nested fields through arrays and named types', async () => {
    const ports = await kubectl.ok(['explain', 'pods.spec.containers.ports']);
    assert.match(ports, /^FIELD: ports <\[\]ContainerPort>$/m);
    assert.match(ports, /^ {2}containerPort\t<integer>$/m);
    assert.match(ports, /^ {2}protocol\t<string>$/m);
    const meta = await kubectl.ok(['explain', 'pod.metadata.labels']);
    assert.match(meta, /^FIELD: labels <map\[string\]string>$/m);
    const group = await kubectl.ok(['explain', 'endpointslices.endpoints.conditions']);
    assert.match(group, /^GROUP:\s+discovery\.k8s\.io$/m);
    assert.match(group, /^ {2}ready\t<boolean>$/m);
  });

  it('kubectl explain --recursive walks the whole Pod schema', async () => {
    const stdout = await kubectl.ok(['explain', 'pods', '--recursive']);
    assert.match(stdout, /^ {2}metadata\t<ObjectMeta>$/m);
    assert.match(stdout, /^ {4}containers\t<\[\]Container>$/m);
    assert.match(stdout, /^ {6}readinessProbe\t<Probe>$/m);
  });

  it('kubectl explain names a field that does not exist', async () => {
    const stderr = await kubectl.fails(['explain', 'svc.spec.nope']);
    assert.match(stderr, /field "nope" does not exist/);
  });
});
