// Controllers key their caches and work queues as client-go's
// MetaNamespaceKeyFunc does: "namespace/name", or just "name" for a
// cluster-scoped object. clients/client/object-key.ts is the same format on
// the client side; the two never meet, since clients/ imports nothing of api/.

export function keyFor(namespace: string | undefined, name: string | undefined): string {
  return namespace ? `${namespace}/${name ?? ''}` : name ?? '';
}

export function objectKey(object: { metadata: { namespace?: string; name?: string } }): string {
  return keyFor(object.metadata.namespace, object.metadata.name);
}

/** client-go's SplitMetaNamespaceKey: a key without a slash is a cluster-scoped name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
