// One representative object per (apiVersion, kind) the protobuf decoder knows,
// written as a client would send it in JSON: every scalar that Go's omitempty
// would drop is non-zero, pointer fields may hold zeros, and the special
// messages (IntOrString both ways, Quantity, Time, MicroTime, FieldsV1, maps)
// all appear somewhere.

type Sample = Record<string, unknown>;

const metadata = (name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  generateName: `${name}-`,
  uid: '6f1c1e5a-4f6e-4c2c-9d1e-0a1b2c3d4e5f',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2024-02-29T23:59:59Z',
  labels: { app: name, 'app.kubernetes.io/part-of': 'skiff' },
  annotations: { 'example.com/note': 'kept as written', empty: '' },
  ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: 'u-1', controller: true, blockOwnerDeletion: false }],
  finalizers: ['example.com/cleanup'],
  managedFields: [{
    manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2024-02-29T23:59:59Z',
    fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
  }],
});

export const KIND_SAMPLES: Record<string, Sample> = {
  'v1/Namespace': {
    apiVersion: 'v1', kind: 'Namespace', metadata: metadata('team-a'),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: '2024-03-01T00:00:00Z', reason: 'ContentDeleted', message: 'done' }] },
  },
  'v1/Node': {
    apiVersion: 'v1', kind: 'Node', metadata: metadata('node-a'),
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00:1::/64'], unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-03-01T10:00:00Z' }] },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '3900m', memory: '15.5Gi', pods: '110' },
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-03-01T10:00:05Z', lastTransitionTime: '2024-03-01T09:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'node-a' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1.0', osImage: 'Debian', containerRuntimeVersion: 'skiff://1', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64' },
    },
  },
  'v1/Pod': {
    apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata('web-0', 'default'), deletionTimestamp: '2024-03-02T00:00:00Z', deletionGracePeriodSeconds: 0 },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c'], args: ['true'] }],
      containers: [{
        name: 'web', image: 'nginx:1.27', workingDir: '/srv', imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, hostPort: 19090, hostIP: '127.0.0.1', protocol: 'UDP' }],
        env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings', optional: true } }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true, subPath: 'web' }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-Probe', value: '1' }] }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
        readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 2, successThreshold: 1, terminationGracePeriodSeconds: 0 },
        startupProbe: { exec: { command: ['cat', '/ready'] } },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        securityContext: { runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', stdin: true, tty: true,
      }],
      volumes: [
        { name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
        { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.conf', mode: 0o400 }], defaultMode: 0o644 } },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
      ],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 0, activeDeadlineSeconds: 3600, dnsPolicy: 'ClusterFirst',
      nodeSelector: { 'kubernetes.io/os': 'linux' }, serviceAccountName: 'default', automountServiceAccountToken: false,
      nodeName: 'node-a', hostNetwork: true, hostname: 'web-0', subdomain: 'web', schedulerName: 'default-scheduler', priority: 0,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
      enableServiceLinks: false,
    },
    status: {
      phase: 'Running', qosClass: 'Burstable', hostIP: '192.168.1.10', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], startTime: '2024-03-01T10:00:00Z',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: '2024-03-01T10:00:01Z', lastTransitionTime: '2024-03-01T10:00:02Z' }],
      containerStatuses: [{ name: 'web', ready: true, restartCount: 2, image: 'nginx:1.27', imageID: 'sha256:abc', containerID: 'skiff://web', started: false, state: { running: { startedAt: '2024-03-01T10:00:03Z' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2024-03-01T09:00:00Z', finishedAt: '2024-03-01T09:59:00Z' } } }],
    },
  },
  'v1/Service': {
    apiVersion: 'v1', kind: 'Service', metadata: metadata('web', 'default'),
    spec: {
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080, appProtocol: 'http' }, { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9091 }],
      selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'NodePort', externalIPs: ['192.0.2.1'],
      sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } }, externalTrafficPolicy: 'Local', healthCheckNodePort: 31000,
      publishNotReadyAddresses: true, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', allocateLoadBalancerNodePorts: false, internalTrafficPolicy: 'Cluster',
    },
    status: {
      loadBalancer: { ingress: [{ ip: '192.0.2.50', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] }] },
      conditions: [{ type: 'Available', status: 'True', observedGeneration: 3, lastTransitionTime: '2024-03-01T10:00:00Z', reason: 'Ok', message: 'ready' }],
    },
  },
  'v1/Endpoints': {
    apiVersion: 'v1', kind: 'Endpoints', metadata: metadata('web', 'default'),
    subsets: [{
      addresses: [{ ip: '10.244.1.5', hostname: 'web-0', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-2' } }],
      notReadyAddresses: [{ ip: '10.244.2.6' }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 9090, protocol: 'TCP', appProtocol: '' }],
    }],
  },
  'v1/Event': {
    apiVersion: 'v1', kind: 'Event', metadata: metadata('web-0.17a', 'default'),
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-2', apiVersion: 'v1', resourceVersion: '40', fieldPath: 'spec.containers{web}' },
    reason: 'Scheduled', message: 'Successfully assigned default/web-0 to node-a', source: { component: 'default-scheduler', host: 'node-a' },
    firstTimestamp: '2024-03-01T10:00:00Z', lastTimestamp: '2024-03-01T10:05:00Z', count: 4, type: 'Normal',
    eventTime: '2024-03-01T10:00:00.123456Z', series: { count: 2, lastObservedTime: '2024-03-01T10:05:00.000001Z' },
    action: 'Binding', related: { kind: 'Node', name: 'node-a' }, reportingComponent: 'default-scheduler', reportingInstance: '',
  },
  'v1/Binding': {
    apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-0', namespace: 'default' },
    target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' },
  },
  'v1/ConfigMap': {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('settings', 'default'),
    data: { 'app.conf': 'level=debug\n', empty: '' }, binaryData: { 'logo.png': 'iVBORw0KGgo=' }, immutable: false,
  },
  'v1/Secret': {
    apiVersion: 'v1', kind: 'Secret', metadata: metadata('credentials', 'default'),
    type: 'kubernetes.io/basic-auth', data: { username: 'YWRtaW4=', password: 'czNjcjN0' }, immutable: true,
  },
  'v1/ServiceAccount': {
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata('builder', 'default'),
    secrets: [{ name: 'builder-token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false,
  },
  'rbac.authorization.k8s.io/v1/Role': {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: metadata('pod-reader', 'default'),
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['web-0'] }],
  },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: metadata('monitoring'),
    rules: [{ verbs: ['get'], nonResourceURLs: ['/metrics', '/healthz/*'] }],
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] },
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: metadata('read-pods', 'default'),
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }, { kind: 'ServiceAccount', name: 'builder', namespace: 'default' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
  },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: metadata('monitoring'),
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'monitors' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'monitoring' },
  },
  'authentication.k8s.io/v1/TokenRequest': {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'builder', namespace: 'default' },
    spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web-0', uid: 'u-3' } },
  },
  'authentication.k8s.io/v1/SelfSubjectReview': {
    apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { name: 'me' },
  },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {},
    spec: { resourceAttributes: { namespace: 'default', verb: 'list', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', name: 'web' } },
  },
  'authorization.k8s.io/v1/SubjectAccessReview': {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {},
    spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'jane', groups: ['devs'], uid: 'u-4' },
  },
  'v1/DeleteOptions': {
    apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: 'u-2', resourceVersion: '42' }, propagationPolicy: 'Foreground', dryRun: ['All'],
  },
  'discovery.k8s.io/v1/EndpointSlice': {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...metadata('web-abc12', 'default'), labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{
      addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'web-0', nodeName: 'node-a', zone: 'a',
      targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-2' }, hints: { forZones: [{ name: 'a' }] },
    }],
    // A port name is a pointer upstream: "" survives, as in JSON.
    ports: [{ name: '', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP', appProtocol: 'https' }],
  },
  'discovery.k8s.io/v1/DeleteOptions': { apiVersion: 'discovery.k8s.io/v1', kind: 'DeleteOptions', orphanDependents: false },
  'coordination.k8s.io/v1/Lease': {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: metadata('node-a', 'kube-node-lease'),
    spec: { holderIdentity: 'node-a', leaseDurationSeconds: 40, acquireTime: '2024-03-01T10:00:00.000000Z', renewTime: '2024-03-01T10:00:30.654321Z', leaseTransitions: 0 },
  },
  'coordination.k8s.io/v1/DeleteOptions': { apiVersion: 'coordination.k8s.io/v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
  'rbac.authorization.k8s.io/v1/DeleteOptions': { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' },
  'meta.k8s.io/v1/DeleteOptions': { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', gracePeriodSeconds: 30 },
};
