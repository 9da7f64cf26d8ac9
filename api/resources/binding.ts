import { ConflictError } from '../errors.js';
import type { Binding } from '../schemas/binding.js';
import type { Pod, PodCondition } from '../schemas/pod.js';
import { FieldErrors } from '../validation/field-errors.js';

// POST pods/{name}/binding: the scheduler's way of setting spec.nodeName,
// which no ordinary pod update may change (pkg/registry/core/pod/storage
// BindingREST, ValidatePodBinding).

/** ValidatePodBinding: the target is a Node, by name. */
export function validatePodBinding(binding: Binding): FieldErrors {
  const errors = new FieldErrors();
  const target = binding.target ?? {};
  if (target.kind && target.kind !== 'Node') errors.notSupported('target.kind', target.kind, ['Node', '<empty>']);
  if (!target.name) errors.required('target.name');
  return errors;
}

function conflict(pod: Pod, reason: string): ConflictError {
  const name = pod.metadata.name ?? '';
  return new ConflictError(`Operation cannot be fulfilled on pods/binding "${name}": ${reason}`, { name, kind: 'pods/binding' });
}

/**
 * Binds `pod` (the stored object, mutated in place) to the binding's node:
 * sets spec.nodeName, merges the binding's annotations and marks the pod
 * PodScheduled. A pod binds once; a finished pod never.
 */
export function applyPodBinding(pod: Pod, binding: Binding, now: string): void {
  const name = pod.metadata.name ?? '';
  const precondition = binding.metadata;
  if (precondition?.uid && precondition.uid !== pod.metadata.uid) {
    throw conflict(pod, `Precondition failed: UID in precondition: ${precondition.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
  }
  if (precondition?.resourceVersion && precondition.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict(pod, `Precondition failed: ResourceVersion in precondition: ${precondition.resourceVersion}, ResourceVersion in meta: ${pod.metadata.resourceVersion ?? ''}`);
  }
  const spec = (pod.spec ??= {});
  if (spec.nodeName) throw conflict(pod, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw conflict(pod, `pod ${name} is in terminal phase ${phase}`);
  spec.nodeName = binding.target?.name ?? '';
  const annotations = binding.metadata?.annotations;
  if (annotations && Object.keys(annotations).length > 0) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
  setPodCondition(pod, { type: 'PodScheduled', status: 'True' }, now);
}

/**
 * podutil.UpdatePodCondition: replace the condition of the same type, moving
 * lastTransitionTime only when the status actually changes.
 */
export function setPodCondition(pod: Pod, condition: PodCondition, now: string): void {
  const status = (pod.status ??= {});
  const conditions = (status.conditions ??= []);
  const index = conditions.findIndex((c) => c.type === condition.type);
  const existing = index >= 0 ? conditions[index] : undefined;
  const next: PodCondition = {
    lastProbeTime: null,
    lastTransitionTime: existing && existing.status === condition.status ? existing.lastTransitionTime ?? now : now,
    ...condition,
  };
  if (existing) conditions[index] = next;
  else conditions.push(next);
}
