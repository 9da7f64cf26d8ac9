import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AesGcmTransformer, EncryptedValueError } from '../../../api/encryption/aes-gcm-transformer.js';
import { EncryptionConfigError, parseEncryptionConfig } from '../../../api/encryption/encryption-config.js';

const KEY = { resource: 'secrets', namespace: 'default', name: 's' };
const secret32 = (): string => randomBytes(32).toString('base64');

function config(providers: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets, configmaps.]
    providers:
${providers}`;
}

const aesgcm = (...keys: Array<[string, string]>): string =>
  `      - aesgcm:\n          keys:\n${keys.map(([name, secret]) => `            - name: ${name}\n              secret: ${secret}\n`).join('')}`;

describe('AesGcmTransformer', () => {
  it("writes upstream's prefix and reads its own values back", () => {
    const transformer = new AesGcmTransformer([{ name: 'key1', secret: randomBytes(32) }]);
    const stored = transformer.toStorage('{"data":{"p":"aHVudGVyMg=="}}', KEY);
    assert.match(stored, /^k8s:enc:aesgcm:v1:key1:[A-Za-z0-9+/=]+$/);
    assert.doesNotMatch(stored, /aHVudGVyMg/);
    assert.equal(transformer.fromStorage(stored, KEY), '{"data":{"p":"aHVudGVyMg=="}}');
    assert.notEqual(transformer.toStorage('x', KEY), transformer.toStorage('x', KEY), 'a fresh nonce each write');
  });

  it('binds a value to its object: a copy on another key does not decrypt', () => {
    const transformer = new AesGcmTransformer([{ name: 'key1', secret: randomBytes(32) }]);
    const stored = transformer.toStorage('value', KEY);
    assert.throws(() => transformer.fromStorage(stored, { ...KEY, name: 'other' }), EncryptedValueError);
  });

  it('passes plain values through and refuses a key it does not hold', () => {
    const transformer = new AesGcmTransformer([{ name: 'key1', secret: randomBytes(32) }]);
    assert.equal(transformer.fromStorage('{"plain":true}', KEY), '{"plain":true}');
    const other = new AesGcmTransformer([{ name: 'key2', secret: randomBytes(32) }]);
    assert.throws(() => transformer.fromStorage(other.toStorage('v', KEY), KEY), /no aesgcm key named "key2"/);
    assert.throws(() => transformer.fromStorage('k8s:enc:aescbc:v1:k:AAAA', KEY), /no configured provider reads k8s:enc:aescbc:/);
  });
});

describe('parseEncryptionConfig', () => {
  it('maps each named resource to its first provider, and reads with every aesgcm key', () => {
    const oldKey = secret32();
    const before = parseEncryptionConfig(config(aesgcm(['old', oldKey])));
    const written = before.get('secrets')!.toStorage('v', KEY);
    const rotated = parseEncryptionConfig(config(aesgcm(['new', secret32()], ['old', oldKey])));
    assert.deepEqual([...rotated.keys()], ['secrets', 'configmaps']);
    const secrets = rotated.get('secrets')!;
    assert.equal(secrets.fromStorage(written, KEY), 'v');
    assert.match(secrets.toStorage('v', KEY), /^k8s:enc:aesgcm:v1:new:/);
  });

  it('writes plain text with identity first and still reads what an aesgcm key wrote', () => {
    const key = secret32();
    const encrypted = parseEncryptionConfig(config(aesgcm(['k', key]))).get('secrets')!.toStorage('v', KEY);
    const decrypting = parseEncryptionConfig(config(`      - identity: {}\n${aesgcm(['k', key])}`)).get('secrets')!;
    assert.equal(decrypting.toStorage('v', KEY), 'v');
    assert.equal(decrypting.fromStorage(encrypted, KEY), 'v');
  });

  it('refuses what it cannot honour with the place and the reason', () => {
    const bad: Array<[string, RegExp]> = [
      ['kind: Something\n', /must be an EncryptionConfiguration/],
      [config(aesgcm(['k', Buffer.alloc(10).toString('base64')])), /keys\[0\]\.secret: must decode to 16, 24 or 32 bytes, not 10/],
      [config('      - aescbc:\n          keys:\n            - name: k\n              secret: AAAA\n'), /provider "aescbc" is not supported by skiff/],
      [config('      - aesgcm:\n          keys: []\n'), /aesgcm needs a non-empty keys list/],
      [config(''), /providers must list at least one provider/],
      ['{{{', /not YAML/],
    ];
    for (const [text, message] of bad) assert.throws(() => parseEncryptionConfig(text), (error: unknown) => error instanceof EncryptionConfigError && message.test(error.message), text);
  });
});
