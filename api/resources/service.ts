import type { Service } from '../schemas/service.js';
import { ipFamilyOf, type IPFamily } from '../validation/ip-address.js';
import { semanticEqual } from './semantic-equal.js';
import { dropTypeDependentFields, externallyAccessible, needsClusterIP, normalizeClusterIPs, patchAllocatedValues } from './service-fields.js';
import { validateService, validateServiceStatus, validateServiceUpdate } from '../validation/service-validation.js';
import type { ResourceStrategy } from './strategy.js';

// The Service strategy (pkg/registry/core/service/strategy.go, SetDefaults_Service,
// and the IP-family initialisation of the service IP allocator). Users own the
// spec; a load-balancer controller, if any, reports ingress points through /status.

/** Session stickiness Kubernetes applies when ClientIP affinity gives no timeout: three hours. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export interface ServiceStrategyOptions {
  /** The family of the cluster's service CIDR, given to services that ask for none. */
  primaryIPFamily: IPFamily;
}

/** SetDefaults_Service, plus ipFamilies/ipFamilyPolicy for a single-stack cluster. */
export function applyServiceDefaults(svc: Service, options: ServiceStrategyOptions): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    // An unset targetPort is the identity map to `port`.
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port ?? 0;
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    // An ingress IP without a mode is a virtual IP the node proxies capture (LoadBalancerIPMode).
    for (const point of svc.status?.loadBalancer?.ingress ?? []) if (point.ip && point.ipMode === undefined) point.ipMode = 'VIP';
  }
  if (needsClusterIP(svc)) {
    if (spec.ipFamilyPolicy === undefined) spec.ipFamilyPolicy = 'SingleStack';
    if ((spec.ipFamilies ?? []).length === 0) {
      // Families follow requested addresses; otherwise the cluster's primary family.
      const requested = (spec.clusterIPs ?? []).map(ipFamilyOf).filter((f): f is IPFamily => f !== undefined);
      spec.ipFamilies = requested.length > 0 ? requested.slice(0, 2) : [options.primaryIPFamily];
    }
  }
}

export function createServiceStrategy(options: ServiceStrategyOptions = { primaryIPFamily: 'IPv4' }): ResourceStrategy<Service> {
  return {
    applyDefaults(svc) {
      applyServiceDefaults(svc, options);
    },

    prepareForCreate(svc) {
      svc.status = { loadBalancer: {} };
      normalizeClusterIPs(svc, undefined);
    },

    prepareForUpdate(svc, old) {
      svc.status = structuredClone(old.status);
      patchAllocatedValues(svc, old);
      normalizeClusterIPs(svc, old);
      dropTypeDependentFields(svc, old);
    },

    prepareForStatusUpdate(svc, old) {
      svc.spec = structuredClone(old.spec);
    },

    validate(svc) {
      return validateService(svc);
    },

    validateUpdate(svc, old) {
      return validateServiceUpdate(svc, old);
    },

    validateStatusUpdate(svc) {
      return validateServiceStatus(svc);
    },

    specChanged(svc, old) {
      return !semanticEqual(svc.spec, old.spec);
    },
  };
}

export const serviceStrategy: ResourceStrategy<Service> = createServiceStrategy();
