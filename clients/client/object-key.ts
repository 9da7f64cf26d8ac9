import type { KubeObject } from './types.js';

// The cache key of informers, as client-go's MetaNamespaceKeyFunc makes it:
// "namespace/name", or just "name" for a cluster-scoped object.

export function keyFor(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function objectKey(object: KubeObject): string {
  return keyFor(object.metadata.namespace, object.metadata.name ?? '');
}
