import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, EndpointSlice, EndpointSlicePort, Service, ServiceSpec } from '../../../../clients/client/types.js';
import { buildForwardingTable, compareIPs } from '../../../../clients/agent/proxy/forwarding-table-builder.js';
import type { ServicePortRule } from '../../../../clients/agent/proxy/forwarding-table.js';

const node = { name: 'node-a', ips: ['192.168.1.10'] };

function service(name: string, spec: ServiceSpec, namespace = 'default'): Service {
  return {
    metadata: { name, namespace },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...spec },
  };
}

function endpoint(ip: string, extra: Partial<Endpoint> = {}): Endpoint {
  return { addresses: [ip], conditions: { ready: true }, nodeName: 'node-b', ...extra };
}

function slice(name: string, serviceName: string, endpoints: Endpoint[], ports: EndpointSlicePort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }], namespace = 'default'): EndpointSlice {
  return {
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function only(rules: ServicePortRule[]): ServicePortRule {
  assert.equal(rules.length, 1, `expected one rule, got ${rules.map((r) => r.id).join(', ')}`);
  return rules[0]!;
}

function addresses(rule: ServicePortRule): string[] {
  return rule.endpoints.map((e) => `${e.ip}:${e.port}`);
}

describe('buildForwardingTable', () => {
  it('turns a ClusterIP Service port into one rule with its ready endpoints', () => {
    const table = buildForwardingTable([service('web', {})], [slice('web-1', 'web', [endpoint('10.244.1.5'), endpoint('10.244.2.7')])], node);
    assert.deepEqual(table.nodeIPs, ['192.168.1.10']);
    assert.deepEqual(table.rules, [
      {
        id: 'default/web:http/TCP',
        namespace: 'default',
        service: 'web',
        portName: 'http',
        protocol: 'TCP',
        clusterIPs: ['10.96.0.10'],
        externalIPs: [],
        port: 80,
        endpoints: [
          { ip: '10.244.1.5', port: 8080, local: false, nodeName: 'node-b' },
          { ip: '10.244.2.7', port: 8080, local: false, nodeName: 'node-b' },
        ],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      },
    ]);
  });

  it('names an unnamed port by its number in the rule id', () => {
    const svc = service('db', { ports: [{ port: 5432, targetPort: 5432 }] });
    const table = buildForwardingTable([svc], [slice('db-1', 'db', [endpoint('10.244.1.9')], [{ name: '', port: 5432, protocol: 'TCP' }])], node);
    const rule = only(table.rules);
    assert.equal(rule.id, 'default/db:5432/TCP');
    assert.equal(rule.portName, '');
    assert.deepEqual(addresses(rule), ['10.244.1.9:5432']);
  });

  it('sets nodePort for NodePort and LoadBalancer Services but not for ClusterIP ones', () => {
    const ports = [{ name: 'http', port: 80, nodePort: 30080, targetPort: 8080 }];
    const table = buildForwardingTable(
      [
        service('a', { type: 'NodePort', ports }),
        service('b', { type: 'LoadBalancer', ports: [{ ...ports[0]!, nodePort: 30081 }] }),
        service('c', { type: 'ClusterIP', ports }),
      ],
      [],
      node,
    );
    assert.deepEqual(table.rules.map((r) => [r.service, r.nodePort]), [['a', 30080], ['b', 30081], ['c', undefined]]);
  });

  it('captures a LoadBalancer Service on its ingress IPs', () => {
    const svc = service('lb', { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, nodePort: 30090 }] });
    svc.status = { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } };
    assert.deepEqual(only(buildForwardingTable([svc], [], node).rules).loadBalancerIPs, ['203.0.113.7']);
  });

  it('leaves out headless and ExternalName Services', () => {
    const table = buildForwardingTable(
      [
        service('headless', { clusterIP: 'None', clusterIPs: ['None'] }),
        service('external', { type: 'ExternalName', externalName: 'example.com', clusterIP: undefined, clusterIPs: undefined }),
        service('pending', { clusterIP: '', clusterIPs: undefined }),
      ],
      [slice('headless-1', 'headless', [endpoint('10.244.1.5')])],
      node,
    );
    assert.deepEqual(table.rules, []);
  });

  it('gives one rule per Service port, each with the endpoints of its own port name', () => {
    const svc = service('web', {
      ports: [
        { name: 'http', port: 80, targetPort: 'web' },
        { name: 'metrics', port: 9090, targetPort: 9100 },
      ],
    });
    const ports = [
      { name: 'metrics', port: 9100, protocol: 'TCP' as const },
      { name: 'http', port: 8080, protocol: 'TCP' as const },
    ];
    const table = buildForwardingTable([svc], [slice('web-1', 'web', [endpoint('10.244.1.5')], ports)], node);
    assert.deepEqual(table.rules.map((r) => [r.id, addresses(r)]), [
      ['default/web:http/TCP', ['10.244.1.5:8080']],
      ['default/web:metrics/TCP', ['10.244.1.5:9100']],
    ]);
  });

  it('matches slice ports by protocol as well as name', () => {
    const svc = service('dns', {
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    });
    const ports = [
      { name: 'dns', port: 5353, protocol: 'UDP' as const },
      { name: 'dns-tcp', port: 5353, protocol: 'TCP' as const },
      { name: 'dns', port: 9999, protocol: 'TCP' as const },
    ];
    const table = buildForwardingTable([svc], [slice('dns-1', 'dns', [endpoint('10.244.1.2')], ports)], node);
    assert.deepEqual(table.rules.map((r) => [r.id, addresses(r)]), [
      ['default/dns:dns-tcp/TCP', ['10.244.1.2:5353']],
      ['default/dns:dns/UDP', ['10.244.1.2:5353']],
    ]);
  });

  it('uses only slices labelled with the Service name in the Service namespace', () => {
    const table = buildForwardingTable(
      [service('web', {})],
      [
        slice('web-1', 'web', [endpoint('10.244.1.1')]),
        slice('other-1', 'other', [endpoint('10.244.1.2')]),
        slice('web-x', 'web', [endpoint('10.244.1.3')], undefined, 'elsewhere'),
        { ...slice('unlabelled', 'web', [endpoint('10.244.1.4')]), metadata: { name: 'unlabelled', namespace: 'default' } },
      ],
      node,
    );
    assert.deepEqual(addresses(only(table.rules)), ['10.244.1.1:8080']);
  });

  it('keeps ready endpoints and drops not-ready ones; an unset ready condition counts as ready', () => {
    const table = buildForwardingTable(
      [service('web', {})],
      [
        slice('web-1', 'web', [
          endpoint('10.244.1.1'),
          endpoint('10.244.1.2', { conditions: { ready: false, serving: false } }),
          endpoint('10.244.1.3', { conditions: {} }),
          endpoint('10.244.1.4', { conditions: undefined }),
        ]),
      ],
      node,
    );
    assert.deepEqual(addresses(only(table.rules)), ['10.244.1.1:8080', '10.244.1.3:8080', '10.244.1.4:8080']);
  });

  it('falls back to serving terminating endpoints only when no endpoint is ready', () => {
    const terminating = endpoint('10.244.1.2', { conditions: { ready: false, serving: true, terminating: true } });
    const notServing = endpoint('10.244.1.3', { conditions: { ready: false, serving: false, terminating: true } });
    const withReady = buildForwardingTable([service('web', {})], [slice('web-1', 'web', [endpoint('10.244.1.1'), terminating, notServing])], node);
    assert.deepEqual(addresses(only(withReady.rules)), ['10.244.1.1:8080']);
    const withoutReady = buildForwardingTable([service('web', {})], [slice('web-1', 'web', [terminating, notServing])], node);
    assert.deepEqual(addresses(only(withoutReady.rules)), ['10.244.1.2:8080']);
  });

  it('gives an empty endpoint list (reject) to a Service with no slices or no ready endpoint', () => {
    const table = buildForwardingTable(
      [service('lonely', {}), service('sick', { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] })],
      [slice('sick-1', 'sick', [endpoint('10.244.1.2', { conditions: { ready: false } })])],
      node,
    );
    assert.deepEqual(table.rules.map((r) => [r.service, r.endpoints]), [['lonely', []], ['sick', []]]);
  });

  it('de-duplicates an endpoint listed in two slices, keeping its ready copy', () => {
    const table = buildForwardingTable(
      [service('web', {})],
      [
        slice('web-a', 'web', [endpoint('10.244.1.1', { conditions: { ready: false } }), endpoint('10.244.1.2')]),
        slice('web-b', 'web', [endpoint('10.244.1.1'), endpoint('10.244.1.2')]),
      ],
      node,
    );
    assert.deepEqual(addresses(only(table.rules)), ['10.244.1.1:8080', '10.244.1.2:8080']);
  });

  it('keeps the same address on two target ports as two endpoints', () => {
    const table = buildForwardingTable(
      [service('web', {})],
      [slice('web-a', 'web', [endpoint('10.244.1.1')]), slice('web-b', 'web', [endpoint('10.244.1.1')], [{ name: 'http', port: 8081, protocol: 'TCP' }])],
      node,
    );
    assert.deepEqual(addresses(only(table.rules)), ['10.244.1.1:8080', '10.244.1.1:8081']);
  });

  it('uses the first address of an endpoint and skips endpoints without one or of another family', () => {
    const v6 = { ...slice('web-v6', 'web', [endpoint('fd00::5')]), addressType: 'IPv6' as const };
    const table = buildForwardingTable(
      [service('web', {})],
      [slice('web-1', 'web', [endpoint('10.244.1.1', { addresses: ['10.244.1.1', '10.244.1.99'] }), endpoint('', { addresses: [] })]), v6],
      node,
    );
    assert.deepEqual(addresses(only(table.rules)), ['10.244.1.1:8080']);
  });

  it('ignores FQDN slices', () => {
    const fqdn = { ...slice('web-fqdn', 'web', [endpoint('example.com')]), addressType: 'FQDN' as const };
    assert.deepEqual(only(buildForwardingTable([service('web', {})], [fqdn], node).rules).endpoints, []);
  });

  it('carries the ClientIP affinity timeout, defaulting to three hours, and none for None', () => {
    const table = buildForwardingTable(
      [
        service('a', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }),
        service('b', { sessionAffinity: 'ClientIP' }),
        service('c', { sessionAffinity: 'None' }),
      ],
      [],
      node,
    );
    assert.deepEqual(table.rules.map((r) => [r.service, r.affinityTimeoutSeconds]), [['a', 60], ['b', 10_800], ['c', undefined]]);
  });

  it('marks endpoints on this node local and lists them for an external Local policy', () => {
    const svc = service('web', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080 }] });
    const table = buildForwardingTable([svc], [slice('web-1', 'web', [endpoint('10.244.1.1', { nodeName: 'node-a' }), endpoint('10.244.2.1')])], node);
    const rule = only(table.rules);
    assert.equal(rule.externalTrafficPolicy, 'Local');
    assert.deepEqual(rule.endpoints.map((e) => [e.ip, e.local]), [['10.244.1.1', true], ['10.244.2.1', false]]);
    assert.deepEqual(rule.localEndpoints?.map((e) => e.ip), ['10.244.1.1']);
  });

  it('gives an internal Local policy an empty local list when only other nodes have endpoints', () => {
    const svc = service('web', { internalTrafficPolicy: 'Local' });
    const rule = only(buildForwardingTable([svc], [slice('web-1', 'web', [endpoint('10.244.2.1')])], node).rules);
    assert.equal(rule.internalTrafficPolicy, 'Local');
    assert.deepEqual(addresses(rule), ['10.244.2.1:8080']);
    assert.deepEqual(rule.localEndpoints, []);
  });

  it('falls back to local serving terminating endpoints for Local policy while other nodes are ready', () => {
    const svc = service('web', { internalTrafficPolicy: 'Local' });
    const rule = only(
      buildForwardingTable(
        [svc],
        [slice('web-1', 'web', [endpoint('10.244.1.1', { nodeName: 'node-a', conditions: { ready: false, serving: true, terminating: true } }), endpoint('10.244.2.1')])],
        node,
      ).rules,
    );
    assert.deepEqual(addresses(rule), ['10.244.2.1:8080']);
    assert.deepEqual(rule.localEndpoints?.map((e) => e.ip), ['10.244.1.1']);
  });

  it('leaves localEndpoints unset for Cluster policies and for external Local on a plain ClusterIP Service', () => {
    const table = buildForwardingTable([service('a', {}), service('b', { externalTrafficPolicy: 'Local' })], [], node);
    assert.deepEqual(table.rules.map((r) => r.localEndpoints), [undefined, undefined]);
  });

  it('carries dual-stack ClusterIPs and externalIPs', () => {
    const svc = service('web', { clusterIPs: ['10.96.0.10', 'fd00:96::10'], externalIPs: ['198.51.100.4', '198.51.100.4'] });
    const v6 = { ...slice('web-v6', 'web', [endpoint('fd00:244::5')]), addressType: 'IPv6' as const };
    const rule = only(buildForwardingTable([svc], [slice('web-v4', 'web', [endpoint('10.244.1.5')]), v6], node).rules);
    assert.deepEqual(rule.clusterIPs, ['10.96.0.10', 'fd00:96::10']);
    assert.deepEqual(rule.externalIPs, ['198.51.100.4']);
    assert.deepEqual(addresses(rule), ['10.244.1.5:8080', 'fd00:244::5:8080']);
  });

  it('orders rules by id and endpoints numerically by address whatever the input order', () => {
    const services = [service('zeta', {}), service('alpha', {}, 'other'), service('alpha', {})];
    const slices = [
      slice('alpha-2', 'alpha', [endpoint('10.244.1.10'), endpoint('10.244.1.9')]),
      slice('alpha-1', 'alpha', [endpoint('10.244.1.100')]),
    ];
    const forward = buildForwardingTable(services, slices, node);
    const backward = buildForwardingTable([...services].reverse(), [...slices].reverse(), node);
    assert.deepEqual(forward, backward);
    assert.deepEqual(forward.rules.map((r) => r.id), ['default/alpha:http/TCP', 'default/zeta:http/TCP', 'other/alpha:http/TCP']);
    assert.deepEqual(addresses(forward.rules[0]!), ['10.244.1.9:8080', '10.244.1.10:8080', '10.244.1.100:8080']);
  });

  it('skips slice ports without a usable number', () => {
    const table = buildForwardingTable([service('web', {})], [slice('web-1', 'web', [endpoint('10.244.1.1')], [{ name: 'http', port: 0, protocol: 'TCP' }])], node);
    assert.deepEqual(only(table.rules).endpoints, []);
  });
});

describe('compareIPs', () => {
  it('orders IPv4 numerically before IPv6', () => {
    assert.deepEqual(['fd00::1', '10.0.0.10', '9.0.0.1', '10.0.0.9'].sort(compareIPs), ['9.0.0.1', '10.0.0.9', '10.0.0.10', 'fd00::1']);
  });
});
