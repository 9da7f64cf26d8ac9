import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serviceCells, serviceColumns } from '../../../api/tables/service-columns.js';
import { NOW, ago } from './fixtures.js';

function service(spec: object, status: object = {}): unknown {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(3 * 3600) }, spec, status };
}

describe('service columns', () => {
  it('defines the columns kubectl prints, Selector wide', () => {
    assert.deepEqual(serviceColumns.map((c) => [c.name, c.priority]), [['Name', 0], ['Type', 0], ['Cluster-IP', 0], ['External-IP', 0], ['Port(s)', 0], ['Age', 0], ['Selector', 1]]);
  });

  it('prints a ClusterIP service', () => {
    const cells = serviceCells(service({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { tier: 'fe', app: 'web' } }), NOW);
    assert.deepEqual(cells, ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '3h', 'app=web,tier=fe']);
  });

  it('prints node ports and several ports comma-joined', () => {
    const cells = serviceCells(service({ type: 'NodePort', clusterIPs: ['10.96.1.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }), NOW);
    assert.equal(cells[4], '80:30080/TCP,53/UDP');
    assert.equal(cells[3], '<none>');
  });

  it('prints None for a headless service and <none> for no ports or selector', () => {
    const cells = serviceCells(service({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }), NOW);
    assert.deepEqual([cells[2], cells[4], cells[6]], ['None', '<none>', '<none>']);
  });

  it('prints an ExternalName service', () => {
    const cells = serviceCells(service({ type: 'ExternalName', externalName: 'db.example.com' }), NOW);
    assert.deepEqual(cells.slice(1, 4), ['ExternalName', '<none>', 'db.example.com']);
  });

  it('prints <pending> for a load balancer without ingress', () => {
    assert.equal(serviceCells(service({ type: 'LoadBalancer', clusterIPs: ['10.96.0.2'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }), NOW)[3], '<pending>');
  });

  it('prints load balancer ingress sorted, then external IPs', () => {
    const status = { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.1' }, { ip: '203.0.113.9' }] } };
    assert.equal(serviceCells(service({ type: 'LoadBalancer' }, status), NOW)[3], '203.0.113.1,203.0.113.9,lb.example.com');
    assert.equal(serviceCells(service({ type: 'LoadBalancer', externalIPs: ['198.51.100.7'] }, status), NOW)[3], '203.0.113.1,203.0.113.9,lb.example.com,198.51.100.7');
  });

  it('prints external IPs of a ClusterIP service', () => {
    assert.equal(serviceCells(service({ type: 'ClusterIP', clusterIPs: ['10.96.0.3'], externalIPs: ['192.0.2.1', '192.0.2.2'] }), NOW)[3], '192.0.2.1,192.0.2.2');
  });

  it('reads an undefaulted service as ClusterIP over TCP', () => {
    const cells = serviceCells(service({ clusterIP: '10.96.0.4', ports: [{ port: 8080 }] }), NOW);
    assert.deepEqual(cells.slice(1, 5), ['ClusterIP', '10.96.0.4', '<none>', '8080/TCP']);
  });

  it('never throws on malformed input', () => {
    for (const input of [null, 7, {}, { spec: { ports: [null, 'x', { port: 'eighty' }], selector: [] }, status: { loadBalancer: { ingress: 'x' } } }]) {
      assert.equal(serviceCells(input, NOW).length, serviceColumns.length);
    }
  });
});
