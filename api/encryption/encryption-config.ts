import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { ValueTransformer } from '../../storage/store.js';
import { AesGcmTransformer, type AesGcmKey } from './aes-gcm-transformer.js';

// The file `--encryption-key-file` names: upstream's EncryptionConfiguration
// (apiserver.config.k8s.io/v1), of which skiff implements the aesgcm and
// identity providers:
//
//   apiVersion: apiserver.config.k8s.io/v1
//   kind: EncryptionConfiguration
//   resources:
//     - resources: [secrets]
//       providers:
//         - aesgcm:
//             keys:
//               - name: key1
//                 secret: <base64 of 32 random bytes>
//         - identity: {}
//
// The first provider of an entry writes. Reads follow the prefix a stored
// value carries, so values written under an earlier configuration (another
// key, or plain text) stay readable.

const GROUP_VERSIONS = ['apiserver.config.k8s.io/v1', 'apiserver.config.k8s.io/v1beta1'];

export class EncryptionConfigError extends Error {}

/** Identity writes plain text; reading plain text needs no provider. */
const IDENTITY: ValueTransformer = { toStorage: (value) => value, fromStorage: (stored) => stored };

function fail(path: string, message: string): never {
  throw new EncryptionConfigError(`${path}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseKeys(path: string, value: unknown): AesGcmKey[] {
  if (!isRecord(value) || !Array.isArray(value.keys) || value.keys.length === 0) fail(path, 'aesgcm needs a non-empty keys list');
  return value.keys.map((entry: unknown, i: number) => {
    const where = `${path}.keys[${i}]`;
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') fail(where, 'each key needs a name');
    if (entry.name.includes(':')) fail(`${where}.name`, `"${entry.name}" may not contain ':'`);
    if (typeof entry.secret !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry.secret)) fail(`${where}.secret`, 'must be base64 text');
    const secret = Buffer.from(entry.secret, 'base64');
    if (![16, 24, 32].includes(secret.length)) fail(`${where}.secret`, `must decode to 16, 24 or 32 bytes, not ${secret.length}`);
    return { name: entry.name, secret };
  });
}

function parseProvider(path: string, provider: unknown): ValueTransformer {
  if (!isRecord(provider) || Object.keys(provider).length !== 1) fail(path, 'each provider names exactly one of aesgcm, identity');
  const [type, settings] = Object.entries(provider)[0]!;
  if (type === 'identity') return IDENTITY;
  if (type === 'aesgcm') return new AesGcmTransformer(parseKeys(`${path}.aesgcm`, settings));
  return fail(path, `provider "${type}" is not supported by skiff (use aesgcm or identity)`);
}

/** By resource name (e.g. secrets): how its stored values are written and read. */
export function parseEncryptionConfig(text: string, source = 'encryption configuration'): Map<string, ValueTransformer> {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    fail(source, `not YAML: ${(error as Error).message}`);
  }
  if (!isRecord(document) || document.kind !== 'EncryptionConfiguration' || !GROUP_VERSIONS.includes(String(document.apiVersion))) {
    fail(source, `must be an EncryptionConfiguration of ${GROUP_VERSIONS[0]}`);
  }
  if (!Array.isArray(document.resources) || document.resources.length === 0) fail(source, 'resources must list at least one entry');
  const transformers = new Map<string, ValueTransformer>();
  document.resources.forEach((entry: unknown, i: number) => {
    const path = `${source}: resources[${i}]`;
    if (!isRecord(entry) || !Array.isArray(entry.resources) || entry.resources.length === 0) fail(path, 'resources must name at least one resource');
    if (!Array.isArray(entry.providers) || entry.providers.length === 0) fail(path, 'providers must list at least one provider');
    // Later providers only read; each must still be one skiff knows, as upstream requires.
    const providers = entry.providers.map((provider: unknown, j: number) => parseProvider(`${path}.providers[${j}]`, provider));
    const writer = providers[0]!;
    const readers = providers.filter((t): t is AesGcmTransformer => t instanceof AesGcmTransformer);
    const transformer = readers.length > 1 || (readers.length === 1 && writer !== readers[0]) ? chain(writer, readers) : writer;
    for (const resource of entry.resources) {
      if (typeof resource !== 'string' || resource === '') fail(path, 'resource names must be non-empty strings');
      // "secrets" and "secrets." (the core group) name the same storage resource.
      const name = resource.endsWith('.') ? resource.slice(0, -1) : resource;
      if (name.includes('*')) fail(path, `wildcard "${resource}" is not supported by skiff; name each resource`);
      if (!transformers.has(name)) transformers.set(name, transformer);
    }
  });
  return transformers;
}

/** Writes with `writer`; reads with whichever aesgcm provider holds the key a value names. */
function chain(writer: ValueTransformer, readers: readonly AesGcmTransformer[]): ValueTransformer {
  return {
    toStorage: (value, key) => writer.toStorage(value, key),
    fromStorage: (stored, key) => {
      let lastError: unknown;
      for (const reader of readers) {
        try {
          return reader.fromStorage(stored, key);
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    },
  };
}

export function loadEncryptionConfig(path: string): Map<string, ValueTransformer> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EncryptionConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseEncryptionConfig(text, path);
}
