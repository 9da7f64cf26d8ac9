import { Type, type TObject, type TOptional, type TString, type TArray, type TSchema } from '@sinclair/typebox';
import { ListMetaSchema, typeMetaFields } from './meta.js';
import type { GroupVersionKind } from './primitives.js';

export type TList<T extends TSchema> = TObject<{
  apiVersion: TOptional<TString>;
  kind: TOptional<TString>;
  metadata: TOptional<typeof ListMetaSchema>;
  items: TArray<T>;
}>;

/**
 * The `<Kind>List` schema of a kind: ListMeta plus items. Its title and
 * group-version-kind are derived from the item schema's, so `PodList` sits
 * beside `io.k8s.api.core.v1.Pod` as upstream's document has it.
 */
export function listOf<T extends TSchema>(itemSchema: T, listKind: string): TList<T> {
  const itemTitle = typeof itemSchema.title === 'string' ? itemSchema.title : listKind.replace(/List$/, '');
  const prefix = itemTitle.includes('.') ? itemTitle.slice(0, itemTitle.lastIndexOf('.') + 1) : '';
  const itemGvk = (itemSchema['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined)?.[0];
  const itemKind = itemGvk?.kind ?? listKind.replace(/List$/, '');
  return Type.Object({
    ...typeMetaFields(),
    metadata: Type.Optional(ListMetaSchema),
    items: Type.Array(itemSchema, { description: `List of ${itemKind.toLowerCase()} objects.` }),
  }, {
    title: `${prefix}${listKind}`,
    description: `${listKind} is a list of ${itemKind} objects.`,
    ...(itemGvk ? { 'x-kubernetes-group-version-kind': [{ group: itemGvk.group, version: itemGvk.version, kind: listKind }] } : {}),
  });
}
