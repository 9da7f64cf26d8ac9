import type { Node } from '../schemas/node.js';
import { FieldErrors } from '../validation/field-errors.js';
import { cidrFamilyOf, isDualStack, validateCIDR } from '../validation/ip-address.js';
import { canonicalQuantity, parseQuantity } from './quantity.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';
import { validateTaints } from '../validation/taint-validation.js';

// The Node strategy (pkg/registry/core/node/strategy.go, ValidateNode,
// ValidateNodeUpdate). The agent registers its Node with status filled in
// (allowed on create) and keeps status current through /status; spec holds
// what the control plane assigns: podCIDRs, taints, unschedulable.

const IMMUTABLE_ONCE_SET = 'node updates may not change podCIDR except from "" to valid';

export function applyNodeDefaults(node: Node): void {
  const spec = (node.spec ??= {});
  // v1 podCIDR is podCIDRs[0]. As the v1 conversion does, the singular field
  // wins when both are set and differ (older clients only write it).
  if (spec.podCIDR && spec.podCIDRs?.[0] !== spec.podCIDR) spec.podCIDRs = [spec.podCIDR];
  else if (!spec.podCIDR && spec.podCIDRs?.[0]) spec.podCIDR = spec.podCIDRs[0];
  const status = node.status;
  if (!status) return;
  for (const list of [status.capacity, status.allocatable]) {
    if (!list) continue;
    for (const [name, value] of Object.entries(list)) list[name] = canonicalQuantity(value);
  }
  // SetDefaults_NodeStatus: allocatable defaults to capacity.
  if (status.allocatable === undefined && status.capacity !== undefined) status.allocatable = { ...status.capacity };
}

function validateResources(node: Node, errors: FieldErrors): void {
  for (const field of ['capacity', 'allocatable'] as const) {
    for (const [name, value] of Object.entries(node.status?.[field] ?? {})) {
      const parsed = parseQuantity(value);
      const path = `status.${field}.${name}`;
      if (parsed === undefined) errors.invalid(path, value, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
      else if (parsed < 0) errors.invalid(path, value, 'must be greater than or equal to 0');
    }
  }
}

/** ValidateNode without the object metadata the registry checks. */
function validateNode(node: Node): FieldErrors {
  const errors = new FieldErrors();
  validateTaints(node.spec?.taints, 'spec.taints', errors);
  validateResources(node, errors);
  const cidrs = node.spec?.podCIDRs ?? [];
  cidrs.forEach((cidr, i) => validateCIDR(errors, `spec.podCIDRs[${i}]`, cidr));
  if (cidrs.length > 1) {
    if (!isDualStack(cidrs.map(cidrFamilyOf)) || cidrs.length > 2) {
      errors.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family');
    }
    const seen = new Set<string>();
    cidrs.forEach((cidr, i) => {
      if (seen.has(cidr)) errors.duplicate(`spec.podCIDRs[${i}]`, cidr);
      seen.add(cidr);
    });
  }
  return errors;
}

/** ValidateNode plus ValidateNodeUpdate: podCIDRs and providerID are write-once; addresses unique. */
function validateNodeUpdate(node: Node, old: Node): FieldErrors {
  const errors = validateNode(node);
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((address, i) => {
    const key = `${address.type ?? ''}\u0000${address.address ?? ''}`;
    if (seen.has(key)) errors.duplicate(`status.addresses[${i}]`, address);
    seen.add(key);
  });
  const before = old.spec?.podCIDRs ?? [];
  const now = node.spec?.podCIDRs ?? [];
  if (before.length > 0) {
    if (before.length !== now.length) errors.forbidden('spec.podCIDRs', IMMUTABLE_ONCE_SET);
    else before.forEach((cidr, i) => {
      if (cidr !== now[i]) errors.forbidden('spec.podCIDRs', IMMUTABLE_ONCE_SET);
    });
  }
  const providerID = old.spec?.providerID ?? '';
  if (providerID && providerID !== (node.spec?.providerID ?? '')) {
    errors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid');
  }
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) errors.forbidden('spec.externalID', 'may not be updated');
  return errors;
}

export const nodeStrategy: ResourceStrategy<Node> = {
  applyDefaults: applyNodeDefaults,

  prepareForCreate() {
    // Nodes may be created with status: a node agent registers itself fully described.
  },

  prepareForUpdate(node, old) {
    node.status = structuredClone(old.status);
  },

  prepareForStatusUpdate(node, old) {
    node.spec = structuredClone(old.spec);
  },

  validate: validateNode,

  validateUpdate: validateNodeUpdate,

  validateStatusUpdate: validateNodeUpdate,

  specChanged(node, old) {
    return !semanticEqual(node.spec, old.spec);
  },
};
