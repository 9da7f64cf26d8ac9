import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import {
  NAMESPACES,
  NODES,
  REQUEST_TIMEOUT_MS,
  assertStatus,
  create,
  list,
  namespaceBody,
  nodeBody,
  podBody,
  podsPath,
  serviceBody,
  servicesPath,
  type WireList,
} from '../resources/http-fixtures.js';

// One table of bad requests through the real server. Every row must get the
// listed status code and reason in a Kubernetes Status body — never a 500,
// never a hang — and, for 422, the listed causes (field and message).

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Row {
  name: string;
  method: Method;
  path: string | (() => string);
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  status: number;
  reason: string;
  /** For 422: each expected cause as [field, a fragment of its message]. */
  causes?: Array<[string, string]>;
  message?: RegExp;
}

const NS = 'bad';
const PODS = podsPath(NS);
const SERVICES = servicesPath(NS);
const JSON_PATCH = { 'Content-Type': 'application/json-patch+json' };
const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };
const STRATEGIC_PATCH = { 'Content-Type': 'application/strategic-merge-patch+json' };

const container = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx', ...extra });
const podWith = (name: string, spec: unknown, labels?: Record<string, string>) => ({ metadata: { name, ...(labels ? { labels } : {}) }, spec });
const podLabelled = (labels: Record<string, string>) => podWith('labelled', { containers: [container()] }, labels);
const svcWith = (name: string, ports: unknown[]) => ({ metadata: { name }, spec: { selector: { app: 'x' }, ports } });

const SUBDOMAIN = 'a lowercase RFC 1123 subdomain must consist of';
const LABEL_1123 = 'a lowercase RFC 1123 label must consist of';
const LABEL_1035 = 'a DNS-1035 label must consist of';
const LABEL_VALUE = 'a valid label must be an empty string or consist of';
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

/** Filled in by the setup: a continue token whose revision the event log no longer holds. */
let expiredToken = '';
/** The pod as stored before the table runs, for the stale-resourceVersion rows. */
let staleResourceVersion = '';

const ROWS: Row[] = [
  // 422 Invalid: names
  { name: 'pod name that is not a DNS-1123 subdomain', method: 'POST', path: PODS, body: podWith('Web_1', { containers: [container()] }), status: 422, reason: 'Invalid', causes: [['metadata.name', SUBDOMAIN]] },
  { name: 'pod name longer than 253 characters', method: 'POST', path: PODS, body: podWith('a'.repeat(254), { containers: [container()] }), status: 422, reason: 'Invalid', causes: [['metadata.name', 'must be no more than 253 characters']] },
  { name: 'namespace name with a dot (namespaces are DNS-1123 labels)', method: 'POST', path: NAMESPACES, body: namespaceBody('team.a'), status: 422, reason: 'Invalid', causes: [['metadata.name', LABEL_1123]] },
  { name: 'namespace name in upper case', method: 'POST', path: NAMESPACES, body: namespaceBody('Team'), status: 422, reason: 'Invalid', causes: [['metadata.name', LABEL_1123]] },
  { name: 'node name that is not a DNS-1123 subdomain', method: 'POST', path: NODES, body: nodeBody('node_1'), status: 422, reason: 'Invalid', causes: [['metadata.name', SUBDOMAIN]] },
  { name: 'service name starting with a digit (DNS-1035 label)', method: 'POST', path: SERVICES, body: svcWith('1web', [{ port: 80 }]), status: 422, reason: 'Invalid', causes: [['metadata.name', LABEL_1035]] },
  { name: 'service name with a dot (DNS-1035 label)', method: 'POST', path: SERVICES, body: svcWith('web.v1', [{ port: 80 }]), status: 422, reason: 'Invalid', causes: [['metadata.name', LABEL_1035]] },
  { name: 'pod with neither name nor generateName', method: 'POST', path: PODS, body: { metadata: {}, spec: { containers: [container()] } }, status: 422, reason: 'Invalid', causes: [['metadata.name', 'name or generateName is required']] },
  // 422 Invalid: labels
  { name: 'label key with an invalid prefix', method: 'POST', path: PODS, body: podLabelled({ 'Example.com/app': 'x' }), status: 422, reason: 'Invalid', causes: [['metadata.labels', `prefix part ${SUBDOMAIN}`]] },
  { name: 'label key with a prefix over 253 characters', method: 'POST', path: PODS, body: podLabelled({ [`${'a'.repeat(254)}/app`]: 'x' }), status: 422, reason: 'Invalid', causes: [['metadata.labels', 'prefix part must be no more than 253 characters']] },
  { name: 'label key name over 63 characters', method: 'POST', path: PODS, body: podLabelled({ ['k'.repeat(64)]: 'x' }), status: 422, reason: 'Invalid', causes: [['metadata.labels', 'name part must be no more than 63 characters']] },
  { name: 'label key name with a character outside [A-Za-z0-9._-]', method: 'POST', path: PODS, body: podLabelled({ 'app!': 'x' }), status: 422, reason: 'Invalid', causes: [['metadata.labels', 'name part must consist of alphanumeric characters']] },
  { name: 'label key name ending in a dash', method: 'POST', path: PODS, body: podLabelled({ 'app-': 'x' }), status: 422, reason: 'Invalid', causes: [['metadata.labels', 'name part must consist of alphanumeric characters']] },
  { name: 'label value starting with a dash', method: 'POST', path: PODS, body: podLabelled({ app: '-web' }), status: 422, reason: 'Invalid', causes: [['metadata.labels', LABEL_VALUE]] },
  { name: 'label value over 63 characters', method: 'POST', path: PODS, body: podLabelled({ app: 'v'.repeat(64) }), status: 422, reason: 'Invalid', causes: [['metadata.labels', 'must be no more than 63 characters']] },
  { name: 'invalid label value set by a merge patch', method: 'PATCH', path: `${PODS}/p1`, headers: MERGE_PATCH, body: { metadata: { labels: { app: 'bad value' } } }, status: 422, reason: 'Invalid', causes: [['metadata.labels', LABEL_VALUE]] },
  // 422 Invalid: pods
  { name: 'pod without containers', method: 'POST', path: PODS, body: podWith('empty', { containers: [] }), status: 422, reason: 'Invalid', causes: [['spec.containers', 'Required value']] },
  { name: 'pod without a spec', method: 'POST', path: PODS, body: { metadata: { name: 'nospec' } }, status: 422, reason: 'Invalid', causes: [['spec.containers', 'Required value']] },
  { name: 'container without a name', method: 'POST', path: PODS, body: podWith('noname', { containers: [{ image: 'nginx' }] }), status: 422, reason: 'Invalid', causes: [['spec.containers[0].name', 'Required value']] },
  { name: 'container without an image', method: 'POST', path: PODS, body: podWith('noimage', { containers: [{ name: 'c' }] }), status: 422, reason: 'Invalid', causes: [['spec.containers[0].image', 'Required value']] },
  { name: 'duplicate container names', method: 'POST', path: PODS, body: podWith('dup', { containers: [container(), container({ image: 'redis' })] }), status: 422, reason: 'Invalid', causes: [['spec.containers[1].name', 'Duplicate value: "c"']] },
  { name: 'container port 0', method: 'POST', path: PODS, body: podWith('port0', { containers: [container({ ports: [{ containerPort: 0 }] })] }), status: 422, reason: 'Invalid', causes: [['spec.containers[0].ports[0].containerPort', 'Required value']] },
  { name: 'container port 70000', method: 'POST', path: PODS, body: podWith('port70k', { containers: [container({ ports: [{ containerPort: 70000 }] })] }), status: 422, reason: 'Invalid', causes: [['spec.containers[0].ports[0].containerPort', `Invalid value: 70000: ${PORT_RANGE}`]] },
  { name: 'container port protocol HTTP', method: 'POST', path: PODS, body: podWith('proto', { containers: [container({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }), status: 422, reason: 'Invalid', causes: [['spec.containers[0].ports[0].protocol', 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']] },
  { name: 'pod update that changes a container name', method: 'PUT', path: `${PODS}/p1`, body: podWith('p1', { nodeName: 'n-absent', containers: [{ name: 'renamed', image: 'nginx' }] }), status: 422, reason: 'Invalid', causes: [['spec', 'pod updates may not change fields other than']] },
  // 422 Invalid: services
  { name: 'service port 0', method: 'POST', path: SERVICES, body: svcWith('port0', [{ port: 0, targetPort: 80 }]), status: 422, reason: 'Invalid', causes: [['spec.ports[0].port', `Invalid value: 0: ${PORT_RANGE}`]] },
  { name: 'service port 65536', method: 'POST', path: SERVICES, body: svcWith('port65536', [{ port: 65536, targetPort: 80 }]), status: 422, reason: 'Invalid', causes: [['spec.ports[0].port', `Invalid value: 65536: ${PORT_RANGE}`]] },
  { name: 'service port protocol HTTP', method: 'POST', path: SERVICES, body: svcWith('proto', [{ port: 80, protocol: 'HTTP' }]), status: 422, reason: 'Invalid', causes: [['spec.ports[0].protocol', 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']] },
  { name: 'duplicate service port names', method: 'POST', path: SERVICES, body: svcWith('dupnames', [{ name: 'web', port: 80 }, { name: 'web', port: 81 }]), status: 422, reason: 'Invalid', causes: [['spec.ports[1].name', 'Duplicate value: "web"']] },
  { name: 'several service ports without names', method: 'POST', path: SERVICES, body: svcWith('nonames', [{ port: 80 }, { port: 81 }]), status: 422, reason: 'Invalid', causes: [['spec.ports[0].name', 'Required value'], ['spec.ports[1].name', 'Required value']] },
  { name: 'ClusterIP service without ports', method: 'POST', path: SERVICES, body: svcWith('noports', []), status: 422, reason: 'Invalid', causes: [['spec.ports', 'Required value']] },
  { name: 'service port 0 set by a JSON patch', method: 'PATCH', path: `${SERVICES}/s1`, headers: JSON_PATCH, body: [{ op: 'replace', path: '/spec/ports/0/port', value: 0 }], status: 422, reason: 'Invalid', causes: [['spec.ports[0].port', PORT_RANGE]] },
  { name: 'JSON patch whose test fails', method: 'PATCH', path: `${PODS}/p1`, headers: JSON_PATCH, body: [{ op: 'test', path: '/metadata/name', value: 'other' }], status: 422, reason: 'Invalid', message: /the server rejected our request due to an error in our request/ },
  // 404 NotFound
  { name: 'a pod that does not exist', method: 'GET', path: `${PODS}/missing`, status: 404, reason: 'NotFound', message: /^pods "missing" not found$/ },
  { name: 'a node that does not exist, patched', method: 'PATCH', path: `${NODES}/missing`, headers: MERGE_PATCH, body: { metadata: { labels: { a: 'b' } } }, status: 404, reason: 'NotFound', message: /^nodes "missing" not found$/ },
  { name: 'a service that does not exist, deleted', method: 'DELETE', path: `${SERVICES}/missing`, status: 404, reason: 'NotFound', message: /^services "missing" not found$/ },
  { name: 'a PUT to a pod that does not exist', method: 'PUT', path: `${PODS}/missing`, body: podBody('missing'), status: 404, reason: 'NotFound', message: /^pods "missing" not found$/ },
  { name: 'the status of a pod that does not exist', method: 'PUT', path: `${PODS}/missing/status`, body: podWith('missing', { containers: [container()] }), status: 404, reason: 'NotFound' },
  { name: 'a pod created in a namespace that does not exist', method: 'POST', path: podsPath('nowhere'), body: podBody('web'), status: 404, reason: 'NotFound', message: /^namespaces "nowhere" not found$/ },
  { name: 'a service created in a namespace that does not exist', method: 'POST', path: servicesPath('nowhere'), body: serviceBody('web'), status: 404, reason: 'NotFound', message: /^namespaces "nowhere" not found$/ },
  { name: 'an unknown resource', method: 'GET', path: '/api/v1/widgets', status: 404, reason: 'NotFound' },
  { name: 'an API group skiff does not serve', method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments', status: 404, reason: 'NotFound' },
  { name: 'a path outside the API', method: 'GET', path: '/no/such/path', status: 404, reason: 'NotFound' },
  // 409 AlreadyExists / Conflict
  { name: 'a pod that already exists', method: 'POST', path: PODS, body: podBody('p1'), status: 409, reason: 'AlreadyExists', message: /^pods "p1" already exists$/ },
  { name: 'a namespace that already exists', method: 'POST', path: NAMESPACES, body: namespaceBody('default'), status: 409, reason: 'AlreadyExists', message: /^namespaces "default" already exists$/ },
  { name: 'PUT with a stale resourceVersion', method: 'PUT', path: `${SERVICES}/s1`, body: () => ({ ...svcWith('s1', [{ name: 'http', port: 8080 }]), metadata: { name: 's1', resourceVersion: staleResourceVersion } }), status: 409, reason: 'Conflict', message: /^Operation cannot be fulfilled on services "s1": the object has been modified; please apply your changes to the latest version and try again$/ },
  { name: 'merge patch carrying a stale resourceVersion', method: 'PATCH', path: `${SERVICES}/s1`, headers: MERGE_PATCH, body: () => ({ metadata: { resourceVersion: staleResourceVersion, labels: { a: 'b' } } }), status: 409, reason: 'Conflict' },
  { name: 'delete with a uid precondition that does not match', method: 'DELETE', path: `${PODS}/p1`, body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }, status: 409, reason: 'Conflict', message: /Precondition failed: UID in precondition/ },
  // 400 BadRequest: bodies
  { name: 'malformed JSON', method: 'POST', path: PODS, body: '{"metadata": {"name": "x"', status: 400, reason: 'BadRequest' },
  { name: 'malformed YAML', method: 'POST', path: PODS, headers: { 'Content-Type': 'application/yaml' }, body: 'metadata:\n  name: [x\nspec: {', status: 400, reason: 'BadRequest' },
  { name: 'an empty body', method: 'POST', path: PODS, body: '', status: 400, reason: 'BadRequest' },
  { name: 'a protobuf body without the k8s magic', method: 'POST', path: PODS, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, body: 'garbage', status: 400, reason: 'BadRequest', message: /start with the bytes "k8s\\x00"/ },
  { name: 'a protobuf envelope naming no kind', method: 'POST', path: PODS, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, body: 'k8s\u0000', status: 400, reason: 'BadRequest', message: /'Kind' is missing/ },
  { name: 'a JSON array where an object belongs', method: 'POST', path: PODS, body: '[]', status: 400, reason: 'BadRequest' },
  { name: 'a string containerPort', method: 'POST', path: PODS, body: podWith('strport', { containers: [container({ ports: [{ containerPort: '80' }] })] }), status: 400, reason: 'BadRequest', message: /containerPort/ },
  { name: 'a string service port', method: 'POST', path: SERVICES, body: svcWith('strport', [{ port: '80' }]), status: 400, reason: 'BadRequest', message: /port/ },
  { name: 'a number as a label value', method: 'POST', path: PODS, body: podWith('numlabel', { containers: [container()] }, { version: 1 } as unknown as Record<string, string>), status: 400, reason: 'BadRequest' },
  { name: 'containers as a string', method: 'POST', path: PODS, body: podWith('strcontainers', { containers: 'nginx' }), status: 400, reason: 'BadRequest' },
  { name: 'a body namespace that differs from the URL', method: 'POST', path: PODS, body: { metadata: { name: 'x', namespace: 'default' }, spec: { containers: [container()] } }, status: 400, reason: 'BadRequest', message: /the namespace of the provided object does not match the namespace sent on the request/ },
  { name: 'a body name that differs from the URL', method: 'PUT', path: `${PODS}/p1`, body: podWith('p2', { containers: [container()] }), status: 400, reason: 'BadRequest', message: /does not match/ },
  { name: 'a body of another kind', method: 'POST', path: PODS, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { containers: [container()] } }, status: 400, reason: 'BadRequest' },
  { name: 'a body of another API version', method: 'POST', path: PODS, body: { apiVersion: 'apps/v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [container()] } }, status: 400, reason: 'BadRequest' },
  { name: 'resourceVersion set on create', method: 'POST', path: PODS, body: { metadata: { name: 'x', resourceVersion: '5' }, spec: { containers: [container()] } }, status: 400, reason: 'BadRequest', message: /resourceVersion should not be set on objects to be created/ },
  { name: 'a JSON patch that is not a list of operations', method: 'PATCH', path: `${PODS}/p1`, headers: JSON_PATCH, body: { op: 'add' }, status: 400, reason: 'BadRequest' },
  { name: 'a strategic merge patch with $patch: merge', method: 'PATCH', path: `${PODS}/p1`, headers: STRATEGIC_PATCH, body: { metadata: { $patch: 'merge' } }, status: 400, reason: 'BadRequest' },
  { name: 'dryRun with a value other than All', method: 'POST', path: `${PODS}?dryRun=Some`, body: podBody('dry'), status: 422, reason: 'Invalid', causes: [['dryRun', 'Unsupported value: []string{"Some"}: supported values: "All"']] },
  // 400 BadRequest: list parameters
  { name: 'a label selector that does not parse', method: 'GET', path: '/api/v1/pods?labelSelector=app%20in%20(web', status: 400, reason: 'BadRequest', message: /unable to parse requirement/ },
  { name: 'a label selector with an invalid value', method: 'GET', path: '/api/v1/pods?labelSelector=app%3D-web', status: 400, reason: 'BadRequest' },
  { name: 'a field selector without an operator', method: 'GET', path: `${PODS}?fieldSelector=metadata.name`, status: 400, reason: 'BadRequest', message: /invalid selector/ },
  { name: 'a field selector on a field pods do not support', method: 'GET', path: `${PODS}?fieldSelector=spec.containers%3Dnginx`, status: 400, reason: 'BadRequest', message: /field label not supported: spec\.containers/ },
  { name: 'a field selector with set syntax', method: 'GET', path: `${PODS}?fieldSelector=metadata.name%20in%20(a)`, status: 400, reason: 'BadRequest' },
  { name: 'a limit that is not a number', method: 'GET', path: `${PODS}?limit=ten`, status: 400, reason: 'BadRequest', message: /^strconv\.ParseInt: parsing "ten": invalid syntax$/ },
  { name: 'a continue token that does not decode', method: 'GET', path: `${PODS}?limit=1&continue=not-a-token`, status: 400, reason: 'BadRequest', message: /continue/ },
  { name: 'a resourceVersion that is not a number', method: 'GET', path: `${PODS}?resourceVersion=latest`, status: 400, reason: 'BadRequest', message: /resourceVersion/ },
  { name: 'an unknown resourceVersionMatch', method: 'GET', path: `${PODS}?resourceVersion=1&resourceVersionMatch=Newest`, status: 422, reason: 'Invalid', causes: [['resourceVersionMatch', 'Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""']] },
  { name: 'a watch timeoutSeconds that is not a number', method: 'GET', path: `${PODS}?watch=true&timeoutSeconds=soon`, status: 400, reason: 'BadRequest', message: /^strconv\.ParseInt: parsing "soon": invalid syntax$/ },
  // 410 Gone
  { name: 'a continue token older than the event log', method: 'GET', path: () => `${PODS}?limit=1&continue=${encodeURIComponent(expiredToken)}`, status: 410, reason: 'Expired', message: /too old/ },
  // 415 UnsupportedMediaType
  { name: 'a text/plain body', method: 'POST', path: PODS, headers: { 'Content-Type': 'text/plain' }, body: 'name: x', status: 415, reason: 'UnsupportedMediaType' },
  { name: 'a PATCH with plain application/json', method: 'PATCH', path: `${PODS}/p1`, body: { metadata: { labels: { a: 'b' } } }, status: 415, reason: 'UnsupportedMediaType' },
  { name: 'a PATCH with a YAML body that is not apply', method: 'PATCH', path: `${PODS}/p1`, headers: { 'Content-Type': 'application/yaml' }, body: 'metadata: {}', status: 415, reason: 'UnsupportedMediaType' },
  // 413 RequestEntityTooLarge
  { name: 'a 4 MiB body', method: 'POST', path: PODS, body: JSON.stringify({ metadata: { name: 'huge', annotations: { blob: 'x'.repeat(4 * 1024 * 1024) } }, spec: { containers: [container()] } }), status: 413, reason: 'RequestEntityTooLarge' },
  // 405 MethodNotAllowed
  { name: 'POST to an item path', method: 'POST', path: `${PODS}/p1`, body: podBody('p1'), status: 405, reason: 'MethodNotAllowed' },
  { name: 'PUT to a collection', method: 'PUT', path: PODS, body: podBody('p1'), status: 405, reason: 'MethodNotAllowed' },
  { name: 'PATCH to a collection', method: 'PATCH', path: SERVICES, headers: MERGE_PATCH, body: {}, status: 405, reason: 'MethodNotAllowed' },
  { name: 'DELETE of the cluster-wide pod list', method: 'DELETE', path: '/api/v1/pods', status: 405, reason: 'MethodNotAllowed' },
  { name: 'POST to a status subresource', method: 'POST', path: `${NODES}/n1/status`, body: {}, status: 405, reason: 'MethodNotAllowed' },
  { name: 'DELETE of /version', method: 'DELETE', path: '/version', status: 405, reason: 'MethodNotAllowed' },
  // 406 NotAcceptable
  { name: 'an Accept that only takes HTML', method: 'GET', path: PODS, headers: { Accept: 'text/html' }, status: 406, reason: 'NotAcceptable' },
];

interface Snapshot {
  [collection: string]: WireList['items'];
}

async function snapshot(url: string): Promise<Snapshot> {
  const result: Snapshot = {};
  for (const path of [NAMESPACES, NODES, '/api/v1/pods', '/api/v1/services']) result[path] = (await list(url, path)).items;
  return result;
}

describe('the bad-request table', () => {
  let t: TestServer;
  let before_: Snapshot;

  before(async () => {
    // A one-event log window, so a continue token expires after two writes and a compaction.
    t = await startTestServer({ eventLog: { maxEvents: 1, maxAgeMs: 3_600_000 } });
    await create(t.url, NAMESPACES, namespaceBody(NS));
    // Bound to a node that does not exist, so no scheduler ever changes these pods.
    for (const name of ['p1', 'p2', 'p3']) await create(t.url, PODS, podBody(name, { nodeName: 'n-absent', labels: { app: name } }));
    const service = await create(t.url, SERVICES, serviceBody('s1'));
    staleResourceVersion = service.metadata.resourceVersion ?? '';
    const relabelled = await request(t.url).patch(`${SERVICES}/s1`).timeout(REQUEST_TIMEOUT_MS).set(MERGE_PATCH).send(JSON.stringify({ metadata: { labels: { v: '2' } } }));
    assert.equal(relabelled.status, 200);
    const page = await list(t.url, PODS, { limit: 1 });
    expiredToken = page.metadata.continue ?? '';
    assert.ok(expiredToken);
    await create(t.url, PODS, podBody('p4', { nodeName: 'n-absent' }));
    await create(t.url, PODS, podBody('p5', { nodeName: 'n-absent' }));
    t.server.compact();
    before_ = await snapshot(t.url);
  });
  after(async () => {
    await t.close();
  });

  it('has at least 40 rows', () => {
    assert.ok(ROWS.length >= 40, `${ROWS.length} rows`);
  });

  for (const row of ROWS) {
    it(`${row.method} ${typeof row.path === 'string' ? row.path.slice(0, 80) : '(computed path)'}: ${row.name} → ${row.status} ${row.reason}`, async () => {
      const path = typeof row.path === 'function' ? row.path() : row.path;
      const body = typeof row.body === 'function' ? (row.body as () => unknown)() : row.body;
      let call = request(t.url)[row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).timeout(REQUEST_TIMEOUT_MS);
      const headers = { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...row.headers };
      for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
      const response = body === undefined ? await call : await call.send(typeof body === 'string' ? body : JSON.stringify(body));
      const parsed: unknown = response.body && Object.keys(response.body as object).length > 0 ? response.body : JSON.parse(response.text || '{}');
      assert.notEqual(response.status, 500, `500: ${response.text}`);
      assert.equal(response.status, row.status, `status ${response.status}: ${response.text.slice(0, 500)}`);
      assert.match(response.headers['content-type'] ?? '', /^application\/json/);
      const status = assertStatus(parsed, row.status, row.reason);
      if (row.message) assert.match(status.message, row.message);
      if (row.causes) {
        const causes = status.details?.causes ?? [];
        assert.equal(causes.length, row.causes.length, `causes: ${JSON.stringify(causes)}`);
        row.causes.forEach(([field, fragment], i) => {
          assert.equal(causes[i]?.field, field, `cause ${i} field: ${JSON.stringify(causes)}`);
          assert.ok(causes[i]?.message.includes(fragment), `cause ${i} message ${JSON.stringify(causes[i]?.message)} includes ${JSON.stringify(fragment)}`);
          assert.ok(status.message.includes(`${field}: `), 'the message names the field');
        });
      }
    });
  }

  it('lost and changed nothing that was stored before the table', async () => {
    const now = await snapshot(t.url);
    assert.deepEqual(now, before_);
    assert.deepEqual(now[`/api/v1/pods`]!.map((p) => p.metadata.name), ['p1', 'p2', 'p3', 'p4', 'p5']);
  });
});
