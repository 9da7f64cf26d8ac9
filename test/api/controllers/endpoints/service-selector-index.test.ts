import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceSelectorIndex } from '../../../../api/controllers/endpoints/service-selector-index.js';

describe('service selector index', () => {
  it('finds the Services whose whole selector the labels satisfy', () => {
    const index = new ServiceSelectorIndex();
    index.set('default/web', 'default', { app: 'web' });
    index.set('default/web-canary', 'default', { app: 'web', track: 'canary' });
    index.set('default/db', 'default', { app: 'db' });
    assert.deepEqual(index.matching('default', { app: 'web' }).sort(), ['default/web']);
    assert.deepEqual(index.matching('default', { app: 'web', track: 'canary', x: 'y' }).sort(), ['default/web', 'default/web-canary']);
    assert.deepEqual(index.matching('default', { track: 'canary' }), []);
  });

  it('keeps namespaces apart', () => {
    const index = new ServiceSelectorIndex();
    index.set('a/web', 'a', { app: 'web' });
    assert.deepEqual(index.matching('b', { app: 'web' }), []);
  });

  it('follows selector changes and removals', () => {
    const index = new ServiceSelectorIndex();
    index.set('default/web', 'default', { app: 'web' });
    index.set('default/web', 'default', { app: 'api' });
    assert.deepEqual(index.matching('default', { app: 'web' }), []);
    assert.deepEqual(index.matching('default', { app: 'api' }), ['default/web']);
    index.delete('default/web');
    assert.deepEqual(index.matching('default', { app: 'api' }), []);
    assert.equal(index.size, 0);
  });

  it('files a selector under its least shared pair', () => {
    const index = new ServiceSelectorIndex();
    for (let i = 0; i < 50; i++) index.set(`default/s${i}`, 'default', { tier: 'backend', app: `a${i}` });
    // Labels carrying only the shared pair visit no bucket with all 50 Services in it.
    assert.deepEqual(index.matching('default', { tier: 'backend', app: 'a7' }), ['default/s7']);
    assert.deepEqual(index.matching('default', { tier: 'backend' }), []);
  });
});
