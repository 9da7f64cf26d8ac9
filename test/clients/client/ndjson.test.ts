import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NdjsonDecoder, NdjsonSyntaxError } from '../../../clients/client/ndjson.js';

describe('NdjsonDecoder', () => {
  it('returns one value per complete line', () => {
    const decoder = new NdjsonDecoder();
    assert.deepEqual(decoder.push('{"a":1}\n{"b":2}\n'), [{ a: 1 }, { b: 2 }]);
  });

  it('holds a line split across chunks until its newline arrives', () => {
    const decoder = new NdjsonDecoder();
    assert.deepEqual(decoder.push('{"type":"ADD'), []);
    assert.deepEqual(decoder.push('ED","object":{}}\n{"ty'), [{ type: 'ADDED', object: {} }]);
    assert.deepEqual(decoder.push('pe":"DELETED"}\n'), [{ type: 'DELETED' }]);
  });

  it('reassembles a multi-byte UTF-8 character cut between chunks', () => {
    const bytes = Buffer.from('{"name":"café ☃"}\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside the snowman's three bytes
    const decoder = new NdjsonDecoder();
    assert.deepEqual(decoder.push(bytes.subarray(0, cut)), []);
    assert.deepEqual(decoder.push(bytes.subarray(cut)), [{ name: 'café ☃' }]);
  });

  it('decodes byte-by-byte delivery', () => {
    const bytes = Buffer.from('{"x":"ü"}\n{"y":2}\n');
    const decoder = new NdjsonDecoder();
    const values: unknown[] = [];
    for (const byte of bytes) values.push(...decoder.push(Uint8Array.of(byte)));
    assert.deepEqual(values, [{ x: 'ü' }, { y: 2 }]);
  });

  it('skips blank lines and CRLF line ends', () => {
    const decoder = new NdjsonDecoder();
    assert.deepEqual(decoder.push('\n{"a":1}\r\n\r\n{"b":2}\n'), [{ a: 1 }, { b: 2 }]);
  });

  it('flushes a final line without a newline at end()', () => {
    const decoder = new NdjsonDecoder();
    assert.deepEqual(decoder.push('{"a":1}\n{"b":'), [{ a: 1 }]);
    assert.deepEqual(decoder.push('2}'), []);
    assert.deepEqual(decoder.end(), [{ b: 2 }]);
  });

  it('throws NdjsonSyntaxError naming the malformed line', () => {
    const decoder = new NdjsonDecoder();
    assert.throws(() => decoder.push('{"a":1}\nnot json\n'), (error: unknown) => {
      assert.ok(error instanceof NdjsonSyntaxError);
      assert.equal(error.line, 'not json');
      return true;
    });
  });
});
