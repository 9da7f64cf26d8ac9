import { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS } from './pod-defaults.js';
import type { Pod, PodSpec, PodStatus, Toleration } from '../schemas/pod.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../validation/identifiers.js';
import { ipFamilyOf, isDualStack, validateIP } from '../validation/ip-address.js';
import { FIELD_IMMUTABLE, validateLabels } from '../validation/object-meta.js';
import { inclusiveRangeError } from '../validation/port-name.js';
import { validateContainers, validateInitContainers } from '../validation/container-validation.js';
import { applyPodDefaults } from './pod-defaults.js';
import { podQOSClass } from './pod-qos.js';
import { describeDifferences, semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';
import { validateTolerations } from '../validation/taint-validation.js';

// The Pod strategy (pkg/registry/core/pod/strategy.go with the rules of
// ValidatePodCreate, ValidatePodUpdate and ValidatePodStatusUpdate). Users own
// the spec, which is nearly immutable once created; the node agent owns the
// status, written through /status.

const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
/** Condition types the system owns; any other must be a qualified name. */
const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
] as const;

function enumValue(errors: FieldErrors, path: string, value: string | undefined, supported: readonly string[]): void {
  if (!value) errors.required(path);
  else if (!supported.includes(value)) errors.notSupported(path, value, supported);
}

/** ValidatePodSpec, restricted to the fields skiff models. */
export function validatePodSpec(spec: PodSpec | undefined, errors = new FieldErrors()): FieldErrors {
  const path = 'spec';
  const s = spec ?? {};
  if (s.terminationGracePeriodSeconds === undefined) errors.required(`${path}.terminationGracePeriodSeconds`);
  validateContainers(s.containers, `${path}.containers`, errors);
  validateInitContainers(s.initContainers, s.containers, `${path}.initContainers`, errors);
  if (s.hostNetwork === true) {
    (s.containers ?? []).forEach((container, ci) => {
      (container.ports ?? []).forEach((port, pi) => {
        if ((port.hostPort ?? 0) !== (port.containerPort ?? 0)) {
          errors.invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, port.hostPort ?? 0, 'must match `containerPort` when `hostNetwork` is true');
        }
      });
    });
  }
  enumValue(errors, `${path}.restartPolicy`, s.restartPolicy, RESTART_POLICIES);
  enumValue(errors, `${path}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES);
  validateLabels(s.nodeSelector, `${path}.nodeSelector`, errors);
  if (s.serviceAccountName) errors.invalidEach(`${path}.serviceAccountName`, s.serviceAccountName, isDNS1123Subdomain(s.serviceAccountName));
  if (s.nodeName) errors.invalidEach(`${path}.nodeName`, s.nodeName, isDNS1123Subdomain(s.nodeName));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errors.invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32));
  }
  if (s.hostname) errors.invalidEach(`${path}.hostname`, s.hostname, isDNS1123Label(s.hostname));
  if (s.subdomain) errors.invalidEach(`${path}.subdomain`, s.subdomain, isDNS1123Label(s.subdomain));
  validateTolerations(s.tolerations, `${path}.tolerations`, errors);
  if (s.priorityClassName) errors.invalidEach(`${path}.priorityClassName`, s.priorityClassName, isDNS1123Subdomain(s.priorityClassName));
  return errors;
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return semanticEqual({ ...a, tolerationSeconds: undefined }, { ...b, tolerationSeconds: undefined });
}

/** ValidatePodUpdate's rules for what may change in a running pod's spec. */
function validatePodSpecUpdate(spec: PodSpec, old: PodSpec, errors: FieldErrors): void {
  const path = 'spec';
  for (const field of ['containers', 'initContainers'] as const) {
    if ((spec[field] ?? []).length !== (old[field] ?? []).length) {
      errors.forbidden(`${path}.${field}`, 'pod updates may not add or remove containers');
      return;
    }
  }
  if (spec.activeDeadlineSeconds !== undefined) {
    const next = spec.activeDeadlineSeconds;
    if (next < 0 || next > MAX_INT32) {
      errors.invalid(`${path}.activeDeadlineSeconds`, next, inclusiveRangeError(0, MAX_INT32));
      return;
    }
    if (old.activeDeadlineSeconds !== undefined && old.activeDeadlineSeconds < next) {
      errors.invalid(`${path}.activeDeadlineSeconds`, next, 'must be less than or equal to previous value');
      return;
    }
  } else if (old.activeDeadlineSeconds !== undefined) {
    errors.invalid(`${path}.activeDeadlineSeconds`, null, 'must not update from a positive integer to nil value');
  }
  const newTolerations = spec.tolerations ?? [];
  if (!(old.tolerations ?? []).every((t) => newTolerations.some((n) => sameToleration(t, n)))) {
    errors.forbidden(`${path}.tolerations`, 'existing toleration can not be modified except its tolerationSeconds');
  }
  if (semanticEqual(spec, old)) return;
  // Put back every field that may change; whatever still differs may not.
  const munged: PodSpec & Record<string, unknown> = structuredClone(spec);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: old.containers?.[i]?.image }));
  munged.initContainers = (munged.initContainers ?? []).map((c, i) => ({ ...c, image: old.initContainers?.[i]?.image }));
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  munged.schedulingGates = (old as Record<string, unknown>).schedulingGates;
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, old)) {
    const diff = describeDifferences(old, munged, path).join('\n');
    errors.forbidden(path, `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff}`);
  }
}

interface ContainerStatusLike {
  name?: string;
  state?: { terminated?: { exitCode?: number } | null } | null;
}

/** Containers that may not restart must not leave the terminated state. */
function validateContainerStateTransitions(statuses: unknown[] | undefined, oldStatuses: unknown[] | undefined, path: string, restartPolicy: string | undefined, errors: FieldErrors): void {
  if (restartPolicy === 'Always') return;
  const next = (statuses ?? []) as ContainerStatusLike[];
  ((oldStatuses ?? []) as ContainerStatusLike[]).forEach((old, i) => {
    const terminated = old.state?.terminated;
    if (!terminated) return;
    if ((terminated.exitCode ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    for (const status of next) {
      if (status.name === old.name && !status.state?.terminated) {
        errors.forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state');
      }
    }
  });
}

/** validatePodIPs and validateHostIPs: valid, unique, at most one per family. */
function validateStatusIPs(status: PodStatus, errors: FieldErrors): void {
  const checkList = (path: string, entries: readonly { ip?: string }[]): void => {
    entries.forEach((entry, i) => validateIP(errors, `${path}[${i}]`, entry.ip ?? ''));
    if (entries.length <= 1) return;
    const ips = entries.map((entry) => entry.ip ?? '');
    if (!isDualStack(ips.map(ipFamilyOf)) || ips.length > 2) {
      errors.invalid(path, entries, 'may specify no more than one IP for each IP family');
    }
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      if (seen.has(entry.ip ?? '')) errors.duplicate(`${path}[${i}]`, entry);
      seen.add(entry.ip ?? '');
    });
  };
  checkList('status.podIPs', status.podIPs ?? []);
  const hostIPs = status.hostIPs ?? [];
  if (hostIPs.length > 0) {
    if ((status.hostIP ?? '') !== (hostIPs[0]?.ip ?? '')) errors.invalid('status.hostIPs[0].ip', hostIPs[0]?.ip ?? '', 'must be equal to `hostIP`');
    checkList('status.hostIPs', hostIPs);
  }
}

function validatePodStatusUpdate(pod: Pod, old: Pod): FieldErrors {
  const errors = new FieldErrors();
  const status = pod.status ?? {};
  const oldStatus = old.status ?? {};
  (status.conditions ?? []).forEach((condition, i) => {
    const type = condition.type ?? '';
    if (!SYSTEM_CONDITIONS.has(type)) errors.invalidEach(`status.conditions[${i}].type`, type, isQualifiedName(type));
  });
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errors.forbidden('status.nodeName', 'may not be changed directly');
  const nominated = status.nominatedNodeName ?? '';
  if (nominated && nominated !== (oldStatus.nominatedNodeName ?? '')) {
    errors.invalidEach('status.nominatedNodeName', nominated, isDNS1123Subdomain(nominated));
  }
  if ((status.qosClass ?? '') !== (oldStatus.qosClass ?? '')) errors.invalid('status.qosClass', status.qosClass ?? '', FIELD_IMMUTABLE);
  const restartPolicy = old.spec?.restartPolicy;
  validateContainerStateTransitions(status.containerStatuses, oldStatus.containerStatuses, 'status.containerStatuses', restartPolicy, errors);
  validateContainerStateTransitions(status.initContainerStatuses, oldStatus.initContainerStatuses, 'status.initContainerStatuses', restartPolicy, errors);
  validateStatusIPs(status, errors);
  return errors;
}

export const podStrategy: ResourceStrategy<Pod> = {
  applyDefaults: applyPodDefaults,

  // Upstream podStrategy.CheckGracefulDelete: a Pod no node runs, or one that
  // has finished, has nothing to stop and goes at once.
  gracefulDeleteSeconds(pod, requested) {
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  },

  prepareForCreate(pod) {
    // A new pod has not been scheduled or run: its status starts over.
    pod.status = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
  },

  prepareForUpdate(pod, old) {
    pod.status = structuredClone(old.status);
  },

  prepareForStatusUpdate(pod, old) {
    pod.spec = structuredClone(old.spec);
    // Old kubelets corrupt owner references; /status may not touch them (upstream podStatusStrategy).
    pod.metadata.ownerReferences = structuredClone(old.metadata.ownerReferences);
    const status = (pod.status ??= {});
    // qosClass is set once at creation; a status writer that drops it keeps it.
    if (!status.qosClass && old.status?.qosClass) status.qosClass = old.status.qosClass;
  },

  validate(pod) {
    const errors = validatePodSpec(pod.spec);
    if ((pod.spec?.ephemeralContainers ?? []).length > 0) {
      errors.forbidden('spec.ephemeralContainers', 'cannot be set on create');
    }
    return errors;
  },

  validateUpdate(pod, old) {
    const errors = validatePodSpec(pod.spec);
    validatePodSpecUpdate(pod.spec ?? {}, old.spec ?? {}, errors);
    return errors;
  },

  validateStatusUpdate: validatePodStatusUpdate,

  specChanged(pod, old) {
    return !semanticEqual(pod.spec, old.spec);
  },
};
