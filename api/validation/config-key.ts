import { DNS1123_SUBDOMAIN_MAX_LENGTH } from './identifiers.js';

// A key of ConfigMap.data, ConfigMap.binaryData and Secret.data
// (IsConfigMapKey in k8s.io/apimachinery/pkg/util/validation): keys become
// file names when mounted, so '.' and '..' and a '..' prefix are refused.

const CONFIG_KEY = '[-._a-zA-Z0-9]+';
const configKeyRe = new RegExp(`^${CONFIG_KEY}$`);

export function isConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
  if (!configKeyRe.test(value)) {
    errors.push(`a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${CONFIG_KEY}')`);
  }
  if (value === '.') errors.push("must not be '.'");
  else if (value === '..') errors.push("must not be '..'");
  else if (value.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/** The largest total of data a ConfigMap or Secret may hold (core.MaxSecretSize). */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;
