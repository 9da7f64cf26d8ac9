import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { byteMap, groupVersionKind, stringMap } from './primitives.js';

export const ConfigMapSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  data: Type.Optional(stringMap("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.")),
  binaryData: Type.Optional(byteMap("BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet.")),
  immutable: Type.Optional(Type.Boolean({ description: 'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.' })),
}, {
  title: 'io.k8s.api.core.v1.ConfigMap',
  description: 'ConfigMap holds configuration data for pods to consume.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'ConfigMap'),
});

export type ConfigMap = WithMetadata<Static<typeof ConfigMapSchema>>;
