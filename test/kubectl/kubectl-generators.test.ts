import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubectlSession, rowNamed } from './kubectl-harness.js';

// kubectl's generator commands send their object only as Kubernetes protobuf
// (Content-Type application/vnd.kubernetes.protobuf, no JSON fallback). Each
// is run for real and its object read back with `kubectl get`.

interface Service {
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    type: string;
    clusterIP?: string;
    externalName?: string;
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: number | string; nodePort?: number; protocol: string }[];
  };
}

describe('kubectl create namespace|service|configmap|secret (protobuf bodies) against skiff', () => {
  let kubectl: KubectlSession;
  before(async () => {
    kubectl = await KubectlSession.start();
  });
  after(async () => {
    await kubectl?.close();
  });

  it('creates a namespace with kubectl create namespace', async () => {
    assert.equal(await kubectl.ok(['create', 'namespace', 'gen-ns']), 'namespace/gen-ns created\n');
    const namespace = await kubectl.json<{ metadata: { name: string; uid: string }; status: { phase: string } }>(['get', 'namespace', 'gen-ns']);
    assert.equal(namespace.metadata.name, 'gen-ns');
    assert.ok(namespace.metadata.uid);
    assert.equal(namespace.status.phase, 'Active');
    assert.equal(rowNamed(await kubectl.ok(['get', 'ns']), 'gen-ns')?.[1], 'Active');
    // The same protobuf body again is a conflict on the name, reported the Kubernetes way.
    const again = await kubectl.fails(['create', 'namespace', 'gen-ns']);
    assert.equal(again, 'Error from server (AlreadyExists): namespaces "gen-ns" already exists\n');
  });

  it('creates a ConfigMap and a Secret with kubectl create configmap|secret generic --from-literal', async () => {
    assert.equal(await kubectl.ok(['create', 'configmap', 'gen-cm', '--from-literal=level=debug', '--from-literal=mode=fast']), 'configmap/gen-cm created\n');
    const configMap = await kubectl.json<{ data: Record<string, string> }>(['get', 'configmap', 'gen-cm']);
    assert.deepEqual(configMap.data, { level: 'debug', mode: 'fast' });
    assert.equal(await kubectl.ok(['create', 'secret', 'generic', 'gen-secret', '--from-literal=password=s3cr3t']), 'secret/gen-secret created\n');
    const secret = await kubectl.json<{ type: string; data: Record<string, string> }>(['get', 'secret', 'gen-secret']);
    assert.equal(secret.type, 'Opaque');
    assert.equal(Buffer.from(secret.data.password ?? '', 'base64').toString(), 's3cr3t');
    const row = rowNamed(await kubectl.ok(['get', 'secrets']), 'gen-secret');
    assert.deepEqual([row?.[1], row?.[2]], ['Opaque', '1']);
  });

  it('creates a ServiceAccount, a Role and a RoleBinding with kubectl create serviceaccount|role|rolebinding', async () => {
    assert.equal(await kubectl.ok(['create', 'serviceaccount', 'gen-sa']), 'serviceaccount/gen-sa created\n');
    assert.equal(await kubectl.ok(['create', 'role', 'gen-reader', '--verb=get,list', '--resource=pods']), 'role.rbac.authorization.k8s.io/gen-reader created\n');
    const role = await kubectl.json<{ rules: unknown[] }>(['get', 'role', 'gen-reader']);
    assert.deepEqual(role.rules, [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
    assert.equal(await kubectl.ok(['create', 'rolebinding', 'gen-read', '--role=gen-reader', '--serviceaccount=default:gen-sa']), 'rolebinding.rbac.authorization.k8s.io/gen-read created\n');
    const binding = await kubectl.json<{ roleRef: unknown; subjects: unknown[] }>(['get', 'rolebinding', 'gen-read']);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gen-reader' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'gen-sa', namespace: 'default' }]);
  });

  it('creates a ClusterIP service with kubectl create service clusterip', async () => {
    assert.equal(await kubectl.ok(['create', 'service', 'clusterip', 'gen-cip', '--tcp=80:8080']), 'service/gen-cip created\n');
    const service = await kubectl.json<Service>(['get', 'service', 'gen-cip']);
    assert.equal(service.spec.type, 'ClusterIP');
    assert.match(service.spec.clusterIP ?? '', /^10\.96\.\d+\.\d+$/);
    assert.deepEqual(service.spec.selector, { app: 'gen-cip' });
    assert.deepEqual(service.metadata.labels, { app: 'gen-cip' });
    assert.deepEqual(service.spec.ports, [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    const row = rowNamed(await kubectl.ok(['get', 'svc']), 'gen-cip');
    assert.deepEqual([row?.[1], row?.[4]], ['ClusterIP', '80/TCP']);
  });

  it('creates a headless service with kubectl create service clusterip --clusterip=None', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'gen-headless', '--clusterip=None']);
    const service = await kubectl.json<Service>(['get', 'service', 'gen-headless']);
    assert.equal(service.spec.clusterIP, 'None');
    assert.equal(service.spec.ports, undefined);
  });

  it('creates a NodePort service with kubectl create service nodeport --node-port', async () => {
    assert.equal(await kubectl.ok(['create', 'service', 'nodeport', 'gen-np', '--tcp=80:8080', '--node-port=30080']), 'service/gen-np created\n');
    const service = await kubectl.json<Service>(['get', 'service', 'gen-np']);
    assert.equal(service.spec.type, 'NodePort');
    assert.deepEqual(service.spec.ports, [{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }]);
    assert.equal(rowNamed(await kubectl.ok(['get', 'svc']), 'gen-np')?.[4], '80:30080/TCP');
  });

  it('creates an ExternalName service with kubectl create service externalname', async () => {
    assert.equal(await kubectl.ok(['create', 'service', 'externalname', 'gen-ext', '--external-name=example.com']), 'service/gen-ext created\n');
    const service = await kubectl.json<Service>(['get', 'service', 'gen-ext']);
    assert.equal(service.spec.type, 'ExternalName');
    assert.equal(service.spec.externalName, 'example.com');
    assert.equal(service.spec.clusterIP, undefined);
    assert.equal(rowNamed(await kubectl.ok(['get', 'svc']), 'gen-ext')?.[3], 'example.com');
  });

  it('creates a LoadBalancer service with kubectl create service loadbalancer', async () => {
    assert.equal(await kubectl.ok(['create', 'service', 'loadbalancer', 'gen-lb', '--tcp=443:8443']), 'service/gen-lb created\n');
    const service = await kubectl.json<Service>(['get', 'service', 'gen-lb']);
    assert.equal(service.spec.type, 'LoadBalancer');
    const [port] = service.spec.ports ?? [];
    assert.deepEqual({ ...port, nodePort: undefined }, { name: '443-8443', port: 443, targetPort: 8443, protocol: 'TCP', nodePort: undefined });
    assert.ok((port?.nodePort ?? 0) >= 30000, 'a NodePort is allocated for a LoadBalancer port');
  });

  it('reports a rejected generator object as the server says, here a NodePort already taken', async () => {
    const stderr = await kubectl.fails(['create', 'service', 'nodeport', 'gen-np2', '--tcp=81:8081', '--node-port=30080']);
    assert.match(stderr, /^error: failed to create NodePort service: Service "gen-np2" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated/);
  });
});
