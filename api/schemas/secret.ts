import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, typeMetaFields, type WithMetadata } from './meta.js';
import { byteMap, groupVersionKind, stringMap } from './primitives.js';

export const SecretSchema = Type.Object({
  ...typeMetaFields(),
  metadata: Type.Optional(ObjectMetaSchema),
  data: Type.Optional(byteMap("Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4")),
  stringData: Type.Optional(stringMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.')),
  type: Type.Optional(Type.String({ description: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types' })),
  immutable: Type.Optional(Type.Boolean({ description: 'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.' })),
}, {
  title: 'io.k8s.api.core.v1.Secret',
  description: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  'x-kubernetes-group-version-kind': groupVersionKind('', 'v1', 'Secret'),
});

export type Secret = WithMetadata<Static<typeof SecretSchema>>;
