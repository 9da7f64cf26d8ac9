import type { Pod } from '../../schemas/pod.js';

/** Informer index of pods by the node they are bound to; unbound pods are under ''. */
export const POD_NODE_INDEX = 'spec.nodeName';

export function podNodeIndexValues(pod: Pod): string[] {
  return [pod.spec?.nodeName ?? ''];
}
