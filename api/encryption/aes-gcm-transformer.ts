import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ObjectKey, ValueTransformer } from '../../storage/store.js';

// Upstream's aesgcm provider (k8s.io/apiserver/pkg/storage/value/encrypt/aes):
// a stored value is `k8s:enc:aesgcm:v1:<key name>:` then the 12-byte nonce,
// the ciphertext and the 16-byte tag. skiff's store keeps text, so the bytes
// after the prefix are base64. The object's key is the authenticated data, so
// a ciphertext copied onto another object's row does not decrypt.
//
// Writes use the first key; reads pick the key the prefix names, so a key can
// be rotated by putting the new one first and keeping the old one until every
// object has been rewritten. Values without the encryption prefix are read as
// they are: objects written before encryption was turned on stay readable.

export const ENCRYPTED_PREFIX = 'k8s:enc:';
const AESGCM_PREFIX = `${ENCRYPTED_PREFIX}aesgcm:v1:`;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface AesGcmKey {
  name: string;
  /** 16, 24 or 32 bytes: AES-128, AES-192 or AES-256. */
  secret: Buffer;
}

export class EncryptedValueError extends Error {}

function authenticatedData(key: ObjectKey): Buffer {
  return Buffer.from(`/${key.resource}/${key.namespace}/${key.name}`);
}

function algorithm(secret: Buffer): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  switch (secret.length) {
    case 16: return 'aes-128-gcm';
    case 24: return 'aes-192-gcm';
    case 32: return 'aes-256-gcm';
    default: throw new EncryptedValueError(`an AES key must be 16, 24 or 32 bytes, not ${secret.length}`);
  }
}

export class AesGcmTransformer implements ValueTransformer {
  private readonly keys: ReadonlyMap<string, AesGcmKey>;
  private readonly writeKey: AesGcmKey;

  /** `keys[0]` encrypts; all of them decrypt. */
  constructor(keys: readonly AesGcmKey[]) {
    if (keys.length === 0) throw new EncryptedValueError('aesgcm needs at least one key');
    for (const key of keys) algorithm(key.secret);
    this.writeKey = keys[0]!;
    this.keys = new Map(keys.map((key) => [key.name, key]));
  }

  toStorage(value: string, key: ObjectKey): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(algorithm(this.writeKey.secret), this.writeKey.secret, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(authenticatedData(key));
    const sealed = Buffer.concat([nonce, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${AESGCM_PREFIX}${this.writeKey.name}:${sealed.toString('base64')}`;
  }

  fromStorage(stored: string, key: ObjectKey): string {
    if (!stored.startsWith(ENCRYPTED_PREFIX)) return stored;
    if (!stored.startsWith(AESGCM_PREFIX)) throw new EncryptedValueError(`no configured provider reads ${stored.slice(0, stored.indexOf(':', ENCRYPTED_PREFIX.length) + 1)} values`);
    const nameEnd = stored.indexOf(':', AESGCM_PREFIX.length);
    const name = stored.slice(AESGCM_PREFIX.length, nameEnd);
    const aesKey = nameEnd === -1 ? undefined : this.keys.get(name);
    if (!aesKey) throw new EncryptedValueError(`no aesgcm key named "${name}" is configured`);
    const sealed = Buffer.from(stored.slice(nameEnd + 1), 'base64');
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new EncryptedValueError('the stored value is too short to be AES-GCM data');
    const decipher = createDecipheriv(algorithm(aesKey.secret), aesKey.secret, sealed.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(authenticatedData(key));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new EncryptedValueError(`the value of ${key.resource} ${key.namespace}/${key.name} does not decrypt with aesgcm key "${name}"`);
    }
  }
}
