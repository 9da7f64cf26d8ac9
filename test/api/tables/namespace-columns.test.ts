import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceCells, namespaceColumns } from '../../../api/tables/namespace-columns.js';
import { NOW, ago } from './fixtures.js';

describe('namespace columns', () => {
  it('defines Name, Status, Age', () => {
    assert.deepEqual(namespaceColumns.map((c) => c.name), ['Name', 'Status', 'Age']);
  });

  it('prints the phase', () => {
    assert.deepEqual(namespaceCells({ metadata: { name: 'default', creationTimestamp: ago(400 * 86400) }, status: { phase: 'Active' } }, NOW), ['default', 'Active', '400d']);
    assert.deepEqual(namespaceCells({ metadata: { name: 'old', creationTimestamp: ago(60) }, status: { phase: 'Terminating' } }, NOW), ['old', 'Terminating', '60s']);
  });

  it('prints an empty status when the phase is missing', () => {
    assert.deepEqual(namespaceCells({ metadata: { name: 'x' } }, NOW), ['x', '', '<unknown>']);
  });
});
