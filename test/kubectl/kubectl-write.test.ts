import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubectlSession, rowNamed, tableRows } from './kubectl-harness.js';
import { podManifest, serviceManifest } from './manifests.js';

// kubectl's writing commands against skiff, each checked by its output and by
// reading the object back: create, apply (client- and server-side), replace,
// label, annotate, patch, expose, delete, a running `get -w`, and the error
// messages users see for a missing object and an invalid manifest. All run
// with kubectl's default validation, which reads skiff's /openapi/v3.

interface Pod {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion: string };
  spec: { containers: { name: string; image: string; ports?: { containerPort: number; name?: string; protocol?: string }[] }[] };
}

interface Service {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { selector?: Record<string, string>; type: string; ports: { name?: string; port: number; targetPort?: number | string; protocol: string }[] };
}

describe('kubectl create, apply, patch, delete and watch against skiff', () => {
  let kubectl: KubectlSession;
  before(async () => {
    kubectl = await KubectlSession.start();
  });
  after(async () => {
    await kubectl?.close();
  });

  it('create -f creates a pod with server defaults, and refuses a second time with AlreadyExists', async () => {
    const file = kubectl.file('c-1.yaml', podManifest('c-1', { app: 'c' }));
    assert.equal(await kubectl.ok(['create', '-f', file]), 'pod/c-1 created\n');
    const pod = await kubectl.json<Pod>(['get', 'pod', 'c-1']);
    assert.equal(pod.spec.containers[0]!.ports![0]!.protocol, 'TCP');
    const stderr = await kubectl.fails(['create', '-f', file]);
    assert.equal(stderr, `Error from server (AlreadyExists): error when creating "${file}": pods "c-1" already exists\n`);
  });

  it('create -f - reads the manifest from standard input', async () => {
    const stdout = await kubectl.ok(['create', '-f', '-'], { input: serviceManifest('c-svc', { selector: { app: 'c' } }) });
    assert.equal(stdout, 'service/c-svc created\n');
  });

  it('apply -f creates, then leaves an unchanged manifest alone, then configures the changes', async () => {
    const path = kubectl.file('shop.yaml', serviceManifest('shop', { selector: { app: 'shop' } }));
    assert.equal(await kubectl.ok(['apply', '-f', path]), 'service/shop created\n');
    assert.equal(await kubectl.ok(['apply', '-f', path]), 'service/shop unchanged\n');

    kubectl.file('shop.yaml', serviceManifest('shop', {
      selector: { app: 'shop' },
      labels: { tier: 'fe' },
      ports: '  - name: http\n    port: 80\n    targetPort: 8080\n  - name: metrics\n    port: 9090\n',
    }));
    assert.equal(await kubectl.ok(['apply', '-f', path]), 'service/shop configured\n');
    let svc = await kubectl.json<Service>(['get', 'svc', 'shop']);
    assert.deepEqual(svc.metadata.labels, { tier: 'fe' });
    assert.deepEqual(svc.spec.ports.map((p) => [p.name, p.port, p.targetPort, p.protocol]), [['http', 80, 8080, 'TCP'], ['metrics', 9090, 9090, 'TCP']]);
    assert.match(svc.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '', /"metrics"/);

    // Dropping a port and the label: kubectl sends `$patch: delete` and a null label.
    kubectl.file('shop.yaml', serviceManifest('shop', { selector: { app: 'shop' }, ports: '  - name: http\n    port: 80\n    targetPort: 8080\n' }));
    assert.equal(await kubectl.ok(['apply', '-f', path]), 'service/shop configured\n');
    svc = await kubectl.json<Service>(['get', 'svc', 'shop']);
    assert.equal(svc.metadata.labels, undefined);
    assert.deepEqual(svc.spec.ports.map((p) => p.port), [80]);
  });

  it('apply --server-side creates and then updates', async () => {
    const path = kubectl.file('ssa.yaml', serviceManifest('ssa', { selector: { app: 'ssa' } }));
    assert.equal(await kubectl.ok(['apply', '--server-side', '-f', path]), 'service/ssa serverside-applied\n');
    kubectl.file('ssa.yaml', serviceManifest('ssa', { selector: { app: 'ssa', tier: 'be' }, labels: { owner: 'team-a' } }));
    assert.equal(await kubectl.ok(['apply', '--server-side', '-f', path]), 'service/ssa serverside-applied\n');
    const svc = await kubectl.json<Service>(['get', 'svc', 'ssa']);
    assert.deepEqual(svc.spec.selector, { app: 'ssa', tier: 'be' });
    assert.deepEqual(svc.metadata.labels, { owner: 'team-a' });
  });

  it('replace -f updates from a fresh read and refuses a stale resourceVersion with Conflict', async () => {
    await kubectl.ok(['create', '-f', kubectl.file('r-1.yaml', podManifest('r-1', { app: 'r' }))]);
    const current = await kubectl.ok(['get', 'pod', 'r-1', '-o', 'yaml']);
    const path = kubectl.file('r-1-live.yaml', current.replace('app: r', 'app: r2'));
    assert.equal(await kubectl.ok(['replace', '-f', path]), 'pod/r-1 replaced\n');
    const stderr = await kubectl.fails(['replace', '-f', path]);
    assert.match(stderr, /^Error from server \(Conflict\): error when replacing ".*r-1-live\.yaml": Operation cannot be fulfilled on pods "r-1": the object has been modified; please apply your changes to the latest version and try again$/m);
  });

  it('label adds, refuses to overwrite without --overwrite, overwrites and removes a label', async () => {
    await kubectl.ok(['create', '-f', kubectl.file('l-1.yaml', podManifest('l-1', { app: 'l' }))]);
    assert.equal(await kubectl.ok(['label', 'pod', 'l-1', 'tier=fe']), 'pod/l-1 labeled\n');
    assert.equal(await kubectl.fails(['label', 'pod', 'l-1', 'tier=be']), "error: 'tier' already has a value (fe), and --overwrite is false\n");
    assert.equal(await kubectl.ok(['label', 'pod', 'l-1', 'tier=be', '--overwrite']), 'pod/l-1 labeled\n');
    assert.deepEqual((await kubectl.json<Pod>(['get', 'pod', 'l-1'])).metadata.labels, { app: 'l', tier: 'be' });
    assert.equal(await kubectl.ok(['label', 'pod', 'l-1', 'tier-']), 'pod/l-1 unlabeled\n');
    assert.deepEqual((await kubectl.json<Pod>(['get', 'pod', 'l-1'])).metadata.labels, { app: 'l' });
  });

  it('annotate adds and removes an annotation', async () => {
    await kubectl.ok(['create', '-f', kubectl.file('a-1.yaml', podManifest('a-1', { app: 'a' }))]);
    assert.equal(await kubectl.ok(['annotate', 'pod', 'a-1', 'owner=team-a', 'note=hello world']), 'pod/a-1 annotated\n');
    assert.deepEqual((await kubectl.json<Pod>(['get', 'pod', 'a-1'])).metadata.annotations, { owner: 'team-a', note: 'hello world' });
    assert.equal(await kubectl.ok(['annotate', 'pod', 'a-1', 'note-']), 'pod/a-1 annotated\n');
    assert.deepEqual((await kubectl.json<Pod>(['get', 'pod', 'a-1'])).metadata.annotations, { owner: 'team-a' });
  });

  it('patch applies strategic-merge, merge and JSON patches', async () => {
    await kubectl.ok(['create', '-f', kubectl.file('p-1.yaml', podManifest('p-1', { app: 'p' }))]);
    // Strategic merge (kubectl's default) merges containers by name, keeping their ports.
    assert.equal(await kubectl.ok(['patch', 'pod', 'p-1', '-p', '{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}']), 'pod/p-1 patched\n');
    let pod = await kubectl.json<Pod>(['get', 'pod', 'p-1']);
    assert.equal(pod.spec.containers.length, 1);
    assert.equal(pod.spec.containers[0]!.image, 'nginx:1.28');
    assert.equal(pod.spec.containers[0]!.ports?.[0]?.containerPort, 8080);

    assert.equal(await kubectl.ok(['patch', 'pod', 'p-1', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"fe"}}}']), 'pod/p-1 patched\n');
    assert.equal(await kubectl.ok(['patch', 'pod', 'p-1', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"fe"}}}']), 'pod/p-1 patched (no change)\n');
    assert.equal(await kubectl.ok(['patch', 'pod', 'p-1', '--type=json', '-p', '[{"op":"replace","path":"/metadata/labels/app","value":"p2"},{"op":"remove","path":"/metadata/labels/tier"}]']), 'pod/p-1 patched\n');
    pod = await kubectl.json<Pod>(['get', 'pod', 'p-1']);
    assert.deepEqual(pod.metadata.labels, { app: 'p2' });

    const failed = await kubectl.fails(['patch', 'pod', 'p-1', '--type=json', '-p', '[{"op":"test","path":"/metadata/labels/app","value":"nope"}]']);
    assert.match(failed, /^The request is invalid: /);
  });

  it('expose pod creates a service selecting the pod by its labels', async () => {
    await kubectl.ok(['create', '-f', kubectl.file('e-1.yaml', podManifest('e-1', { app: 'exp', tier: 'fe' }))]);
    assert.equal(await kubectl.ok(['expose', 'pod', 'e-1', '--port', '80', '--target-port', '8080', '--name', 'e-svc']), 'service/e-svc exposed\n');
    const svc = await kubectl.json<Service>(['get', 'svc', 'e-svc']);
    assert.deepEqual(svc.spec.selector, { app: 'exp', tier: 'fe' });
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.deepEqual(svc.spec.ports.map((p) => [p.port, p.targetPort, p.protocol]), [[80, 8080, 'TCP']]);
    assert.equal(await kubectl.fails(['expose', 'pod', 'e-1', '--port', '80', '--name', 'e-svc']), 'Error from server (AlreadyExists): services "e-svc" already exists\n');
  });

  it('delete removes one object, objects by label and objects from a file', async () => {
    for (const name of ['d-1', 'd-2', 'd-3']) {
      await kubectl.ok(['create', '-f', kubectl.file(`${name}.yaml`, podManifest(name, { batch: name === 'd-3' ? 'kept' : 'doomed' }))]);
    }
    assert.equal(await kubectl.ok(['delete', 'pod', 'd-1']), 'pod "d-1" deleted\n');
    assert.equal(await kubectl.fails(['get', 'pod', 'd-1']), 'Error from server (NotFound): pods "d-1" not found\n');
    await kubectl.ok(['create', '-f', kubectl.file('d-1.yaml', podManifest('d-1', { batch: 'doomed' }))]);
    assert.equal(await kubectl.ok(['delete', 'pods', '-l', 'batch=doomed']), 'pod "d-1" deleted\npod "d-2" deleted\n');
    assert.deepEqual(tableRows(await kubectl.ok(['get', 'pods', '-l', 'batch'])).slice(1).map((cells) => cells[0]), ['d-3']);
    assert.equal(await kubectl.ok(['delete', '-f', kubectl.file('d-3.yaml', podManifest('d-3', { batch: 'kept' }))]), 'pod "d-3" deleted\n');
  });

  it('get -w prints the changes made while it runs', async () => {
    const watch = kubectl.watch(['get', 'pods', '-l', 'demo=watch', '--watch', '--output-watch-events']);
    try {
      await kubectl.ok(['create', '-f', kubectl.file('w-0.yaml', podManifest('w-0', { demo: 'watch' }))]);
      // The initial list comes first, then events from its resourceVersion on.
      await watch.waitFor((out) => /^ADDED +w-0 /m.test(out) || /^EVENT/m.test(out), 'the initial list');
      await kubectl.ok(['create', '-f', kubectl.file('w-1.yaml', podManifest('w-1', { demo: 'watch' }))]);
      await kubectl.ok(['label', 'pod', 'w-1', 'step=two']);
      await kubectl.ok(['delete', 'pod', 'w-1']);
      await watch.waitFor((out) => /^DELETED +w-1 /m.test(out), 'the DELETED event of w-1');
      const rows = tableRows(watch.output);
      assert.deepEqual(rows[0], ['EVENT', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      const w1 = rows.filter((cells) => cells[1] === 'w-1').map((cells) => cells[0]);
      assert.deepEqual(w1.slice(0, 2), ['ADDED', 'MODIFIED']);
      assert.equal(w1.at(-1), 'DELETED');
      // Every pod shows up once as ADDED: the watch resumed after the list, not from scratch.
      assert.equal(rows.filter((cells) => cells[0] === 'ADDED' && cells[1] === 'w-0').length, 1);
    } finally {
      await watch.stop();
    }
  });

  it('prints Kubernetes error messages for a missing object and for invalid manifests', async () => {
    assert.equal(await kubectl.fails(['get', 'pod', 'x']), 'Error from server (NotFound): pods "x" not found\n');
    assert.equal(await kubectl.fails(['delete', 'svc', 'x']), 'Error from server (NotFound): services "x" not found\n');
    assert.equal(await kubectl.fails(['describe', 'pod', 'x']), 'Error from server (NotFound): pods "x" not found\n');

    const noPorts = kubectl.file('bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  selector:\n    app: bad\n');
    assert.equal(await kubectl.fails(['apply', '-f', noPorts]), 'The Service "bad" is invalid: spec.ports: Required value\n');
    const badPort = kubectl.file('bad-port.yaml', serviceManifest('bad', { ports: '  - port: 99999\n    targetPort: 8080\n' }));
    assert.equal(await kubectl.fails(['create', '-f', badPort]), 'The Service "bad" is invalid: spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive\n');
    assert.equal(await kubectl.fails(['get', 'svc', 'bad']), 'Error from server (NotFound): services "bad" not found\n');
  });

  it('refuses unknown fields the way the API server does for kubectl\'s fieldValidation=Strict', async () => {
    const typo = kubectl.file('typo.yaml', podManifest('typo', { app: 'typo' }).replace('    image: nginx:1.27\n', '    image: nginx:1.27\n    imagePullPolicyy: Always\n'));
    const stderr = await kubectl.fails(['apply', '-f', typo]);
    assert.equal(stderr, `Error from server (BadRequest): error when creating "${typo}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"\n`);
    // --validate=warn asks the server to drop the field and say so.
    const warned = await kubectl.run(['create', '--validate=warn', '-f', typo]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.equal(warned.stdout, 'pod/typo created\n');
    assert.equal(warned.stderr, 'Warning: unknown field "spec.containers[0].imagePullPolicyy"\n');
    const stored = await kubectl.json<{ spec: { containers: Record<string, unknown>[] } }>(['get', 'pod', 'typo']);
    assert.equal('imagePullPolicyy' in stored.spec.containers[0]!, false);
  });
});
