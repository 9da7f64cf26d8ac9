import type { ServiceAccount } from '../schemas/serviceaccount.js';
import { FieldErrors } from '../validation/field-errors.js';
import { semanticEqual } from './semantic-equal.js';
import type { ResourceStrategy } from './strategy.js';

// The ServiceAccount strategy (pkg/registry/core/serviceaccount): no defaults,
// no status; its name is checked by the kind's name rule, and what remains is
// the references it holds.

function validateServiceAccount(account: ServiceAccount): FieldErrors {
  const errors = new FieldErrors();
  (account.secrets ?? []).forEach((secret, i) => {
    if (!secret.name) errors.required(`secrets[${i}].name`, '');
  });
  (account.imagePullSecrets ?? []).forEach((secret, i) => {
    if (!secret.name) errors.required(`imagePullSecrets[${i}].name`, '');
  });
  return errors;
}

export const serviceAccountStrategy: ResourceStrategy<ServiceAccount> = {
  applyDefaults() {
    // core/v1 gives a ServiceAccount no defaults.
  },
  prepareForCreate() {
    // No status to reset.
  },
  prepareForUpdate() {
    // The whole object is the writer's.
  },
  validate: validateServiceAccount,
  validateUpdate(account) {
    return validateServiceAccount(account);
  },
  specChanged(account, old) {
    return !semanticEqual(
      [account.secrets, account.imagePullSecrets, account.automountServiceAccountToken],
      [old.secrets, old.imagePullSecrets, old.automountServiceAccountToken],
    );
  },
};
