import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../api/errors.js';
import { UnprocessablePatchError } from '../../../api/patch/patch-errors.js';
import { applyStrategicMergePatch, patchSchemas, type PatchSchema } from '../../../api/patch/strategic-merge-patch.js';

type Json = Record<string, unknown>;

function schemaFor(resource: string): PatchSchema {
  const schema = patchSchemas[resource];
  assert.ok(schema, `no patch schema for ${resource}`);
  return schema;
}

function service(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 's1',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}' },
    },
    spec: {
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      clusterIP: '10.96.0.10',
    },
  };
}

function pod(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'default',
      labels: { app: 'web' },
      finalizers: ['example.com/a'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs-1', uid: 'u-1' }],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
        { name: 'sidecar', image: 'envoy:1.30' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
      nodeSelector: { disk: 'hdd', zone: 'a' },
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
    },
  };
}

function node(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    spec: {
      podCIDRs: ['10.244.1.0/24'],
      taints: [
        { key: 'a', value: '1', effect: 'NoSchedule' },
        { key: 'b', value: '2', effect: 'NoExecute' },
      ],
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: '192.168.0.10' },
        { type: 'Hostname', address: 'node-1' },
      ],
    },
  };
}

/** Applies `edit` to a fresh copy of `base` and returns it: expected results read as "the object, except …". */
function changed(base: () => Json, edit: (o: any) => void): Json {
  const o = base();
  edit(o);
  return o;
}

interface Case {
  name: string;
  resource: string;
  target: () => Json;
  patch: unknown;
  want: Json;
}

describe('applyStrategicMergePatch applies the patches kubectl sends', () => {
  const cases: Case[] = [
    {
      name: 'apply with a changed file: $setElementOrder/ports, a port updated by port and one added, a label added',
      resource: 'services',
      target: service,
      patch: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' },
          labels: { tier: 'fe' },
        },
        spec: {
          '$setElementOrder/ports': [{ port: 80 }, { port: 9090 }],
          ports: [
            { port: 80, targetPort: 8080 },
            { name: 'metrics', port: 9090 },
          ],
        },
      },
      want: changed(service, (s) => {
        s.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"new":true}';
        s.metadata.labels.tier = 'fe';
        s.spec.ports = [
          { port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090 },
        ];
      }),
    },
    {
      name: 'apply removing a port and the labels: "labels":null and {"$patch":"delete","port":9090}',
      resource: 'services',
      target: () =>
        changed(service, (s) => {
          s.metadata.labels.tier = 'fe';
          s.spec.ports = [
            { port: 80, targetPort: 8080, protocol: 'TCP' },
            { name: 'metrics', port: 9090, protocol: 'TCP' },
          ];
        }),
      patch: {
        metadata: { labels: null },
        spec: {
          ports: [
            { port: 80, targetPort: 80 },
            { $patch: 'delete', port: 9090 },
          ],
        },
      },
      want: changed(service, (s) => {
        delete s.metadata.labels;
        s.spec.ports = [{ port: 80, targetPort: 80, protocol: 'TCP' }];
      }),
    },
    {
      name: 'kubectl cordon sets one scalar and leaves the rest',
      resource: 'nodes',
      target: node,
      patch: { spec: { unschedulable: true } },
      want: changed(node, (n) => {
        n.spec.unschedulable = true;
      }),
    },
    {
      name: 'a container is updated by name, keeping its other fields and the other containers',
      resource: 'pods',
      target: pod,
      patch: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      want: changed(pod, (p) => {
        p.spec.containers[0].image = 'nginx:1.27';
      }),
    },
    {
      name: 'a condition is updated by type, keeping the other conditions in place',
      resource: 'pods',
      target: pod,
      patch: { status: { conditions: [{ type: 'Ready', status: 'True', reason: null }] } },
      want: changed(pod, (p) => {
        p.status.conditions[1] = { type: 'Ready', status: 'True' };
      }),
    },
    {
      name: 'nested merge lists merge too: a container port added and an env var deleted, by their own keys',
      resource: 'pods',
      target: pod,
      patch: {
        spec: {
          containers: [
            {
              name: 'app',
              '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
              ports: [{ containerPort: 443 }],
              env: [{ $patch: 'delete', name: 'A' }],
            },
          ],
        },
      },
      want: changed(pod, (p) => {
        p.spec.containers[0].ports.push({ containerPort: 443 });
        p.spec.containers[0].env = [{ name: 'B', value: '2' }];
      }),
    },
    {
      name: 'null inside a list element deletes that field of the matched element',
      resource: 'pods',
      target: pod,
      patch: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: null }] }] } },
      want: changed(pod, (p) => {
        p.spec.containers[0].env[1] = { name: 'B' };
      }),
    },
    {
      name: 'an element added without $setElementOrder is placed before the server-only elements, as upstream does',
      resource: 'pods',
      target: pod,
      patch: { spec: { containers: [{ name: 'debug', image: 'busybox' }] } },
      want: changed(pod, (p) => {
        p.spec.containers.unshift({ name: 'debug', image: 'busybox' });
      }),
    },
    {
      name: 'an element added after a patched one follows it',
      resource: 'pods',
      target: pod,
      patch: { spec: { containers: [{ name: 'app' }, { name: 'debug', image: 'busybox' }] } },
      want: changed(pod, (p) => {
        p.spec.containers.splice(1, 0, { name: 'debug', image: 'busybox' });
      }),
    },
    {
      name: '$setElementOrder alone reorders a list',
      resource: 'pods',
      target: pod,
      patch: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } },
      want: changed(pod, (p) => {
        p.spec.containers.reverse();
      }),
    },
    {
      name: '{"$patch":"replace"} as a list element makes the patch list the whole list',
      resource: 'pods',
      target: pod,
      patch: { spec: { containers: [{ name: 'only', image: 'alpine' }, { $patch: 'replace' }] } },
      want: changed(pod, (p) => {
        p.spec.containers = [{ name: 'only', image: 'alpine' }];
      }),
    },
    {
      name: '$patch: replace on a map replaces the whole map',
      resource: 'pods',
      target: pod,
      patch: { spec: { nodeSelector: { $patch: 'replace', disk: 'ssd' } } },
      want: changed(pod, (p) => {
        p.spec.nodeSelector = { disk: 'ssd' };
      }),
    },
    {
      name: '$patch: delete on a map empties it, as upstream does',
      resource: 'pods',
      target: pod,
      patch: { spec: { nodeSelector: { $patch: 'delete' } } },
      want: changed(pod, (p) => {
        p.spec.nodeSelector = {};
      }),
    },
    {
      name: 'a list of primitives with merge strategy (finalizers) merges as a set',
      resource: 'pods',
      target: pod,
      patch: { metadata: { finalizers: ['example.com/a', 'example.com/b'] } },
      want: changed(pod, (p) => {
        p.metadata.finalizers = ['example.com/a', 'example.com/b'];
      }),
    },
    {
      name: '$deleteFromPrimitiveList removes values from a primitive list',
      resource: 'pods',
      target: () =>
        changed(pod, (p) => {
          p.metadata.finalizers = ['example.com/a', 'example.com/b', 'example.com/c'];
        }),
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a', 'example.com/c'] } },
      want: changed(pod, (p) => {
        p.metadata.finalizers = ['example.com/b'];
      }),
    },
    {
      name: 'ownerReferences merge by uid',
      resource: 'pods',
      target: pod,
      patch: { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u-2' }] } },
      want: changed(pod, (p) => {
        p.metadata.ownerReferences.unshift({ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u-2' });
      }),
    },
    {
      name: '$retainKeys on a volume switches its source, clearing the old one',
      resource: 'pods',
      target: pod,
      patch: {
        spec: {
          '$setElementOrder/volumes': [{ name: 'data' }],
          volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }],
        },
      },
      want: changed(pod, (p) => {
        p.spec.volumes = [{ name: 'data', configMap: { name: 'cm' } }];
      }),
    },
    {
      name: 'tolerations are atomic: the patch list replaces the live one',
      resource: 'pods',
      target: pod,
      patch: { spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } },
      want: changed(pod, (p) => {
        p.spec.tolerations = [{ key: 'gpu', operator: 'Exists' }];
      }),
    },
    {
      name: 'node taints are atomic, so kubectl taint key- really removes the taint',
      resource: 'nodes',
      target: node,
      patch: { spec: { taints: [{ key: 'b', value: '2', effect: 'NoExecute' }] } },
      want: changed(node, (n) => {
        n.spec.taints = [{ key: 'b', value: '2', effect: 'NoExecute' }];
      }),
    },
    {
      name: 'node addresses merge by type',
      resource: 'nodes',
      target: node,
      patch: {
        status: {
          '$setElementOrder/addresses': [{ type: 'InternalIP' }, { type: 'ExternalIP' }, { type: 'Hostname' }],
          addresses: [
            { type: 'InternalIP', address: '192.168.0.11' },
            { type: 'ExternalIP', address: '203.0.113.5' },
          ],
        },
      },
      want: changed(node, (n) => {
        n.status.addresses = [
          { type: 'InternalIP', address: '192.168.0.11' },
          { type: 'ExternalIP', address: '203.0.113.5' },
          { type: 'Hostname', address: 'node-1' },
        ];
      }),
    },
    {
      name: 'endpoints subsets are atomic',
      resource: 'endpoints',
      target: () => ({ metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }),
      patch: { subsets: [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 80 }] }] },
      want: { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 80 }] }] },
    },
    {
      name: 'directives in values with nothing to merge into are acted out, never stored',
      resource: 'pods',
      target: () => ({ metadata: { name: 'p' }, spec: {} }),
      patch: {
        spec: {
          containers: [{ name: 'app', image: 'x', env: [{ $patch: 'delete', name: 'GONE' }] }, { $patch: 'replace' }],
          nodeSelector: { $patch: 'replace', disk: 'ssd', zone: null },
          '$setElementOrder/volumes': [{ name: 'v' }],
          volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }],
        },
      },
      want: {
        metadata: { name: 'p' },
        spec: {
          containers: [{ name: 'app', image: 'x', env: [] }],
          nodeSelector: { disk: 'ssd' },
          volumes: [{ name: 'v', emptyDir: {} }],
        },
      },
    },
    {
      name: 'the whole object: $patch: replace at the top level replaces it',
      resource: 'leases',
      target: () => ({ metadata: { name: 'l' }, spec: { holderIdentity: 'a' } }),
      patch: { $patch: 'replace', metadata: { name: 'l' } },
      want: { metadata: { name: 'l' } },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(applyStrategicMergePatch(c.target(), c.patch, schemaFor(c.resource)), c.want);
    });
  }
});

describe('applyStrategicMergePatch refuses malformed patches', () => {
  const cases: Array<{ name: string; patch: unknown; message: string | RegExp }> = [
    {
      name: 'a list instead of an object',
      patch: [{ op: 'add' }],
      message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
    {
      name: 'a string instead of an object',
      patch: 'spec',
      message: 'json: cannot unmarshal string into Go value of type map[string]interface {}',
    },
    { name: 'null', patch: null, message: /cannot unmarshal null/ },
    {
      name: '$patch: "bogus" on a map',
      patch: { spec: { nodeSelector: { $patch: 'bogus' } } },
      message: 'unknown patch type: bogus in map: map[$patch:bogus]',
    },
    {
      name: '$patch: "bogus" on a list element',
      patch: { spec: { containers: [{ name: 'app', $patch: 'bogus' }] } },
      message: 'unknown patch type: bogus in map: map[$patch:bogus name:app]',
    },
    {
      name: '$patch: merge on a map, which the apiserver refuses',
      patch: { spec: { $patch: 'merge', nodeName: 'n' } },
      message: 'unknown patch type: merge in map: map[$patch:merge nodeName:n]',
    },
    {
      name: '$patch: merge on a list element, which the apiserver refuses',
      patch: { spec: { containers: [{ $patch: 'merge' }] } },
      message: 'merging lists cannot yet be specified in the patch',
    },
    {
      name: 'a merge-list element without its merge key',
      patch: { spec: { containers: [{ image: 'nginx' }] } },
      message: 'map: map[image:nginx] does not contain declared merge key: name',
    },
    {
      name: 'a delete directive without the merge key',
      patch: { spec: { containers: [{ $patch: 'delete' }] } },
      message: 'map: map[$patch:delete] does not contain declared merge key: name',
    },
    {
      name: 'a patch list out of step with $setElementOrder',
      patch: {
        spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'sidecar', image: 'x' }] },
      },
      message: /^The order in patch list:\n\[map\[image:x name:sidecar\]\]\n doesn't match \$setElementOrder list:/,
    },
    {
      name: '$setElementOrder that is not a list',
      patch: { spec: { '$setElementOrder/containers': 'app' } },
      message: /^invalid patch format of setElementOrder list/,
    },
    {
      name: '$retainKeys that leaves out a key the patch sets',
      patch: { spec: { $retainKeys: ['containers'], nodeName: 'n' } },
      message: 'invalid patch format of retainKeys: "nodeName" is patched but not listed in $retainKeys',
    },
    {
      name: '$deleteFromPrimitiveList that is not a list',
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'example.com/a' } },
      message: /^invalid patch format of primitive list/,
    },
  ];

  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => applyStrategicMergePatch(pod(), c.patch, schemaFor('pods')),
        (error: unknown) => {
          assert.ok(error instanceof BadRequestError, `got ${String(error)}`);
          if (typeof c.message === 'string') assert.equal(error.message, c.message);
          else assert.match(error.message, c.message);
          return true;
        },
      );
    });
  }

  it('rejects a list of lists in a merging list with the apiserver’s 422, keeping the reason for logs', () => {
    const target = changed(pod, (p) => {
      p.metadata.finalizers = [];
    });
    assert.throws(
      () => applyStrategicMergePatch(target, { metadata: { finalizers: [['a']] } }, schemaFor('pods')),
      (error: unknown) => {
        assert.ok(error instanceof UnprocessablePatchError);
        assert.equal(error.message, 'the server rejected our request due to an error in our request');
        assert.equal(error.detail, 'lists of lists are not supported');
        return true;
      },
    );
  });

  it('rejects list elements of different types', () => {
    assert.throws(
      () => applyStrategicMergePatch(pod(), { metadata: { finalizers: [{ name: 'a' }] } }, schemaFor('pods')),
      { name: 'BadRequestError', message: 'list element types are not identical: [[example.com/a] [map[name:a]]]' },
    );
  });
});

describe('applyStrategicMergePatch leaves its arguments alone', () => {
  function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
      for (const child of Object.values(value)) deepFreeze(child);
      Object.freeze(value);
    }
    return value;
  }

  it('works on frozen inputs and leaves them equal to what they were', () => {
    const target = deepFreeze(pod());
    const patch = deepFreeze({
      metadata: { labels: null, '$deleteFromPrimitiveList/finalizers': ['example.com/a'] },
      spec: {
        '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
        containers: [{ name: 'app', env: [{ $patch: 'delete', name: 'A' }] }],
        nodeSelector: { $patch: 'replace', disk: 'ssd' },
      },
    });
    const result = applyStrategicMergePatch(target, patch, schemaFor('pods')) as Json;
    assert.deepEqual(target, pod());
    assert.equal((result.spec as { containers: Array<{ name: string }> }).containers[0]?.name, 'sidecar');
  });

  it('returns a result that shares no node with the target or the patch', () => {
    const target = pod();
    const patch = { spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'new', image: 'x' }] } };
    const result = applyStrategicMergePatch(target, patch, schemaFor('pods')) as any;
    result.spec.nodeSelector.zone = 'changed';
    result.spec.containers[0].image = 'changed';
    result.status.conditions[0].status = 'changed';
    assert.deepEqual(target, pod());
    assert.deepEqual(patch, { spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'new', image: 'x' }] } });
  });
});

describe('patchSchemas', () => {
  it('describes every resource skiff serves', () => {
    for (const resource of ['pods', 'services', 'nodes', 'namespaces', 'endpoints', 'endpointslices', 'leases']) {
      assert.ok(patchSchemas[resource], resource);
    }
  });

  it('merges Service ports by port, as kubectl assumes when it builds apply patches', () => {
    assert.deepEqual(schemaFor('services').fields['spec.ports'], { patchStrategy: 'merge', patchMergeKey: 'port' });
  });
});
