import type { Service, ServicePort, SessionAffinityConfig } from '../schemas/service.js';
import { FieldErrors } from './field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './identifiers.js';
import { ipFamilyOf, isDualStack, validateCIDR, validateIP, validateNonSpecialIP } from './ip-address.js';
import { validateLabels } from './object-meta.js';
import { isValidPortNum, validatePortNumOrName } from './port-name.js';
import { validateProtocol } from './container-validation.js';
import { externallyAccessible, isHeadless, needsHealthCheckNodePort } from '../resources/service-fields.js';

// ValidateService and ValidateServiceUpdate (core validation.go), in
// upstream's order. Address and port *allocation* (is the clusterIP in the
// service CIDR, is the nodePort free and in range) is the allocators' job.

export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const SESSION_AFFINITIES = ['ClientIP', 'None'] as const;
const IP_FAMILIES = ['IPv4', 'IPv6'] as const;
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;
const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;

function validateServicePort(port: ServicePort, requireName: boolean, names: Set<string>, path: string, errors: FieldErrors): void {
  if (requireName && !port.name) {
    errors.required(`${path}.name`);
  } else if (port.name) {
    errors.invalidEach(`${path}.name`, port.name, isDNS1123Label(port.name));
    if (names.has(port.name)) errors.duplicate(`${path}.name`, port.name);
    else names.add(port.name);
  }
  errors.invalidEach(`${path}.port`, port.port ?? 0, isValidPortNum(port.port ?? 0));
  validateProtocol(errors, `${path}.protocol`, port.protocol);
  validatePortNumOrName(errors, `${path}.targetPort`, port.targetPort);
  if (port.appProtocol !== undefined) errors.invalidEach(`${path}.appProtocol`, port.appProtocol, isQualifiedName(port.appProtocol));
}

function validateClientIPAffinityConfig(config: SessionAffinityConfig | undefined, path: string, errors: FieldErrors): void {
  const detail = 'when session affinity type is ClientIP';
  if (!config) {
    errors.required(path, detail);
  } else if (!config.clientIP) {
    errors.required(`${path}.clientIP`, detail);
  } else if (config.clientIP.timeoutSeconds === undefined) {
    errors.required(`${path}.clientIP.timeoutSeconds`, detail);
  } else {
    const timeout = config.clientIP.timeoutSeconds;
    if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
      errors.invalid(`${path}.clientIP.timeoutSeconds`, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`);
    }
  }
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP(s), ipFamilies and ipFamilyPolicy agree with each other. */
function validateClusterIPFields(svc: Service, errors: FieldErrors): void {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return;
  const clusterIPs = spec.clusterIPs ?? [];
  const families = spec.ipFamilies ?? [];
  if (spec.clusterIP) {
    if (clusterIPs.length === 0) errors.required('spec.clusterIPs');
    else if (clusterIPs[0] !== spec.clusterIP) errors.invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`');
  } else if (clusterIPs.length > 0) {
    errors.invalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified');
  }
  const seen = new Set<string>();
  families.forEach((family, i) => {
    if (!(IP_FAMILIES as readonly string[]).includes(family)) errors.notSupported(`spec.ipFamilies[${i}]`, family, IP_FAMILIES);
    if (seen.has(family)) errors.duplicate(`spec.ipFamilies[${i}]`, family);
    seen.add(family);
  });
  if (spec.ipFamilyPolicy !== undefined && !(IP_FAMILY_POLICIES as readonly string[]).includes(spec.ipFamilyPolicy)) {
    errors.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES);
  }
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errors.invalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value");
      }
      return;
    }
    if (!validateIP(errors, `spec.clusterIPs[${i}]`, ip)) invalidIPs = true;
  });
  if (clusterIPs.length > 2) errors.invalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values');
  // Bad addresses would only muddle the dual-stack and family checks below.
  if (invalidIPs) return;
  if (clusterIPs.length > 1 && !isDualStack(clusterIPs.map(ipFamilyOf))) {
    errors.invalid('spec.clusterIPs', clusterIPs, 'may specify no more than one IP for each IP family');
  }
  if (!isHeadless(svc) && clusterIPs.length > 0 && families.length > 0) {
    clusterIPs.forEach((ip, i) => {
      const family = families[i];
      if (family === undefined) return;
      const actual = ipFamilyOf(ip);
      if (family === 'IPv4' && actual === 'IPv6') errors.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``);
      if (family === 'IPv6' && actual !== 'IPv6') errors.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``);
    });
  }
}

/** ValidateService, without the object metadata the registry checks. */
export function validateService(svc: Service, errors = new FieldErrors()): FieldErrors {
  const spec = svc.spec ?? {};
  const type = spec.type ?? '';
  const ports = spec.ports ?? [];
  const clusterIPs = spec.clusterIPs ?? [];
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errors.required('spec.ports');
  if (type === 'LoadBalancer' && headless) errors.invalid('spec.clusterIPs[0]', clusterIPs[0], "may not be set to 'None' for LoadBalancer services");
  if (type === 'NodePort' && headless) errors.invalid('spec.clusterIPs[0]', clusterIPs[0], "may not be set to 'None' for NodePort services");
  if (type === 'ExternalName') {
    if (clusterIPs.length > 0) errors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services');
    if ((spec.ipFamilies ?? []).length > 0) errors.forbidden('spec.ipFamilies', 'may not be set for ExternalName services');
    if (spec.ipFamilyPolicy !== undefined) errors.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services');
    // The value becomes a CNAME, which may carry a trailing dot to mark it fully qualified.
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) errors.invalidEach('spec.externalName', cname, isDNS1123Subdomain(cname));
    else errors.required('spec.externalName');
  }
  const names = new Set<string>();
  ports.forEach((port, i) => validateServicePort(port, ports.length > 1, names, `spec.ports[${i}]`, errors));
  validateLabels(spec.selector, 'spec.selector', errors);
  const affinity = spec.sessionAffinity ?? '';
  if (!affinity) errors.required('spec.sessionAffinity');
  else if (!(SESSION_AFFINITIES as readonly string[]).includes(affinity)) errors.notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES);
  if (affinity === 'ClientIP') validateClientIPAffinityConfig(spec.sessionAffinityConfig, 'spec.sessionAffinityConfig', errors);
  else if (affinity === 'None' && spec.sessionAffinityConfig !== undefined) {
    errors.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None');
  }
  validateClusterIPFields(svc, errors);
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (validateIP(errors, `spec.externalIPs[${i}]`, ip)) validateNonSpecialIP(errors, `spec.externalIPs[${i}]`, ip);
  });
  if (!type) errors.required('spec.type');
  else if (!(SERVICE_TYPES as readonly string[]).includes(type)) errors.notSupported('spec.type', type, SERVICE_TYPES);
  if (type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port.nodePort) errors.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'");
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (!port.nodePort) return;
    const key = `${port.protocol ?? ''}/${port.nodePort}`;
    if (nodePorts.has(key)) errors.duplicate(`spec.ports[${i}].nodePort`, port.nodePort);
    nodePorts.add(key);
  });
  const servicePorts = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${port.protocol ?? ''}/${port.port ?? 0}`;
    if (servicePorts.has(key)) errors.duplicate(`spec.ports[${i}]`, { port: port.port ?? 0, protocol: port.protocol ?? '' });
    servicePorts.add(key);
  });
  const sourceRanges = spec.loadBalancerSourceRanges ?? [];
  if (sourceRanges.length > 0) {
    // Upstream's field path really is capitalised.
    if (type !== 'LoadBalancer') errors.forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'");
    sourceRanges.forEach((range, i) => validateCIDR(errors, `spec.LoadBalancerSourceRanges[${i}]`, range.trim()));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer') {
    errors.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'");
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) errors.required('allocateLoadBalancerNodePorts');
  if (type === 'LoadBalancer') {
    if (spec.loadBalancerClass !== undefined) errors.invalidEach('spec.loadBalancerClass', spec.loadBalancerClass, isQualifiedName(spec.loadBalancerClass));
  } else if (spec.loadBalancerClass !== undefined) {
    errors.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'");
  }
  const externalPolicy = spec.externalTrafficPolicy ?? '';
  if (!externallyAccessible(svc)) {
    if (externalPolicy) errors.invalid('spec.externalTrafficPolicy', externalPolicy, 'may only be set for externally-accessible services');
  } else if (!externalPolicy) {
    errors.required('spec.externalTrafficPolicy');
  } else if (!(TRAFFIC_POLICIES as readonly string[]).includes(externalPolicy)) {
    errors.notSupported('spec.externalTrafficPolicy', externalPolicy, TRAFFIC_POLICIES);
  }
  const healthCheckNodePort = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheckNodePort(svc)) {
    if (healthCheckNodePort) {
      errors.invalid('spec.healthCheckNodePort', healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
    }
  } else if (healthCheckNodePort) {
    // Zero means "allocate one", which happens after validation in skiff.
    errors.invalidEach('spec.healthCheckNodePort', healthCheckNodePort, isValidPortNum(healthCheckNodePort));
  }
  const internalPolicy = spec.internalTrafficPolicy;
  if (internalPolicy === undefined) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errors.required('spec.internalTrafficPolicy');
  } else if (!(TRAFFIC_POLICIES as readonly string[]).includes(internalPolicy)) {
    errors.notSupported('spec.internalTrafficPolicy', internalPolicy, TRAFFIC_POLICIES);
  }
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose') {
    errors.notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']);
  }
  return errors;
}

/**
 * validateUpgradeDowngradeClusterIPs: the primary clusterIP never changes
 * once set, except through ExternalName (which has none) or between headless
 * forms. A secondary may be added, or released with ipFamilyPolicy SingleStack.
 */
function validateClusterIPsUpdate(svc: Service, old: Service, errors: FieldErrors): void {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return;
  if (isHeadless(svc) && isHeadless(old)) return;
  const now = svc.spec?.clusterIPs ?? [];
  const before = old.spec?.clusterIPs ?? [];
  if (now.length === before.length) {
    before.forEach((ip, i) => {
      if (ip !== now[i]) errors.invalid(`spec.clusterIPs[${i}]`, now, 'may not change once set');
    });
  } else if (before.length > now.length) {
    if (now.length === 0) errors.invalid('spec.clusterIPs[0]', now, 'primary clusterIP can not be unset');
    if (before.length > 0 && now.length > 0 && now[0] !== before[0]) errors.invalid('spec.clusterIPs[0]', now, 'may not change once set');
    if (now.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack') {
      errors.invalid('spec.ipFamilyPolicy', svc.spec?.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP");
    }
  } else if (before.length > 0 && now[0] !== before[0]) {
    errors.invalid('spec.clusterIPs[0]', now, 'may not change once set');
  }
}

/** validateUpgradeDowngradeIPFamilies: the same rule for the families the IPs belong to. */
function validateIPFamiliesUpdate(svc: Service, old: Service, errors: FieldErrors): void {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return;
  if (isHeadless(svc) !== isHeadless(old) || isHeadless(svc)) return;
  const now = svc.spec?.ipFamilies ?? [];
  const before = old.spec?.ipFamilies ?? [];
  if (now.length === before.length) {
    before.forEach((family, i) => {
      if (family !== now[i]) errors.invalid('spec.ipFamilies[0]', now, 'may not change once set');
    });
  } else if (before.length > now.length) {
    if ((svc.spec?.clusterIPs ?? []).length === 0) errors.invalid('spec.ipFamilies[0]', now, 'primary ipFamily can not be unset');
    if (now.length > 0 && now[0] !== before[0]) errors.invalid('spec.ipFamilies[0]', svc.spec?.clusterIPs ?? [], 'may not change once set');
    if (now.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack') {
      errors.invalid('spec.ipFamilyPolicy', svc.spec?.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily");
    }
  } else if (before.length > 0 && now.length > 0 && now[0] !== before[0]) {
    errors.invalid('spec.ipFamilies[0]', svc.spec?.clusterIPs ?? [], 'may not change once set');
  }
}

/** ValidateServiceUpdate, without the object metadata the registry checks. */
export function validateServiceUpdate(svc: Service, old: Service): FieldErrors {
  const errors = new FieldErrors();
  validateClusterIPsUpdate(svc, old, errors);
  validateIPFamiliesUpdate(svc, old, errors);
  if (old.spec?.type === 'LoadBalancer' && svc.spec?.type === 'LoadBalancer' && old.spec.loadBalancerClass !== svc.spec.loadBalancerClass) {
    errors.invalid('spec.loadBalancerClass', svc.spec.loadBalancerClass ?? null, 'may not change once set');
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc) && (svc.spec?.healthCheckNodePort ?? 0) !== (old.spec?.healthCheckNodePort ?? 0)) {
    errors.forbidden('spec.healthCheckNodePort', 'field is immutable');
  }
  return validateService(svc, errors);
}

const LOAD_BALANCER_IP_MODES = ['Proxy', 'VIP'] as const;

/**
 * ValidateServiceStatusUpdate (ValidateLoadBalancerStatus): what a
 * load-balancer controller may report. Ingress points belong to LoadBalancer
 * services only; each IP needs an ipMode, and a hostname must be a DNS name.
 */
export function validateServiceStatus(svc: Service): FieldErrors {
  const errors = new FieldErrors();
  const path = 'status.loadBalancer.ingress';
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length > 0) {
    errors.forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'");
    return errors;
  }
  ingress.forEach((point, i) => {
    const at = `${path}[${i}]`;
    if (point.ip) validateIP(errors, `${at}.ip`, point.ip);
    if (point.ipMode === undefined) {
      if (point.ip) errors.required(`${at}.ipMode`, 'must be specified when `ip` is set');
    } else if (!point.ip) {
      errors.forbidden(`${at}.ipMode`, 'may not be specified when `ip` is not set');
    } else if (!(LOAD_BALANCER_IP_MODES as readonly string[]).includes(point.ipMode)) {
      errors.notSupported(`${at}.ipMode`, point.ipMode, LOAD_BALANCER_IP_MODES);
    }
    if (point.hostname) {
      errors.invalidEach(`${at}.hostname`, point.hostname, isDNS1123Subdomain(point.hostname));
      if (ipFamilyOf(point.hostname) !== undefined) errors.invalid(`${at}.hostname`, point.hostname, 'must be a DNS name, not an IP address');
    }
  });
  return errors;
}
