import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeCells, nodeColumns, nodeRoles } from '../../../api/tables/node-columns.js';
import { NOW, ago } from './fixtures.js';

function node(overrides: { labels?: object; spec?: object; status?: object } = {}): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', creationTimestamp: ago(10 * 86400), labels: overrides.labels ?? {} },
    spec: overrides.spec ?? {},
    status: overrides.status ?? {},
  };
}

const readyStatus = {
  conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
  addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '172.18.0.2' }],
  nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.13' },
};

describe('node columns', () => {
  it('defines the columns kubectl prints, wide ones at priority 1', () => {
    assert.deepEqual(
      nodeColumns.map((c) => [c.name, c.priority]),
      [['Name', 0], ['Status', 0], ['Roles', 0], ['Age', 0], ['Version', 0], ['Internal-IP', 1], ['External-IP', 1], ['OS-Image', 1], ['Kernel-Version', 1], ['Container-Runtime', 1]],
    );
  });

  it('prints a ready worker', () => {
    assert.deepEqual(nodeCells(node({ status: readyStatus }), NOW), [
      'node-1', 'Ready', '<none>', '10d', 'v1.32.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.13',
    ]);
  });

  it('prints NotReady,SchedulingDisabled for a cordoned node that is not ready', () => {
    const status = { conditions: [{ type: 'Ready', status: 'False' }] };
    assert.equal(nodeCells(node({ spec: { unschedulable: true }, status }), NOW)[1], 'NotReady,SchedulingDisabled');
  });

  it('prints NotReady for a Ready condition of Unknown status', () => {
    assert.equal(nodeCells(node({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }), NOW)[1], 'NotReady');
  });

  it('prints Unknown without a Ready condition, and <unknown> for missing node info', () => {
    const cells = nodeCells(node(), NOW);
    assert.deepEqual([cells[1], cells[4], ...cells.slice(5)], ['Unknown', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('derives sorted roles from role labels', () => {
    assert.deepEqual(nodeRoles({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'edge', app: 'x' }), ['control-plane', 'edge', 'worker']);
    assert.equal(nodeCells(node({ labels: { 'node-role.kubernetes.io/control-plane': '' } }), NOW)[2], 'control-plane');
  });

  it('prints the external IP when the node has one', () => {
    const status = { addresses: [{ type: 'ExternalIP', address: '198.51.100.4' }, { type: 'InternalIP', address: '10.0.0.4' }] };
    assert.deepEqual(nodeCells(node({ status }), NOW).slice(5, 7), ['10.0.0.4', '198.51.100.4']);
  });

  it('never throws on malformed input', () => {
    for (const input of [null, 3, { metadata: { labels: 'x' }, status: { conditions: [null], addresses: 'x', nodeInfo: [] } }]) {
      assert.equal(nodeCells(input, NOW).length, nodeColumns.length);
    }
  });
});
