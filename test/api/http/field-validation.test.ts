import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, InvalidError } from '../../../api/errors.js';
import { dropUnknownFields, enforceFieldValidation, type FieldValidationContext } from '../../../api/http/field-validation.js';
import { parseCreateQuery } from '../../../api/http/query-parameters.js';

const fieldValidationDirective = (query: Record<string, string>): string => parseCreateQuery(query).fieldValidation;
import { PodSchema } from '../../../api/schemas/pod.js';

function pod(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'x' } },
    spec: { containers: [{ name: 'a', image: 'nginx', resources: { limits: { cpu: '1' }, anything: true } }], ...extra },
  };
}

function context(directive: FieldValidationContext['directive'], warnings: string[] = []): FieldValidationContext {
  return { directive, schema: PodSchema, kind: 'Pod', apiVersion: 'v1', warn: (message) => warnings.push(message) };
}

describe('the fieldValidation directive of CreateOptions', () => {
  it('defaults to Warn, as the API server does', () => {
    assert.equal(fieldValidationDirective({}), 'Warn');
    assert.equal(fieldValidationDirective({ fieldValidation: '' }), 'Warn');
  });

  it('accepts Ignore, Warn and Strict and refuses anything else', () => {
    assert.equal(fieldValidationDirective({ fieldValidation: 'Strict' }), 'Strict');
    assert.equal(fieldValidationDirective({ fieldValidation: 'Ignore' }), 'Ignore');
    assert.throws(() => fieldValidationDirective({ fieldValidation: 'strict' }), InvalidError);
  });
});

describe('dropUnknownFields', () => {
  it('finds nothing in an object the schema describes, maps and free-form fields included', () => {
    const value = pod();
    assert.deepEqual(dropUnknownFields(PodSchema, value), []);
    assert.deepEqual(value, pod());
  });

  it('removes undeclared fields and names them with list indexes, in document order', () => {
    const value = pod({ restartPolicyy: 'Never' });
    (value.spec as { containers: Record<string, unknown>[] }).containers[0]!.imagee = 'x';
    (value.metadata as Record<string, unknown>).labelz = {};
    assert.deepEqual(dropUnknownFields(PodSchema, value), ['metadata.labelz', 'spec.containers[0].imagee', 'spec.restartPolicyy']);
    assert.deepEqual(value, pod());
  });
});

describe('enforceFieldValidation', () => {
  it('refuses unknown fields under Strict with the strict decoding message', () => {
    assert.throws(
      () => enforceFieldValidation(context('Strict'), pod({ foo: 1, bar: 2 }), 'decode'),
      (error: unknown) => error instanceof BadRequestError
        && error.message === 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
    );
    assert.throws(() => enforceFieldValidation(context('Strict'), pod({ foo: 1 }), 'patch'), /^BadRequestError: strict decoding error: unknown field "spec.foo"$/);
  });

  it('drops unknown fields with a warning each under Warn, and silently under Ignore', () => {
    const warnings: string[] = [];
    const warned = pod({ foo: 1 });
    enforceFieldValidation(context('Warn', warnings), warned, 'decode');
    assert.deepEqual(warnings, ['unknown field "spec.foo"']);
    assert.deepEqual(warned, pod());
    const ignored = pod({ foo: 1 });
    enforceFieldValidation(context('Ignore', warnings), ignored, 'decode');
    assert.equal(warnings.length, 1);
    assert.deepEqual(ignored, pod());
  });
});
