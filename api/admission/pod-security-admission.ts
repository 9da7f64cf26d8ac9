import { ForbiddenError } from '../errors.js';
import type { AdmissionHooks } from './admission-hooks.js';
import type { KubeObject } from '../resources/strategy.js';
import { evaluatePodSecurity, podSecurityMessage, type PodSecurityLevel } from './pod-security-policy.js';

// Pod Security admission: the Namespace's `pod-security.kubernetes.io/enforce`
// label names the level its Pods must meet. It matters more in skiff than
// upstream, since a Pod is a process on the node itself. Checked inside the
// create transaction, against the Namespace as that transaction sees it.

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';
const LEVELS: readonly string[] = ['privileged', 'baseline', 'restricted'];

export function podSecurityAdmissionHooks(): AdmissionHooks<KubeObject> {
  return {
    onCreate(txn, pod) {
      const namespace = pod.metadata.namespace ?? '';
      const stored = txn.get({ resource: 'namespaces', namespace: '', name: namespace });
      if (!stored) return;
      const labels = (JSON.parse(stored.value) as KubeObject).metadata.labels ?? {};
      const level = labels[ENFORCE_LABEL];
      // An unknown level enforces the strictest, as upstream does with an invalid label.
      const effective = (level === undefined ? 'privileged' : LEVELS.includes(level) ? level : 'restricted') as PodSecurityLevel;
      const results = evaluatePodSecurity(effective, pod);
      if (results.length === 0) return;
      const version = labels[ENFORCE_VERSION_LABEL] || 'latest';
      throw ForbiddenError.forResource('pods', pod.metadata.name ?? '', '', podSecurityMessage(effective, version, results));
    },
  };
}
