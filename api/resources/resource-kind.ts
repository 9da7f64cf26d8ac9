import type { TSchema } from '@sinclair/typebox';
import type { KubeObject, ResourceStrategy } from './strategy.js';
import type { PatchSchema } from '../patch/patch-schema.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';
export type Subresource = 'status' | 'binding' | 'token';

/**
 * Everything the generic registry, the HTTP layer and discovery need to know
 * about one kind. One entry per kind lives in kinds.ts.
 */
export interface ResourceKind<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  /** Plural, lower case: the path segment and the storage resource name. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  subresources: readonly Subresource[];
  /** PUT to a missing object creates it (Endpoints, Lease), as upstream allows. */
  allowCreateOnUpdate: boolean;
  /** Name rule for metadata.name (DNS-1123 subdomain, DNS-1035 label, …). */
  nameRule: (name: string) => string[];
  strategy: ResourceStrategy<T>;
  schema: TSchema;
  patchSchema: PatchSchema;
  /** Field selectors beyond metadata.name and metadata.namespace, and how to read them. */
  fieldSelectors: Readonly<Record<string, (object: T) => string | undefined>>;
}

export function apiVersionOf(kind: Pick<ResourceKind, 'group' | 'version'>): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** The URL prefix of a kind's group version: /api/v1 or /apis/<group>/<version>. */
export function groupVersionPath(kind: Pick<ResourceKind, 'group' | 'version'>): string {
  return kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
}
