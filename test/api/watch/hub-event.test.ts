import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HubEvent } from '../../../api/watch/hub-event.js';
import { unframe } from '../../../api/watch/watch-frame.js';
import type { StoreEvent } from '../../../storage/store.js';

const before = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'default', labels: { app: 'web' }, resourceVersion: '7' }, spec: {} };
const after = { ...before, metadata: { ...before.metadata, labels: { app: 'db' }, resourceVersion: '9' } };
const modified: StoreEvent = {
  revision: 9, type: 'MODIFIED', resource: 'services', namespace: 'default', name: 'a', value: JSON.stringify(after), previous: JSON.stringify(before),
};
const lineOf = (frame: Buffer) => JSON.parse(unframe(frame).toString()) as { type: string; object: typeof before };

describe('HubEvent', () => {
  it('encodes each (type, representation) once and shares the Buffer', () => {
    const event = new HubEvent(modified);
    assert.equal(event.frame('MODIFIED'), event.frame('MODIFIED'));
    let renders = 0;
    const render = (object: unknown) => {
      renders++;
      return JSON.stringify({ kind: 'Table', rows: [object] });
    };
    assert.equal(event.frame('MODIFIED', 'table', render), event.frame('MODIFIED', 'table', render));
    assert.equal(renders, 1);
    assert.notEqual(event.frame('MODIFIED', 'table;includeObject=None', render), event.frame('MODIFIED', 'table', render));
    assert.equal(renders, 2);
  });

  it('sends the stored JSON text as it is for a plain event', () => {
    const frame = new HubEvent(modified).frame('MODIFIED');
    assert.equal(unframe(frame).toString(), `{"type":"MODIFIED","object":${modified.value}}\n`);
  });

  it('sends an object that stopped matching as DELETED with its previous state at the change’s resourceVersion', () => {
    const sent = lineOf(new HubEvent(modified).frame('DELETED'));
    assert.equal(sent.type, 'DELETED');
    assert.deepEqual(sent.object, { ...before, metadata: { ...before.metadata, resourceVersion: '9' } });
  });

  it('sends an object that started matching as ADDED with its new state', () => {
    assert.deepEqual(lineOf(new HubEvent(modified).frame('ADDED')), { type: 'ADDED', object: after });
  });

  it('frames each event as one HTTP chunk holding one newline-terminated line, sized in bytes', () => {
    const unicode = { ...after, metadata: { ...after.metadata, annotations: { note: 'naïve — 日本語 ✓' } } };
    const frame = new HubEvent({ ...modified, value: JSON.stringify(unicode) }).frame('MODIFIED');
    const text = frame.toString();
    const size = Number.parseInt(text.slice(0, text.indexOf('\r\n')), 16);
    assert.equal(size, unframe(frame).length);
    assert.ok(text.endsWith('}\n\r\n'));
  });
});
