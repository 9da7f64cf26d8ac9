import { ALLOWED, NO_OPINION, type Authorizer } from './authorizer.js';
import { ruleAllows } from './policy-rules.js';
import type { RbacPolicy } from './rbac-policy.js';

/**
 * `--authorization-mode RBAC`: allows what a rule bound to the user (or one
 * of its groups) allows; never denies, so a later mode may still allow.
 */
export function rbacAuthorizer(policy: RbacPolicy): Authorizer {
  return {
    authorize(attributes) {
      let allowed = false;
      const errors = policy.visitRulesFor(attributes.user, attributes.namespace, (rule) => {
        allowed = ruleAllows(attributes, rule);
        return !allowed;
      });
      if (allowed) return ALLOWED;
      if (errors.length === 0) return NO_OPINION;
      return { decision: 'NoOpinion', reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` };
    },
  };
}
