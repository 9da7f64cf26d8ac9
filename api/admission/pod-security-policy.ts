// The Pod Security Standards' baseline and restricted profiles
// (k8s.io/pod-security-admission/policy), for the fields skiff's Pods carry.
// Each check yields a reason and details in upstream's words; the checks are
// ordered by upstream's check IDs, which is how its message lists them.

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface CheckResult {
  reason: string;
  detail: string;
}

type Json = Record<string, unknown>;
interface NamedContainer {
  name: string;
  securityContext: Json;
  ports: Json[];
}

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Json : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `container "a"` or `containers "a", "b"`, as upstream names several. */
function containerList(names: readonly string[], prefix = 'container'): string {
  return `${prefix}${names.length === 1 ? '' : 's'} ${names.map((n) => JSON.stringify(n)).join(', ')}`;
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

interface PodView {
  spec: Json;
  podContext: Json;
  containers: NamedContainer[];
}

function view(pod: unknown): PodView {
  const spec = obj(obj(pod).spec);
  const containers: NamedContainer[] = [];
  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    for (const item of arr(list)) {
      const c = obj(item);
      containers.push({ name: String(c.name ?? ''), securityContext: obj(c.securityContext), ports: arr(c.ports).map(obj) });
    }
  }
  return { spec, podContext: obj(spec.securityContext), containers };
}

type Check = (pod: PodView) => CheckResult | undefined;

function containersWhere(pod: PodView, bad: (c: NamedContainer) => boolean): string[] {
  return pod.containers.filter(bad).map((c) => c.name);
}

const allowPrivilegeEscalation: Check = (pod) => {
  const bad = containersWhere(pod, (c) => c.securityContext.allowPrivilegeEscalation !== false);
  return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
};

function added(c: NamedContainer): string[] {
  return arr(obj(c.securityContext.capabilities).add).map(String);
}

const capabilitiesBaseline: Check = (pod) => {
  const details: string[] = [];
  for (const c of pod.containers) {
    const extra = added(c).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (extra.length) details.push(`${containerList([c.name])} must not include ${extra.map((x) => JSON.stringify(x)).join(', ')} in securityContext.capabilities.add`);
  }
  return details.length ? { reason: 'non-default capabilities', detail: details.join('; ') } : undefined;
};

const capabilitiesRestricted: Check = (pod) => {
  const details: string[] = [];
  const noDrop = containersWhere(pod, (c) => !arr(obj(c.securityContext.capabilities).drop).includes('ALL'));
  if (noDrop.length) details.push(`${containerList(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  for (const c of pod.containers) {
    const extra = added(c).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length) details.push(`${containerList([c.name])} must not include ${extra.map((x) => JSON.stringify(x)).join(', ')} in securityContext.capabilities.add`);
  }
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
};

const hostNamespaces: Check = (pod) => {
  const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => pod.spec[field] === true).map((field) => `${field}=true`);
  return set.length ? { reason: 'host namespaces', detail: set.join(', ') } : undefined;
};

const hostPathVolumes: Check = (pod) => {
  const names = arr(pod.spec.volumes).map(obj).filter((v) => v.hostPath !== undefined).map((v) => String(v.name ?? ''));
  return names.length ? { reason: 'hostPath volumes', detail: containerList(names, 'volume') } : undefined;
};

const hostPorts: Check = (pod) => {
  const details: string[] = [];
  for (const c of pod.containers) {
    const ports = c.ports.map((p) => p.hostPort).filter((p): p is number => typeof p === 'number' && p !== 0);
    if (ports.length) details.push(`${containerList([c.name])} ${ports.length === 1 ? 'uses hostPort' : 'use hostPorts'} ${ports.join(', ')}`);
  }
  return details.length ? { reason: 'hostPort', detail: details.join('; ') } : undefined;
};

const privileged: Check = (pod) => {
  const bad = containersWhere(pod, (c) => c.securityContext.privileged === true);
  return bad.length ? { reason: 'privileged', detail: `${containerList(bad)} must not set securityContext.privileged=true` } : undefined;
};

const restrictedVolumes: Check = (pod) => {
  const details: string[] = [];
  for (const volume of arr(pod.spec.volumes).map(obj)) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (type && !RESTRICTED_VOLUME_TYPES.has(type)) details.push(`volume ${JSON.stringify(String(volume.name ?? ''))} uses restricted volume type ${JSON.stringify(type)}`);
  }
  return details.length ? { reason: 'restricted volume types', detail: details.join('; ') } : undefined;
};

const runAsNonRoot: Check = (pod) => {
  const podSet = pod.podContext.runAsNonRoot;
  const explicitFalse = containersWhere(pod, (c) => c.securityContext.runAsNonRoot === false);
  const details: string[] = [];
  if (podSet === false) details.push('pod must not set securityContext.runAsNonRoot=false');
  if (explicitFalse.length) details.push(`${containerList(explicitFalse)} must not set securityContext.runAsNonRoot=false`);
  if (podSet !== true) {
    const unset = containersWhere(pod, (c) => c.securityContext.runAsNonRoot === undefined);
    if (unset.length) details.push(`pod or ${containerList(unset)} must set securityContext.runAsNonRoot=true`);
  }
  return details.length ? { reason: 'runAsNonRoot != true', detail: details.join('; ') } : undefined;
};

const runAsUser: Check = (pod) => {
  const details: string[] = [];
  if (pod.podContext.runAsUser === 0) details.push('pod must not set runAsUser=0');
  const bad = containersWhere(pod, (c) => c.securityContext.runAsUser === 0);
  if (bad.length) details.push(`${containerList(bad)} must not set runAsUser=0`);
  return details.length ? { reason: 'runAsUser=0', detail: details.join('; ') } : undefined;
};

const seccompType = (context: Json): string | undefined => {
  const type = obj(context.seccompProfile).type;
  return typeof type === 'string' ? type : undefined;
};

const seccompBaseline: Check = (pod) => {
  const details: string[] = [];
  if (seccompType(pod.podContext) === 'Unconfined') details.push('pod must not set securityContext.seccompProfile.type to "Unconfined"');
  const bad = containersWhere(pod, (c) => seccompType(c.securityContext) === 'Unconfined');
  if (bad.length) details.push(`${containerList(bad)} must not set securityContext.seccompProfile.type to "Unconfined"`);
  return details.length ? { reason: 'seccompProfile', detail: details.join('; ') } : undefined;
};

const seccompRestricted: Check = (pod) => {
  const allowed = (type: string | undefined): boolean => type === 'RuntimeDefault' || type === 'Localhost';
  const details: string[] = [];
  const podType = seccompType(pod.podContext);
  if (podType !== undefined && !allowed(podType)) details.push(`pod must not set securityContext.seccompProfile.type to ${JSON.stringify(podType)}`);
  const badType = containersWhere(pod, (c) => seccompType(c.securityContext) !== undefined && !allowed(seccompType(c.securityContext)));
  if (badType.length) details.push(`${containerList(badType)} must not set securityContext.seccompProfile.type to ${JSON.stringify(seccompType(pod.containers.find((c) => c.name === badType[0])!.securityContext))}`);
  if (podType === undefined) {
    const unset = containersWhere(pod, (c) => seccompType(c.securityContext) === undefined);
    if (unset.length) details.push(`pod or ${containerList(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
  }
  return details.length ? { reason: 'seccompProfile', detail: details.join('; ') } : undefined;
};

// In check-ID order: allowPrivilegeEscalation, capabilities_*, hostNamespaces, hostPathVolumes, hostPorts, privileged, restrictedVolumes, runAsNonRoot, runAsUser, seccompProfile_*.
const BASELINE: readonly Check[] = [capabilitiesBaseline, hostNamespaces, hostPathVolumes, hostPorts, privileged, seccompBaseline];
const RESTRICTED: readonly Check[] = [allowPrivilegeEscalation, capabilitiesRestricted, hostNamespaces, hostPorts, privileged, restrictedVolumes, runAsNonRoot, runAsUser, seccompRestricted];

/** What a Pod breaks at `level`; empty when it is allowed. */
export function evaluatePodSecurity(level: PodSecurityLevel, pod: unknown): CheckResult[] {
  if (level === 'privileged') return [];
  const podView = view(pod);
  const results: CheckResult[] = [];
  for (const check of level === 'baseline' ? BASELINE : RESTRICTED) {
    const result = check(podView);
    if (result) results.push(result);
  }
  return results;
}

/** `violates PodSecurity "restricted:latest": reason (detail), …` */
export function podSecurityMessage(level: PodSecurityLevel, version: string, results: readonly CheckResult[]): string {
  return `violates PodSecurity "${level}:${version}": ${results.map((r) => `${r.reason} (${r.detail})`).join(', ')}`;
}
