import type { Lease } from '../schemas/lease.js';
import { FieldErrors } from '../validation/field-errors.js';
import { isQualifiedName } from '../validation/identifiers.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';

// The Lease strategy (coordination.k8s.io/v1, ValidateLease). Node agents
// renew one Lease per node in kube-node-lease as their heartbeat, and leader
// election uses them too; a Lease has no status.

const LEASE_STRATEGIES = ['OldestEmulationVersion'] as const;

function validateLeaseSpec(lease: Lease): FieldErrors {
  const errors = new FieldErrors();
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errors.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0');
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errors.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0');
  }
  if (spec.strategy !== undefined) {
    // A bare name must be one Kubernetes defines; a prefixed one is anyone's
    // qualified name. The doubled path segment is upstream's.
    if (!spec.strategy.includes('/')) {
      if (!(LEASE_STRATEGIES as readonly string[]).includes(spec.strategy)) errors.notSupported('spec.strategy.strategy', spec.strategy, LEASE_STRATEGIES);
    } else {
      errors.invalidEach('spec.strategy.strategy', spec.strategy, isQualifiedName(spec.strategy));
    }
  }
  if (spec.preferredHolder && !spec.strategy) errors.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined');
  return errors;
}

export const leaseStrategy: ResourceStrategy<Lease> = {
  applyDefaults() {
    // coordination/v1 has no defaults.
  },

  prepareForCreate() {
    // Leases have no status to reset.
  },

  prepareForUpdate() {
    // Nothing is carried over: the whole object is the holder's.
  },

  validate: validateLeaseSpec,

  validateUpdate(lease) {
    return validateLeaseSpec(lease);
  },

  specChanged(lease, old) {
    return !semanticEqual(lease.spec, old.spec);
  },
};
