import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../../api/schemas/node.js';
import { nodeStrategy } from '../../../api/resources/node.js';

function baseNode(): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    spec: { podCIDR: '10.244.1.0/24' },
    status: {
      capacity: { cpu: 4, memory: '8Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node-1' }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

function created(mutate: (node: Node) => void = () => {}): Node {
  const node = baseNode();
  mutate(node);
  nodeStrategy.prepareForCreate(node);
  nodeStrategy.applyDefaults(node);
  return node;
}

function firstCause(errors: { causes: { field: string; message: string }[] }): { field: string; message: string } | undefined {
  const cause = errors.causes[0];
  return cause && { field: cause.field, message: cause.message };
}

describe('node create', () => {
  it('keeps the status an agent registers with, and defaults allocatable to capacity', () => {
    const node = created();
    assert.equal(node.status!.conditions![0]!.type, 'Ready');
    assert.deepEqual(node.status!.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
    assert.deepEqual(node.spec!.podCIDRs, ['10.244.1.0/24']);
    assert.deepEqual(nodeStrategy.validate(node).causes, []);
  });

  const cases: { name: string; mutate: (node: Node) => void; field: string; message: string }[] = [
    {
      name: 'rejects a pod CIDR that does not parse',
      mutate: (n) => { n.spec = { podCIDR: '10.244.1.0/33' }; },
      field: 'spec.podCIDRs[0]',
      message: 'Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    },
    {
      name: 'allows at most one pod CIDR per family',
      mutate: (n) => { n.spec = { podCIDRs: ['10.244.1.0/24', '10.244.2.0/24'] }; },
      field: 'spec.podCIDRs',
      message: 'Invalid value: ["10.244.1.0/24","10.244.2.0/24"]: may specify no more than one CIDR for each IP family',
    },
    {
      name: 'requires a taint effect',
      mutate: (n) => { n.spec!.taints = [{ key: 'dedicated', value: 'db' }]; },
      field: 'spec.taints[0].effect',
      message: 'Required value',
    },
    {
      name: 'rejects an unknown taint effect',
      mutate: (n) => { n.spec!.taints = [{ key: 'dedicated', effect: 'NoRun' }]; },
      field: 'spec.taints[0].effect',
      message: 'Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    },
    {
      name: 'requires taints unique by key and effect',
      mutate: (n) => { n.spec!.taints = [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', value: 'x', effect: 'NoSchedule' }]; },
      field: 'spec.taints[1]',
      message: 'Duplicate value: {"key":"a","value":"x","effect":"NoSchedule"}: taints must be unique by key and effect pair',
    },
    {
      name: 'rejects a negative capacity',
      mutate: (n) => { n.status!.capacity = { cpu: '-1' }; },
      field: 'status.capacity.cpu',
      message: 'Invalid value: "-1": must be greater than or equal to 0',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(firstCause(nodeStrategy.validate(created(c.mutate))), { field: c.field, message: c.message });
    });
  }
});

describe('node update', () => {
  const stored = (): Node => {
    const node = created();
    node.spec!.providerID = 'skiff://node-1';
    node.metadata.resourceVersion = '3';
    return node;
  };

  it('keeps the stored status on a spec write (kubectl cordon)', () => {
    const old = stored();
    const node = structuredClone(old);
    node.spec!.unschedulable = true;
    node.status = { conditions: [{ type: 'Ready', status: 'False' }] };
    nodeStrategy.prepareForUpdate(node, old);
    nodeStrategy.applyDefaults(node);
    assert.deepEqual(node.status, old.status);
    assert.equal(node.spec!.unschedulable, true);
    assert.equal(nodeStrategy.specChanged(node, old), true);
    assert.deepEqual(nodeStrategy.validateUpdate(node, old).causes, []);
  });

  it('keeps the stored spec on a status write (agent heartbeat)', () => {
    const old = stored();
    const node = structuredClone(old);
    node.spec = {};
    node.status!.conditions = [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }];
    nodeStrategy.prepareForStatusUpdate!(node, old);
    nodeStrategy.applyDefaults(node);
    assert.deepEqual(node.spec, old.spec);
    assert.equal(node.status!.conditions![0]!.status, 'False');
    assert.deepEqual(nodeStrategy.validateStatusUpdate!(node, old).causes, []);
  });

  it('lets the control plane assign a pod CIDR once', () => {
    const old = stored();
    delete old.spec!.podCIDR;
    delete old.spec!.podCIDRs;
    const node = structuredClone(old);
    node.spec!.podCIDR = '10.244.7.0/24';
    nodeStrategy.prepareForUpdate(node, old);
    nodeStrategy.applyDefaults(node);
    assert.deepEqual(nodeStrategy.validateUpdate(node, old).causes, []);
  });

  const cases: { name: string; mutate: (node: Node) => void; status?: boolean; field: string; message: string }[] = [
    {
      name: 'refuses a new pod CIDR once one is set',
      mutate: (n) => { n.spec = { ...n.spec, podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'] }; },
      field: 'spec.podCIDRs',
      message: 'Forbidden: node updates may not change podCIDR except from "" to valid',
    },
    {
      name: 'refuses a new providerID once one is set',
      mutate: (n) => { n.spec!.providerID = 'aws:///i-1'; },
      field: 'spec.providerID',
      message: 'Forbidden: node updates may not change providerID except from "" to valid',
    },
    {
      name: 'refuses duplicate addresses in a status write',
      status: true,
      mutate: (n) => { n.status!.addresses!.push({ type: 'InternalIP', address: '192.168.1.10' }); },
      field: 'status.addresses[2]',
      message: 'Duplicate value: {"type":"InternalIP","address":"192.168.1.10"}',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = stored();
      const node = structuredClone(old);
      c.mutate(node);
      if (c.status) nodeStrategy.prepareForStatusUpdate!(node, old);
      else nodeStrategy.prepareForUpdate(node, old);
      nodeStrategy.applyDefaults(node);
      const errors = c.status ? nodeStrategy.validateStatusUpdate!(node, old) : nodeStrategy.validateUpdate(node, old);
      assert.deepEqual(firstCause(errors), { field: c.field, message: c.message });
    });
  }
});
