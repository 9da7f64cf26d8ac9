import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceEnv, serviceEnvForPod } from '../../../../../clients/agent/node/runtime/service-env.js';
import type { Service } from '../../../../../clients/client/types.js';

function service(namespace: string, name: string, clusterIP: string, ports: Array<{ name?: string; port: number; protocol?: 'TCP' | 'UDP' }>): Service {
  return { metadata: { namespace, name }, spec: { clusterIP, ports: ports.map((p) => ({ ...p, targetPort: p.port })) } } as Service;
}

describe('service environment variables', () => {
  it('gives the kubelet variables and the docker-link forms of every port', () => {
    const env = new Map(serviceEnv(service('default', 'my-web', '10.96.0.7', [{ name: 'http', port: 80 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }])));
    assert.deepEqual(Object.fromEntries(env), {
      MY_WEB_SERVICE_HOST: '10.96.0.7',
      MY_WEB_SERVICE_PORT: '80',
      MY_WEB_SERVICE_PORT_HTTP: '80',
      MY_WEB_SERVICE_PORT_DNS_UDP: '53',
      MY_WEB_PORT: 'tcp://10.96.0.7:80',
      MY_WEB_PORT_80_TCP: 'tcp://10.96.0.7:80',
      MY_WEB_PORT_80_TCP_PROTO: 'tcp',
      MY_WEB_PORT_80_TCP_PORT: '80',
      MY_WEB_PORT_80_TCP_ADDR: '10.96.0.7',
      MY_WEB_PORT_53_UDP: 'udp://10.96.0.7:53',
      MY_WEB_PORT_53_UDP_PROTO: 'udp',
      MY_WEB_PORT_53_UDP_PORT: '53',
      MY_WEB_PORT_53_UDP_ADDR: '10.96.0.7',
    });
  });

  it('brackets an IPv6 ClusterIP in URLs only', () => {
    const env = new Map(serviceEnv(service('default', 'v6', 'fd00::7', [{ port: 443 }])));
    assert.equal(env.get('V6_PORT'), 'tcp://[fd00::7]:443');
    assert.equal(env.get('V6_PORT_443_TCP_ADDR'), 'fd00::7');
  });

  it('skips headless Services', () => {
    assert.deepEqual(serviceEnv(service('default', 'headless', 'None', [{ port: 80 }])), []);
  });

  it('lists the Services of the Pod namespace and always the kubernetes Service', () => {
    const all = [service('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }]), service('team', 'api', '10.96.0.9', [{ port: 8080 }]), service('other', 'db', '10.96.0.10', [{ port: 5432 }])];
    const linked = serviceEnvForPod(all, 'team', true);
    assert.equal(linked.get('API_SERVICE_HOST'), '10.96.0.9');
    assert.equal(linked.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
    assert.equal(linked.has('DB_SERVICE_HOST'), false);
    const unlinked = serviceEnvForPod(all, 'team', false);
    assert.equal(unlinked.has('API_SERVICE_HOST'), false);
    assert.equal(unlinked.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
  });
});
