import type { ConfigMap } from '../schemas/configmap.js';
import { MAX_CONFIG_DATA_BYTES } from '../validation/config-key.js';
import { FieldErrors } from '../validation/field-errors.js';
import { decodedLength, utf8Length, validateImmutableData, validateKeys } from './config-data.js';
import type { ResourceStrategy } from './strategy.js';

// The ConfigMap strategy (ValidateConfigMap, ValidateConfigMapUpdate): data
// and binaryData keys are mount file names, the two maps may not share a key,
// together they hold at most 1 MiB, and `immutable` freezes both.

function validateConfigMap(configMap: ConfigMap): FieldErrors {
  const errors = new FieldErrors();
  let total = validateKeys(errors, 'data', configMap.data, utf8Length);
  for (const key of Object.keys(configMap.data ?? {})) {
    if (configMap.binaryData && Object.hasOwn(configMap.binaryData, key)) errors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData');
  }
  total += validateKeys(errors, 'binaryData', configMap.binaryData, (value) => decodedLength('ConfigMap', value));
  // upstream reports the whole object (an empty path) as too long.
  if (total > MAX_CONFIG_DATA_BYTES) errors.tooLong('', MAX_CONFIG_DATA_BYTES);
  return errors;
}

export const configMapStrategy: ResourceStrategy<ConfigMap> = {
  applyDefaults() {
    // A ConfigMap has no defaults.
  },

  prepareForCreate() {
    // Nothing a user may not set.
  },

  prepareForUpdate() {
    // No status to carry over.
  },

  validate: validateConfigMap,

  validateUpdate(configMap, old) {
    const errors = new FieldErrors();
    validateImmutableData(errors, configMap, old, ['data', 'binaryData']);
    return errors.addAll(validateConfigMap(configMap));
  },

  specChanged() {
    // No spec: metadata.generation stays as created.
    return false;
  },
};
