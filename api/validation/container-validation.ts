import type { Container, ContainerPort, EnvVar, Probe } from '../schemas/pod.js';
import type { FieldErrors } from './field-errors.js';
import { isDNS1123Label } from './identifiers.js';
import { IS_NEGATIVE_ERROR } from './object-meta.js';
import { isValidPortName, isValidPortNum, validatePortNumOrName } from './port-name.js';

// Container rules of core validation.go (validateContainers,
// validateInitContainers, validateContainerPorts, validateProbe …), in
// upstream's order, so the first cause reported is the one kubectl would show.

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'] as const;
const HTTP_SCHEMES = ['HTTP', 'HTTPS'] as const;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Required when empty, otherwise one of TCP, UDP, SCTP. */
export function validateProtocol(errors: FieldErrors, path: string, protocol: string | undefined): void {
  if (!protocol) errors.required(path);
  else if (!(PORT_PROTOCOLS as readonly string[]).includes(protocol)) errors.notSupported(path, protocol, PORT_PROTOCOLS);
}

function validateContainerPorts(ports: readonly ContainerPort[] | undefined, path: string, errors: FieldErrors): void {
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const at = `${path}[${i}]`;
    if (port.name) {
      const problems = isValidPortName(port.name);
      if (problems.length > 0) errors.invalidEach(`${at}.name`, port.name, problems);
      else if (names.has(port.name)) errors.duplicate(`${at}.name`, port.name);
      else names.add(port.name);
    }
    if (!port.containerPort) errors.required(`${at}.containerPort`);
    else errors.invalidEach(`${at}.containerPort`, port.containerPort, isValidPortNum(port.containerPort));
    if (port.hostPort) errors.invalidEach(`${at}.hostPort`, port.hostPort, isValidPortNum(port.hostPort));
    validateProtocol(errors, `${at}.protocol`, port.protocol);
  });
}

function validateEnv(env: readonly EnvVar[] | undefined, path: string, errors: FieldErrors): void {
  (env ?? []).forEach((variable, i) => {
    const at = `${path}[${i}].name`;
    if (!variable.name) {
      errors.required(at);
      return;
    }
    // RelaxedEnvironmentVariableValidation, on by default since 1.32.
    if ([...variable.name].some((ch) => ch < ' ' || ch > '~' || ch === '=')) {
      errors.invalid(at, variable.name, "a valid environment variable name must consist only of printable ASCII characters other than '='");
    }
  });
}

function validateEnum(errors: FieldErrors, path: string, value: string | undefined, supported: readonly string[]): void {
  if (!value) errors.required(path);
  else if (!supported.includes(value)) errors.notSupported(path, value, supported);
}

function validateContainerCommon(container: Container, path: string, errors: FieldErrors): void {
  if (!container.name) errors.required(`${path}.name`);
  else errors.invalidEach(`${path}.name`, container.name, isDNS1123Label(container.name));
  if (!container.image) errors.required(`${path}.image`);
  validateEnum(errors, `${path}.terminationMessagePolicy`, container.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES);
  validateContainerPorts(container.ports, `${path}.ports`, errors);
  validateEnv(container.env, `${path}.env`, errors);
  validateEnum(errors, `${path}.imagePullPolicy`, container.imagePullPolicy, PULL_POLICIES);
}

/** validateContainerOnlyForPod: pod (not template) containers may not pad their image. */
function validateImageWhitespace(container: Container, path: string, errors: FieldErrors): void {
  const image = container.image ?? '';
  if (image.length !== image.trim().length) errors.invalid(`${path}.image`, image, 'must not have leading or trailing whitespace');
}

function validateProbeHandler(probe: Probe, path: string, errors: FieldErrors): void {
  let handlers = 0;
  const handler = (field: 'exec' | 'httpGet' | 'tcpSocket' | 'grpc', check: () => void): void => {
    if (probe[field] === undefined || probe[field] === null) return;
    if (handlers > 0) {
      errors.forbidden(`${path}.${field}`, 'may not specify more than 1 handler type');
      return;
    }
    handlers++;
    check();
  };
  handler('exec', () => {
    if ((probe.exec?.command ?? []).length === 0) errors.required(`${path}.exec.command`);
  });
  handler('httpGet', () => {
    const http = probe.httpGet ?? {};
    if (!http.path) errors.required(`${path}.httpGet.path`);
    validatePortNumOrName(errors, `${path}.httpGet.port`, http.port);
    const scheme = http.scheme ?? '';
    if (!(HTTP_SCHEMES as readonly string[]).includes(scheme)) errors.notSupported(`${path}.httpGet.scheme`, scheme, HTTP_SCHEMES);
    for (const header of http.httpHeaders ?? []) {
      if (!HTTP_HEADER_NAME.test(header.name ?? '')) {
        errors.invalid(`${path}.httpGet.httpHeaders`, header.name ?? '',
          "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')");
      }
    }
  });
  handler('tcpSocket', () => validatePortNumOrName(errors, `${path}.tcpSocket.port`, probe.tcpSocket?.port));
  handler('grpc', () => {
    const port = probe.grpc?.port ?? 0;
    errors.invalidEach(`${path}.grpc.port`, port, isValidPortNum(port));
  });
  if (handlers === 0) errors.required(path, 'must specify a handler type');
}

function validateProbe(probe: Probe | undefined, path: string, kind: ProbeKind, errors: FieldErrors): void {
  if (probe === undefined || probe === null) return;
  validateProbeHandler(probe, path, errors);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const value = probe[field] ?? 0;
    if (value < 0) errors.invalid(`${path}.${field}`, value, IS_NEGATIVE_ERROR);
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace <= 0) errors.invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0');
  if (kind === 'readiness') {
    if (grace !== undefined && grace !== null) errors.invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must not be set for readinessProbes');
  } else if ((probe.successThreshold ?? 0) !== 1) {
    errors.invalid(`${path}.successThreshold`, probe.successThreshold ?? 0, 'must be 1');
  }
}

function validateProbes(container: Container, path: string, errors: FieldErrors): void {
  validateProbe(container.livenessProbe, `${path}.livenessProbe`, 'liveness', errors);
  validateProbe(container.readinessProbe, `${path}.readinessProbe`, 'readiness', errors);
  validateProbe(container.startupProbe, `${path}.startupProbe`, 'startup', errors);
}

/** Host ports are a node-wide resource: the same protocol/hostIP/hostPort twice can never both bind. */
function validateHostPortConflicts(containers: readonly Container[], path: string, errors: FieldErrors): void {
  const seen = new Set<string>();
  containers.forEach((container, ci) => {
    (container.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errors.duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key);
      else seen.add(key);
    });
  });
}

/** spec.containers: at least one, unique names, each valid. */
export function validateContainers(containers: readonly Container[] | undefined, path: string, errors: FieldErrors): void {
  const list = containers ?? [];
  if (list.length === 0) {
    errors.required(path);
    return;
  }
  const names = new Set<string>();
  list.forEach((container, i) => {
    const at = `${path}[${i}]`;
    validateContainerCommon(container, at, errors);
    if (names.has(container.name ?? '')) errors.duplicate(`${at}.name`, container.name ?? '');
    else names.add(container.name ?? '');
    validateProbes(container, at, errors);
    if (container.restartPolicy !== undefined) errors.forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers');
  });
  validateHostPortConflicts(list, path, errors);
  list.forEach((container, i) => validateImageWhitespace(container, `${path}[${i}]`, errors));
}

/** spec.initContainers: names unique across regular and init containers; probes only for restartable (sidecar) ones. */
export function validateInitContainers(initContainers: readonly Container[] | undefined, containers: readonly Container[] | undefined, path: string, errors: FieldErrors): void {
  const names = new Set((containers ?? []).map((c) => c.name ?? ''));
  (initContainers ?? []).forEach((container, i) => {
    const at = `${path}[${i}]`;
    validateContainerCommon(container, at, errors);
    let restartable = false;
    if (container.restartPolicy !== undefined) {
      if (container.restartPolicy !== 'Always') errors.notSupported(`${at}.restartPolicy`, container.restartPolicy, ['Always']);
      restartable = container.restartPolicy === 'Always';
    }
    if (names.has(container.name ?? '')) errors.duplicate(`${at}.name`, container.name ?? '');
    else if (container.name) names.add(container.name);
    validateHostPortConflicts([container], path, errors);
    if (restartable) {
      validateProbes(container, at, errors);
    } else {
      for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (container[field] !== undefined && container[field] !== null) {
          errors.forbidden(`${at}.${field}`, 'may not be set for init containers without restartPolicy=Always');
        }
      }
    }
  });
  (initContainers ?? []).forEach((container, i) => validateImageWhitespace(container, `${path}[${i}]`, errors));
}
