// Controllers key their caches and queues by "namespace/name", as client-go's
// MetaNamespaceKeyFunc does; cluster-scoped objects have an empty namespace.

export function objectKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export function keyOf(object: { metadata: { namespace?: string; name?: string } }): string {
  return objectKey(object.metadata.namespace, object.metadata.name);
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
