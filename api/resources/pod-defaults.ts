import type { Container, Pod, Probe } from '../schemas/pod.js';

// SetDefaults_Pod, _PodSpec, _Container, _ContainerPort, _Probe and
// _HTTPGetAction from k8s.io/kubernetes/pkg/apis/core/v1/defaults.go: the
// values `kubectl get pod -o yaml` shows although the manifest never set them.

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** Always for `:latest` or an untagged image, IfNotPresent for any other tag or a digest. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const lastColon = image.lastIndexOf(':');
  const tag = lastColon > lastSlash ? image.slice(lastColon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  if (probe.httpGet) {
    if (!probe.httpGet.path) probe.httpGet.path = '/';
    if (!probe.httpGet.scheme) probe.httpGet.scheme = 'HTTP';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Limits without requests: the request defaults to the limit, resource by resource. */
function defaultRequestsFromLimits(container: Container): void {
  const resources = container.resources;
  if (!isObject(resources) || !isObject(resources.limits)) return;
  const requests = isObject(resources.requests) ? resources.requests : {};
  for (const [name, limit] of Object.entries(resources.limits)) {
    if (!(name in requests)) requests[name] = limit;
  }
  if (Object.keys(requests).length > 0) resources.requests = requests;
}

function defaultContainer(container: Container, hostNetwork: boolean): void {
  if (!container.terminationMessagePath) container.terminationMessagePath = '/dev/termination-log';
  if (!container.terminationMessagePolicy) container.terminationMessagePolicy = 'File';
  // An image that does not parse (empty) gets IfNotPresent, as upstream's defaulting ignores the parse error.
  if (!container.imagePullPolicy) container.imagePullPolicy = container.image ? defaultImagePullPolicy(container.image) : 'IfNotPresent';
  for (const port of container.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    // With host networking the container port is the host port.
    if (hostNetwork && !port.hostPort && port.containerPort) port.hostPort = port.containerPort;
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  defaultRequestsFromLimits(container);
}

export function applyPodDefaults(pod: Pod): void {
  const spec = (pod.spec ??= {});
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  if (spec.securityContext === undefined) spec.securityContext = {};
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  // serviceAccount is the deprecated alias of serviceAccountName; v1 keeps both equal.
  if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const container of spec.containers ?? []) defaultContainer(container, hostNetwork);
  for (const container of spec.initContainers ?? []) defaultContainer(container, hostNetwork);
  normalizePodIPs(pod);
}

/**
 * v1 carries podIP beside podIPs and hostIP beside hostIPs. As the v1
 * conversion does, the singular field wins when both are set and differ (old
 * kubelets only write it), and podIP is filled from podIPs[0].
 */
function normalizePodIPs(pod: Pod): void {
  const status = pod.status;
  if (!status) return;
  if (status.podIP && status.podIPs?.[0]?.ip !== status.podIP) status.podIPs = [{ ip: status.podIP }];
  else if (!status.podIP && status.podIPs?.[0]?.ip) status.podIP = status.podIPs[0].ip;
  if (status.hostIP && status.hostIPs?.[0]?.ip !== status.hostIP) status.hostIPs = [{ ip: status.hostIP }];
}
