import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configMapCells, configMapColumns } from '../../../api/tables/configmap-columns.js';
import { secretCells, secretColumns } from '../../../api/tables/secret-columns.js';

const NOW = Date.parse('2024-05-01T10:05:00Z');
const CREATED = '2024-05-01T10:00:00Z';

describe('ConfigMap and Secret columns', () => {
  it('prints a ConfigMap as NAME, DATA (data and binaryData keys together), AGE', () => {
    assert.deepEqual(configMapColumns.map((c) => c.name), ['Name', 'Data', 'Age']);
    const cm = { metadata: { name: 'cfg', creationTimestamp: CREATED }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    assert.deepEqual(configMapCells(cm, NOW), ['cfg', 3, '5m']);
    assert.deepEqual(configMapCells({ metadata: { name: 'empty', creationTimestamp: CREATED } }, NOW), ['empty', 0, '5m']);
  });

  it('prints a Secret as NAME, TYPE, DATA, AGE', () => {
    assert.deepEqual(secretColumns.map((c) => c.name), ['Name', 'Type', 'Data', 'Age']);
    const secret = { metadata: { name: 'tls', creationTimestamp: CREATED }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Yw==', 'tls.key': 'aw==' } };
    assert.deepEqual(secretCells(secret, NOW), ['tls', 'kubernetes.io/tls', 2, '5m']);
  });
});
