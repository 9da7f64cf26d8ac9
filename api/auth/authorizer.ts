import type { RequestAttributes } from './request-attributes.js';
import { SYSTEM_MASTERS } from './user-info.js';

// The authorizer contract (k8s.io/apiserver/pkg/authorization/authorizer):
// each mode allows, denies or has no opinion; a chain asks them in order and
// the first that decides wins. Reasons of the undecided are joined and shown
// after the forbidden message.

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface AuthorizationResult {
  readonly decision: Decision;
  readonly reason: string;
}

export interface Authorizer {
  authorize(attributes: RequestAttributes): AuthorizationResult;
}

export const ALLOWED: AuthorizationResult = Object.freeze({ decision: 'Allow', reason: '' });
export const NO_OPINION: AuthorizationResult = Object.freeze({ decision: 'NoOpinion', reason: '' });

/** `--authorization-mode AlwaysAllow`. */
export const alwaysAllow: Authorizer = { authorize: () => ALLOWED };

/** system:masters may do anything, whatever the policy says, as upstream's privileged-group authorizer. */
export const privilegedGroup: Authorizer = {
  authorize: (attributes) => (attributes.user.groups.includes(SYSTEM_MASTERS) ? ALLOWED : NO_OPINION),
};

export function authorizerChain(authorizers: readonly Authorizer[]): Authorizer {
  return {
    authorize(attributes) {
      let reasons: string[] | undefined;
      for (const authorizer of authorizers) {
        const result = authorizer.authorize(attributes);
        if (result.decision !== 'NoOpinion') return result;
        if (result.reason) (reasons ??= []).push(result.reason);
      }
      return reasons ? { decision: 'NoOpinion', reason: reasons.join('\n') } : NO_OPINION;
    },
  };
}
