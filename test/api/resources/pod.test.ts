import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/schemas/pod.js';
import { podStrategy } from '../../../api/resources/pod.js';

function basePod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] },
  };
}

/** What the registry does on create: prepare, default, validate. */
function created(mutate: (pod: Pod) => void = () => {}): Pod {
  const pod = basePod();
  mutate(pod);
  podStrategy.prepareForCreate(pod);
  podStrategy.applyDefaults(pod);
  return pod;
}

function firstCause(errors: { causes: { field: string; message: string }[] }): { field: string; message: string } | undefined {
  const cause = errors.causes[0];
  return cause && { field: cause.field, message: cause.message };
}

describe('pod defaults', () => {
  it('fills in what kubectl get -o yaml shows for a bare manifest', () => {
    const pod = created();
    const spec = pod.spec!;
    const container = spec.containers![0]!;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(container.ports![0]!.protocol, 'TCP');
    assert.equal(container.terminationMessagePolicy, 'File');
    assert.equal(container.imagePullPolicy, 'IfNotPresent');
  });

  it('pulls untagged and :latest images always', () => {
    const pod = created((p) => {
      p.spec!.containers![0]!.image = 'nginx';
      p.spec!.containers!.push({ name: 'side', image: 'registry:5000/tools:latest' });
    });
    assert.equal(pod.spec!.containers![0]!.imagePullPolicy, 'Always');
    assert.equal(pod.spec!.containers![1]!.imagePullPolicy, 'Always');
  });

  it('defaults probe timings and the HTTP path and scheme', () => {
    const pod = created((p) => {
      p.spec!.containers![0]!.readinessProbe = { httpGet: { port: 'http' } };
    });
    assert.deepEqual(pod.spec!.containers![0]!.readinessProbe, {
      httpGet: { port: 'http', path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('defaults requests to limits', () => {
    const pod = created((p) => {
      p.spec!.containers![0]!.resources = { limits: { cpu: '500m', memory: '128Mi' } };
    });
    assert.deepEqual(pod.spec!.containers![0]!.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  });

  it('keeps podIPs[0] and podIP equal', () => {
    const pod = basePod();
    pod.status = { podIPs: [{ ip: '10.244.1.5' }] };
    podStrategy.applyDefaults(pod);
    assert.equal(pod.status.podIP, '10.244.1.5');
    pod.status = { podIP: '10.244.1.6' };
    podStrategy.applyDefaults(pod);
    assert.deepEqual(pod.status.podIPs, [{ ip: '10.244.1.6' }]);
  });
});

describe('pod create', () => {
  it('starts every pod Pending, whatever status the body carried', () => {
    const pod = created((p) => {
      p.status = { phase: 'Running', podIP: '10.0.0.1' };
    });
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('records the QoS class: Guaranteed when limits equal requests for cpu and memory', () => {
    const pod = created((p) => {
      p.spec!.containers![0]!.resources = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m' } };
    });
    assert.equal(pod.status!.qosClass, 'Guaranteed');
    const burstable = created((p) => {
      p.spec!.containers![0]!.resources = { requests: { cpu: '100m' } };
    });
    assert.equal(burstable.status!.qosClass, 'Burstable');
  });

  it('accepts a valid pod', () => {
    assert.deepEqual(podStrategy.validate(created()).causes, []);
  });

  const cases: { name: string; mutate: (pod: Pod) => void; field: string; message: string }[] = [
    { name: 'requires at least one container', mutate: (p) => { p.spec!.containers = []; }, field: 'spec.containers', message: 'Required value' },
    { name: 'requires a container name', mutate: (p) => { delete p.spec!.containers![0]!.name; }, field: 'spec.containers[0].name', message: 'Required value' },
    {
      name: 'requires container names to be DNS-1123 labels',
      mutate: (p) => { p.spec!.containers![0]!.name = 'Web'; },
      field: 'spec.containers[0].name',
      message: "Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    },
    {
      name: 'rejects duplicate container names',
      mutate: (p) => { p.spec!.containers!.push({ name: 'web', image: 'busybox' }); },
      field: 'spec.containers[1].name',
      message: 'Duplicate value: "web"',
    },
    { name: 'requires an image', mutate: (p) => { delete p.spec!.containers![0]!.image; }, field: 'spec.containers[0].image', message: 'Required value' },
    {
      name: 'rejects an image with surrounding whitespace',
      mutate: (p) => { p.spec!.containers![0]!.image = ' nginx'; },
      field: 'spec.containers[0].image',
      message: 'Invalid value: " nginx": must not have leading or trailing whitespace',
    },
    {
      name: 'requires a containerPort',
      mutate: (p) => { p.spec!.containers![0]!.ports = [{ name: 'http' }]; },
      field: 'spec.containers[0].ports[0].containerPort',
      message: 'Required value',
    },
    {
      name: 'rejects a containerPort above 65535',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.containerPort = 70000; },
      field: 'spec.containers[0].ports[0].containerPort',
      message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
    },
    {
      name: 'rejects an unknown port protocol',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.protocol = 'HTTP'; },
      field: 'spec.containers[0].ports[0].protocol',
      message: 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    },
    {
      name: 'rejects an upper-case port name',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.name = 'HTTP'; },
      field: 'spec.containers[0].ports[0].name',
      message: 'Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    },
    {
      name: 'rejects a port name without a letter',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.name = '8080'; },
      field: 'spec.containers[0].ports[0].name',
      message: 'Invalid value: "8080": must contain at least one letter (a-z)',
    },
    {
      name: 'rejects a port name longer than 15 characters',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.name = 'a-very-long-port-name'; },
      field: 'spec.containers[0].ports[0].name',
      message: 'Invalid value: "a-very-long-port-name": must be no more than 15 characters',
    },
    {
      name: 'rejects consecutive hyphens in a port name',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.name = 'web--ui'; },
      field: 'spec.containers[0].ports[0].name',
      message: 'Invalid value: "web--ui": must not contain consecutive hyphens',
    },
    {
      name: 'rejects duplicate port names in a container',
      mutate: (p) => { p.spec!.containers![0]!.ports!.push({ name: 'http', containerPort: 81 }); },
      field: 'spec.containers[0].ports[1].name',
      message: 'Duplicate value: "http"',
    },
    {
      name: 'rejects the same host port twice',
      mutate: (p) => {
        p.spec!.containers![0]!.ports = [{ containerPort: 80, hostPort: 8080 }];
        p.spec!.containers!.push({ name: 'side', image: 'busybox', ports: [{ containerPort: 81, hostPort: 8080 }] });
      },
      field: 'spec.containers[1].ports[0].hostPort',
      message: 'Duplicate value: "TCP//8080"',
    },
    {
      name: 'requires a probe handler',
      mutate: (p) => { p.spec!.containers![0]!.readinessProbe = { periodSeconds: 5 }; },
      field: 'spec.containers[0].readinessProbe',
      message: 'Required value: must specify a handler type',
    },
    {
      name: 'allows one probe handler only',
      mutate: (p) => { p.spec!.containers![0]!.readinessProbe = { httpGet: { port: 80 }, tcpSocket: { port: 80 } }; },
      field: 'spec.containers[0].readinessProbe.tcpSocket',
      message: 'Forbidden: may not specify more than 1 handler type',
    },
    {
      name: 'checks a probe port name',
      mutate: (p) => { p.spec!.containers![0]!.readinessProbe = { tcpSocket: { port: 'Web_Port' } }; },
      field: 'spec.containers[0].readinessProbe.tcpSocket.port',
      message: 'Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    },
    {
      name: 'rejects a negative probe period',
      mutate: (p) => { p.spec!.containers![0]!.readinessProbe = { tcpSocket: { port: 80 }, periodSeconds: -1 }; },
      field: 'spec.containers[0].readinessProbe.periodSeconds',
      message: 'Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'requires a liveness success threshold of 1',
      mutate: (p) => { p.spec!.containers![0]!.livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }; },
      field: 'spec.containers[0].livenessProbe.successThreshold',
      message: 'Invalid value: 2: must be 1',
    },
    {
      name: 'rejects an unknown probe scheme',
      mutate: (p) => { p.spec!.containers![0]!.readinessProbe = { httpGet: { port: 80, scheme: 'FTP' } }; },
      field: 'spec.containers[0].readinessProbe.httpGet.scheme',
      message: 'Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
    },
    {
      name: 'rejects an unknown restart policy',
      mutate: (p) => { p.spec!.restartPolicy = 'Sometimes'; },
      field: 'spec.restartPolicy',
      message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    },
    {
      name: 'rejects an activeDeadlineSeconds of zero',
      mutate: (p) => { p.spec!.activeDeadlineSeconds = 0; },
      field: 'spec.activeDeadlineSeconds',
      message: 'Invalid value: 0: must be between 1 and 2147483647, inclusive',
    },
    {
      name: 'requires Exists for a toleration without a key',
      mutate: (p) => { p.spec!.tolerations = [{ operator: 'Equal', value: 'x' }]; },
      field: 'spec.tolerations[0].operator',
      message: 'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    },
    {
      name: 'rejects an environment variable name containing "="',
      mutate: (p) => { p.spec!.containers![0]!.env = [{ name: 'A=B', value: '1' }]; },
      field: 'spec.containers[0].env[0].name',
      message: "Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
    },
    {
      name: 'forbids ephemeral containers on create',
      mutate: (p) => { p.spec!.ephemeralContainers = [{ name: 'debug', image: 'busybox' }]; },
      field: 'spec.ephemeralContainers',
      message: 'Forbidden: cannot be set on create',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(firstCause(podStrategy.validate(created(c.mutate))), { field: c.field, message: c.message });
    });
  }
});

describe('pod update', () => {
  const running = (): Pod => {
    const pod = created();
    pod.metadata.resourceVersion = '7';
    pod.spec!.nodeName = 'node-1';
    pod.status = { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], qosClass: 'BestEffort' };
    return pod;
  };
  const updated = (old: Pod, mutate: (pod: Pod) => void): Pod => {
    const pod = structuredClone(old);
    mutate(pod);
    podStrategy.prepareForUpdate(pod, old);
    podStrategy.applyDefaults(pod);
    return pod;
  };

  it('keeps the stored status whatever the body says', () => {
    const old = running();
    const pod = updated(old, (p) => { p.status = { phase: 'Failed' }; p.metadata.labels = { tier: 'fe' }; });
    assert.deepEqual(pod.status, old.status);
    assert.deepEqual(podStrategy.validateUpdate(pod, old).causes, []);
  });

  it('allows a new image', () => {
    const old = running();
    const pod = updated(old, (p) => { p.spec!.containers![0]!.image = 'nginx:1.28'; });
    assert.deepEqual(podStrategy.validateUpdate(pod, old).causes, []);
    assert.equal(podStrategy.specChanged(pod, old), true);
  });

  it('does not count defaulted fields as a spec change', () => {
    const old = running();
    const pod = updated(old, (p) => { delete p.spec!.dnsPolicy; delete p.spec!.containers![0]!.ports![0]!.protocol; });
    assert.equal(podStrategy.specChanged(pod, old), false);
  });

  const cases: { name: string; mutate: (pod: Pod) => void; field: string; message: string }[] = [
    {
      name: 'refuses other spec changes with upstream\'s list of what may change',
      mutate: (p) => { p.spec!.containers![0]!.ports![0]!.containerPort = 8080; },
      field: 'spec',
      message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n- spec.containers[0].ports[0].containerPort: 80\n+ spec.containers[0].ports[0].containerPort: 8080',
    },
    {
      name: 'refuses adding a container',
      mutate: (p) => { p.spec!.containers!.push({ name: 'side', image: 'busybox' }); },
      field: 'spec.containers',
      message: 'Forbidden: pod updates may not add or remove containers',
    },
    {
      name: 'refuses raising activeDeadlineSeconds',
      mutate: (p) => { p.spec!.activeDeadlineSeconds = 60; },
      field: 'spec.activeDeadlineSeconds',
      message: 'Invalid value: 60: must be less than or equal to previous value',
    },
    {
      name: 'refuses removing a toleration',
      mutate: (p) => { p.spec!.tolerations = []; },
      field: 'spec.tolerations',
      message: 'Forbidden: existing toleration can not be modified except its tolerationSeconds',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const old = running();
      old.spec!.activeDeadlineSeconds = 30;
      old.spec!.tolerations = [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }];
      assert.deepEqual(firstCause(podStrategy.validateUpdate(updated(old, c.mutate), old)), { field: c.field, message: c.message });
    });
  }
});

describe('pod status update', () => {
  const old = (): Pod => {
    const pod = created();
    pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-1', controller: true }];
    pod.spec!.nodeName = 'node-1';
    pod.spec!.restartPolicy = 'Never';
    return pod;
  };
  const statusWrite = (stored: Pod, mutate: (pod: Pod) => void): Pod => {
    const pod = structuredClone(stored);
    mutate(pod);
    podStrategy.prepareForStatusUpdate!(pod, stored);
    podStrategy.applyDefaults(pod);
    return pod;
  };

  it('keeps the stored spec and owner references and takes the new status', () => {
    const stored = old();
    const pod = statusWrite(stored, (p) => {
      p.spec!.containers![0]!.image = 'evil:1';
      p.metadata.ownerReferences = [];
      p.status = { phase: 'Running', podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: 'True' }] };
    });
    assert.deepEqual(pod.spec, stored.spec);
    assert.deepEqual(pod.metadata.ownerReferences, stored.metadata.ownerReferences);
    assert.equal(pod.status!.phase, 'Running');
    assert.equal(pod.status!.qosClass, 'BestEffort');
    assert.deepEqual(podStrategy.validateStatusUpdate!(pod, stored).causes, []);
  });

  const cases: { name: string; mutate: (pod: Pod) => void; field: string; message: string; stored?: (pod: Pod) => void }[] = [
    {
      name: 'rejects a pod IP that is not an address',
      mutate: (p) => { p.status = { podIP: '10.244.1' }; },
      field: 'status.podIPs[0]',
      message: 'Invalid value: "10.244.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    },
    {
      name: 'rejects two pod IPs of one family',
      mutate: (p) => { p.status = { podIPs: [{ ip: '10.244.1.5' }, { ip: '10.244.1.6' }] }; },
      field: 'status.podIPs',
      message: 'Invalid value: [{"ip":"10.244.1.5"},{"ip":"10.244.1.6"}]: may specify no more than one IP for each IP family',
    },
    {
      name: 'keeps the QoS class immutable',
      mutate: (p) => { p.status = { qosClass: 'Guaranteed' }; },
      field: 'status.qosClass',
      message: 'Invalid value: "Guaranteed": field is immutable',
    },
    {
      name: 'requires custom condition types to be qualified names',
      mutate: (p) => { p.status = { conditions: [{ type: 'bad type', status: 'True' }] }; },
      field: 'status.conditions[0].type',
      message: "Invalid value: \"bad type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    },
    {
      name: 'does not restart a terminated container of a Never pod',
      stored: (p) => { p.status = { qosClass: 'BestEffort', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 0 } } }] }; },
      mutate: (p) => { p.status = { qosClass: 'BestEffort', containerStatuses: [{ name: 'web', state: { running: {} } }] }; },
      field: 'status.containerStatuses[0].state',
      message: 'Forbidden: may not be transitioned to non-terminated state',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stored = old();
      c.stored?.(stored);
      assert.deepEqual(firstCause(podStrategy.validateStatusUpdate!(statusWrite(stored, c.mutate), stored)), { field: c.field, message: c.message });
    });
  }
});
