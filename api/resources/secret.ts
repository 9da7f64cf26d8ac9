import type { Secret } from '../schemas/secret.js';
import { FIELD_IMMUTABLE } from '../validation/object-meta.js';
import { MAX_CONFIG_DATA_BYTES } from '../validation/config-key.js';
import { FieldErrors } from '../validation/field-errors.js';
import { decodedLength, validateImmutableData, validateKeys } from './config-data.js';
import type { ResourceStrategy } from './strategy.js';

// The Secret strategy (SetDefaults_Secret, ValidateSecret, ValidateSecretUpdate).
// stringData is a write-only convenience: upstream's v1 conversion merges it
// into data (base64, overwriting) before anything else sees the object, so it
// is never stored or returned. Each built-in type names the keys it needs.

export const SECRET_TYPE_OPAQUE = 'Opaque';
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** Built-in types whose data must carry given keys, with how each checks them. */
function validateType(errors: FieldErrors, secret: Secret): void {
  const data = secret.data ?? {};
  const has = (key: string): boolean => Object.hasOwn(data, key);
  const requireJson = (key: string): void => {
    if (!has(key)) {
      errors.required(`data[${key}]`, '');
      return;
    }
    try {
      const parsed: unknown = JSON.parse(Buffer.from(data[key]!, 'base64').toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('json: cannot unmarshal into Go value of type map[string]interface {}');
    } catch (error) {
      errors.invalid(`data[${key}]`, '<secret contents redacted>', (error as Error).message);
    }
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      // The token and the ServiceAccount's uid may be filled in later by a controller.
      if (!secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION]) errors.required(`metadata.annotations[${SERVICE_ACCOUNT_NAME_ANNOTATION}]`, '');
      break;
    case 'kubernetes.io/dockercfg':
      requireJson('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireJson('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one must be there.
      if (!has('username') && !has('password')) errors.required('data[username]', '').required('data[password]', '');
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errors.required('data[ssh-privatekey]', '');
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errors.required('data[tls.crt]', '');
      if (!has('tls.key')) errors.required('data[tls.key]', '');
      break;
    default:
      break;
  }
}

function validateSecret(secret: Secret): FieldErrors {
  const errors = new FieldErrors();
  const total = validateKeys(errors, 'data', secret.data, (value) => decodedLength('Secret', value));
  if (total > MAX_CONFIG_DATA_BYTES) errors.tooLong('data', MAX_CONFIG_DATA_BYTES);
  validateType(errors, secret);
  return errors;
}

/** Folds stringData into data, base64-encoded, overwriting keys both name. */
function mergeStringData(secret: Secret): void {
  if (secret.stringData === undefined) return;
  const data = { ...(secret.data ?? {}) };
  for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  secret.data = data;
  delete secret.stringData;
}

export const secretStrategy: ResourceStrategy<Secret> = {
  applyDefaults(secret) {
    if (!secret.type) secret.type = SECRET_TYPE_OPAQUE;
  },

  prepareForCreate: mergeStringData,

  prepareForUpdate: mergeStringData,

  validate: validateSecret,

  validateUpdate(secret, old) {
    const errors = new FieldErrors();
    if (secret.type !== old.type) errors.invalid('type', secret.type, FIELD_IMMUTABLE);
    validateImmutableData(errors, secret, old, ['data']);
    return errors.addAll(validateSecret(secret));
  },

  specChanged() {
    return false;
  },
};
