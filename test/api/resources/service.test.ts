import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../api/schemas/service.js';
import { createServiceStrategy, serviceStrategy } from '../../../api/resources/service.js';

function baseService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

function created(mutate: (svc: Service) => void = () => {}, strategy = serviceStrategy): Service {
  const svc = baseService();
  mutate(svc);
  strategy.prepareForCreate(svc);
  strategy.applyDefaults(svc);
  return svc;
}

/** A stored service as the registry and allocators would have left it. */
function stored(mutate: (svc: Service) => void = () => {}): Service {
  const svc = created(mutate);
  svc.metadata.resourceVersion = '10';
  if (svc.spec!.type !== 'ExternalName' && !svc.spec!.clusterIP) {
    svc.spec!.clusterIP = '10.96.0.10';
    svc.spec!.clusterIPs = ['10.96.0.10'];
  }
  svc.spec!.ports!.forEach((port, i) => {
    if ((svc.spec!.type === 'NodePort' || svc.spec!.type === 'LoadBalancer') && !port.nodePort) port.nodePort = 30080 + i;
  });
  return svc;
}

function updated(old: Service, mutate: (svc: Service) => void): Service {
  const svc = structuredClone(old);
  mutate(svc);
  serviceStrategy.prepareForUpdate(svc, old);
  serviceStrategy.applyDefaults(svc);
  return svc;
}

function firstCause(errors: { causes: { field: string; message: string }[] }): { field: string; message: string } | undefined {
  const cause = errors.causes[0];
  return cause && { field: cause.field, message: cause.message };
}

describe('service defaults', () => {
  it('defaults a ClusterIP service the way describe svc shows it', () => {
    const svc = created((s) => { delete s.spec!.ports![0]!.targetPort; });
    assert.deepEqual(svc.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    assert.deepEqual(svc.status, { loadBalancer: {} });
  });

  it('defaults externalTrafficPolicy for NodePort and node-port allocation for LoadBalancer', () => {
    assert.equal(created((s) => { s.spec!.type = 'NodePort'; }).spec!.externalTrafficPolicy, 'Cluster');
    const lb = created((s) => { s.spec!.type = 'LoadBalancer'; });
    assert.equal(lb.spec!.externalTrafficPolicy, 'Cluster');
    assert.equal(lb.spec!.allocateLoadBalancerNodePorts, true);
  });

  it('gives ClientIP affinity a three-hour timeout', () => {
    const svc = created((s) => { s.spec!.sessionAffinity = 'ClientIP'; });
    assert.deepEqual(svc.spec!.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  });

  it('mirrors clusterIP into clusterIPs and takes the family from the address', () => {
    const svc = created((s) => { s.spec!.clusterIP = 'fd00::10'; });
    assert.deepEqual(svc.spec!.clusterIPs, ['fd00::10']);
    assert.deepEqual(svc.spec!.ipFamilies, ['IPv6']);
  });

  it('uses the configured primary family', () => {
    const svc = created(() => {}, createServiceStrategy({ primaryIPFamily: 'IPv6' }));
    assert.deepEqual(svc.spec!.ipFamilies, ['IPv6']);
  });

  it('gives an ExternalName service no IP families or traffic policy', () => {
    const svc = created((s) => { s.spec = { type: 'ExternalName', externalName: 'db.example.com' }; });
    assert.equal(svc.spec!.ipFamilies, undefined);
    assert.equal(svc.spec!.ipFamilyPolicy, undefined);
    assert.equal(svc.spec!.internalTrafficPolicy, undefined);
    assert.deepEqual(serviceStrategy.validate(svc).causes, []);
  });
});

describe('service create', () => {
  it('accepts a valid service, and a headless one without ports', () => {
    assert.deepEqual(serviceStrategy.validate(created()).causes, []);
    assert.deepEqual(serviceStrategy.validate(created((s) => { s.spec!.clusterIP = 'None'; delete s.spec!.ports; })).causes, []);
  });

  const cases: { name: string; mutate: (svc: Service) => void; field: string; message: string }[] = [
    { name: 'requires ports', mutate: (s) => { delete s.spec!.ports; }, field: 'spec.ports', message: 'Required value' },
    {
      name: 'rejects port 0',
      mutate: (s) => { s.spec!.ports![0]!.port = 0; },
      field: 'spec.ports[0].port',
      message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
    },
    {
      name: 'requires names when there are several ports',
      mutate: (s) => { s.spec!.ports!.push({ port: 443 }); },
      field: 'spec.ports[0].name',
      message: 'Required value',
    },
    {
      name: 'rejects duplicate port names',
      mutate: (s) => { s.spec!.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 81 }]; },
      field: 'spec.ports[1].name',
      message: 'Duplicate value: "http"',
    },
    {
      name: 'rejects the same port and protocol twice',
      mutate: (s) => { s.spec!.ports = [{ name: 'a', port: 80 }, { name: 'b', port: 80 }]; },
      field: 'spec.ports[1]',
      message: 'Duplicate value: {"port":80,"protocol":"TCP"}',
    },
    {
      name: 'rejects an unknown protocol',
      mutate: (s) => { s.spec!.ports![0]!.protocol = 'ICMP'; },
      field: 'spec.ports[0].protocol',
      message: 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    },
    {
      name: 'reads a numeric string targetPort as a port name',
      mutate: (s) => { s.spec!.ports![0]!.targetPort = '8080'; },
      field: 'spec.ports[0].targetPort',
      message: 'Invalid value: "8080": must contain at least one letter (a-z)',
    },
    {
      name: 'rejects a targetPort number out of range',
      mutate: (s) => { s.spec!.ports![0]!.targetPort = 70000; },
      field: 'spec.ports[0].targetPort',
      message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
    },
    {
      name: 'forbids a nodePort on a ClusterIP service',
      mutate: (s) => { s.spec!.ports![0]!.nodePort = 30080; },
      field: 'spec.ports[0].nodePort',
      message: "Forbidden: may not be used when `type` is 'ClusterIP'",
    },
    {
      name: 'rejects an unknown type',
      mutate: (s) => { s.spec!.type = 'Ingress'; },
      field: 'spec.type',
      message: 'Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    },
    {
      name: 'requires externalName for an ExternalName service',
      mutate: (s) => { s.spec = { type: 'ExternalName' }; },
      field: 'spec.externalName',
      message: 'Required value',
    },
    {
      name: 'requires externalName to be a DNS name',
      mutate: (s) => { s.spec = { type: 'ExternalName', externalName: 'DB_host' }; },
      field: 'spec.externalName',
      message: "Invalid value: \"DB_host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    },
    {
      name: 'forbids a clusterIP on an ExternalName service',
      mutate: (s) => { s.spec = { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.5' }; },
      field: 'spec.clusterIPs',
      message: 'Forbidden: may not be set for ExternalName services',
    },
    {
      name: 'rejects a clusterIP that is not an address',
      mutate: (s) => { s.spec!.clusterIP = '10.96.0.300'; },
      field: 'spec.clusterIPs[0]',
      message: 'Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    },
    {
      name: 'refuses a headless NodePort service',
      mutate: (s) => { s.spec!.type = 'NodePort'; s.spec!.clusterIP = 'None'; },
      field: 'spec.clusterIPs[0]',
      message: "Invalid value: \"None\": may not be set to 'None' for NodePort services",
    },
    {
      name: 'rejects a clusterIP of the wrong family',
      mutate: (s) => { s.spec!.clusterIP = 'fd00::10'; s.spec!.ipFamilies = ['IPv4']; },
      field: 'spec.clusterIPs[0]',
      message: 'Invalid value: "fd00::10": expected an IPv4 value as indicated by `ipFamilies[0]`',
    },
    {
      name: 'rejects an unknown session affinity',
      mutate: (s) => { s.spec!.sessionAffinity = 'Cookie'; },
      field: 'spec.sessionAffinity',
      message: 'Unsupported value: "Cookie": supported values: "ClientIP", "None"',
    },
    {
      name: 'caps the ClientIP affinity timeout at a day',
      mutate: (s) => { s.spec!.sessionAffinity = 'ClientIP'; s.spec!.sessionAffinityConfig = { clientIP: { timeoutSeconds: 86401 } }; },
      field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
      message: 'Invalid value: 86401: must be greater than 0 and less than 86400',
    },
    {
      name: 'allows externalTrafficPolicy only on externally reachable services',
      mutate: (s) => { s.spec!.externalTrafficPolicy = 'Local'; },
      field: 'spec.externalTrafficPolicy',
      message: 'Invalid value: "Local": may only be set for externally-accessible services',
    },
    {
      name: 'rejects an unknown internalTrafficPolicy',
      mutate: (s) => { s.spec!.internalTrafficPolicy = 'Node'; },
      field: 'spec.internalTrafficPolicy',
      message: 'Unsupported value: "Node": supported values: "Cluster", "Local"',
    },
    {
      name: 'checks selector values as label values',
      mutate: (s) => { s.spec!.selector = { app: 'web app' }; },
      field: 'spec.selector',
      message: "Invalid value: \"web app\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    },
    {
      name: 'refuses a loopback external IP',
      mutate: (s) => { s.spec!.externalIPs = ['127.0.0.1']; },
      field: 'spec.externalIPs[0]',
      message: 'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(firstCause(serviceStrategy.validate(created(c.mutate))), { field: c.field, message: c.message });
    });
  }
});

describe('service update', () => {
  it('keeps the stored status', () => {
    const old = stored((s) => { s.spec!.type = 'LoadBalancer'; });
    old.status = { loadBalancer: { ingress: [{ ip: '192.0.2.1', ipMode: 'VIP' }] } };
    const svc = updated(old, (s) => { s.status = {}; });
    assert.deepEqual(svc.status, old.status);
  });

  it('keeps allocated values a replace leaves out', () => {
    const old = stored((s) => { s.spec!.type = 'NodePort'; s.spec!.ports = [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]; });
    const svc = updated(old, (s) => {
      delete s.spec!.clusterIP;
      delete s.spec!.clusterIPs;
      delete s.spec!.ipFamilies;
      s.spec!.ports = [{ name: 'https', port: 8443 }, { name: 'http', port: 80 }];
    });
    assert.equal(svc.spec!.clusterIP, '10.96.0.10');
    assert.deepEqual(svc.spec!.clusterIPs, ['10.96.0.10']);
    assert.deepEqual(svc.spec!.ports!.map((p) => p.nodePort), [30081, 30080]);
    assert.deepEqual(serviceStrategy.validateUpdate(svc, old).causes, []);
  });

  it('refuses a new clusterIP', () => {
    const old = stored();
    const svc = updated(old, (s) => { s.spec!.clusterIP = '10.96.0.11'; });
    assert.deepEqual(firstCause(serviceStrategy.validateUpdate(svc, old)), {
      field: 'spec.clusterIPs[0]',
      message: 'Invalid value: ["10.96.0.11"]: may not change once set',
    });
  });

  it('drops the clusterIP and families when the type becomes ExternalName', () => {
    const old = stored();
    const svc = updated(old, (s) => { s.spec!.type = 'ExternalName'; s.spec!.externalName = 'db.example.com'; });
    assert.equal(svc.spec!.clusterIP, undefined);
    assert.equal(svc.spec!.clusterIPs, undefined);
    assert.equal(svc.spec!.ipFamilies, undefined);
    assert.deepEqual(serviceStrategy.validateUpdate(svc, old).causes, []);
  });

  it('drops node ports and the external traffic policy when a NodePort service becomes ClusterIP', () => {
    const old = stored((s) => { s.spec!.type = 'NodePort'; });
    const svc = updated(old, (s) => { s.spec!.type = 'ClusterIP'; });
    assert.equal(svc.spec!.ports![0]!.nodePort, undefined);
    assert.equal(svc.spec!.externalTrafficPolicy, undefined);
    assert.deepEqual(serviceStrategy.validateUpdate(svc, old).causes, []);
  });

  it('reports a spec change only when the spec changed', () => {
    const old = stored();
    assert.equal(serviceStrategy.specChanged(updated(old, (s) => { s.metadata.labels = { a: 'b' }; }), old), false);
    assert.equal(serviceStrategy.specChanged(updated(old, (s) => { s.spec!.selector = { app: 'api' }; }), old), true);
  });
});

describe('service status update', () => {
  const statusWrite = (old: Service, mutate: (svc: Service) => void): Service => {
    const svc = structuredClone(old);
    mutate(svc);
    serviceStrategy.prepareForStatusUpdate!(svc, old);
    serviceStrategy.applyDefaults(svc);
    return svc;
  };

  it('keeps the stored spec, takes the ingress points and gives an IP the VIP mode', () => {
    const old = stored((s) => { s.spec!.type = 'LoadBalancer'; });
    const svc = statusWrite(old, (s) => {
      s.spec!.type = 'ClusterIP';
      s.status = { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } };
    });
    assert.deepEqual(svc.spec, old.spec);
    assert.deepEqual(svc.status, { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } });
    assert.deepEqual(serviceStrategy.validateStatusUpdate!(svc, old).causes, []);
  });

  const cases: { name: string; type: string; ingress: { ip?: string; hostname?: string; ipMode?: string }[]; field: string; message: string }[] = [
    {
      name: 'reports ingress points for LoadBalancer services only',
      type: 'ClusterIP',
      ingress: [{ ip: '192.0.2.10' }],
      field: 'status.loadBalancer.ingress',
      message: "Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
    },
    {
      name: 'rejects an ingress hostname that is an IP',
      type: 'LoadBalancer',
      ingress: [{ hostname: '192.0.2.10' }],
      field: 'status.loadBalancer.ingress[0].hostname',
      message: 'Invalid value: "192.0.2.10": must be a DNS name, not an IP address',
    },
    {
      name: 'rejects an unknown ipMode',
      type: 'LoadBalancer',
      ingress: [{ ip: '192.0.2.10', ipMode: 'Tunnel' }],
      field: 'status.loadBalancer.ingress[0].ipMode',
      message: 'Unsupported value: "Tunnel": supported values: "Proxy", "VIP"',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = stored((s) => { s.spec!.type = c.type; });
      const svc = statusWrite(old, (s) => { s.status = { loadBalancer: { ingress: c.ingress } }; });
      assert.deepEqual(firstCause(serviceStrategy.validateStatusUpdate!(svc, old)), { field: c.field, message: c.message });
    });
  }
});
