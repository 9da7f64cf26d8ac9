import type { KubeObject } from './types.js';

/** The cache key client-go uses: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(object: KubeObject): string {
  return keyFor(object.metadata.namespace, object.metadata.name ?? '');
}

export function keyFor(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}
