import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/resources/strategy.js';
import { parseIncludeObject } from '../../../api/tables/include-object.js';
import { KubeTableRenderer } from '../../../api/tables/table-renderer.js';
import { NOW, ago } from './fixtures.js';

interface Table {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: Array<{ name: string; type: string; format: string; description: string; priority: number }>;
  rows: Array<{ cells: unknown[]; conditions?: unknown[]; object?: Record<string, unknown> }>;
}

const renderer = new KubeTableRenderer({ now: () => new Date(NOW) });

function pod(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1010',
      creationTimestamp: ago(300),
      labels: { app: 'web' },
      annotations: { note: 'x' },
    },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-1' },
    status: { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
    ...extra,
  } as KubeObject;
}

function list(items: KubeObject[], extra: { continueToken?: string; remainingItemCount?: number } = {}) {
  return { items, resourceVersion: '1011', ...extra };
}

function parse(text: string): Table {
  return JSON.parse(text) as Table;
}

describe('KubeTableRenderer', () => {
  it('supports the kinds it has printers for', () => {
    for (const resource of ['pods', 'services', 'endpoints', 'endpointslices', 'nodes', 'namespaces', 'leases', 'events', 'configmaps', 'secrets']) {
      assert.equal(renderer.supports(resource), true, resource);
    }
    assert.equal(renderer.supports('widgets'), false);
  });

  it('renders a list as a meta.k8s.io/v1 Table with every column', () => {
    const table = parse(renderer.renderList('pods', list([pod('web-1'), pod('web-2')]), undefined));
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '1011' });
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    assert.deepEqual(Object.keys(table.columnDefinitions[0]!), ['name', 'type', 'format', 'description', 'priority']);
    assert.deepEqual(table.rows.map((r) => r.cells), [
      ['web-1', '1/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', '<none>', '<none>'],
      ['web-2', '1/1', 'Running', '0', '5m', '10.244.0.5', 'node-1', '<none>', '<none>'],
    ]);
  });

  it('carries the continue token and remaining item count', () => {
    const table = parse(renderer.renderList('pods', list([pod('a')], { continueToken: 'abc', remainingItemCount: 4 }), undefined));
    assert.deepEqual(table.metadata, { resourceVersion: '1011', continue: 'abc', remainingItemCount: 4 });
  });

  it('renders an empty list with its columns and no rows', () => {
    const table = parse(renderer.renderList('services', list([]), undefined));
    assert.deepEqual(table.rows, []);
    assert.equal(table.columnDefinitions.length, 7);
  });

  it('includes PartialObjectMetadata with the full metadata by default', () => {
    const source = pod('web-1');
    for (const includeObject of [undefined, '', 'Metadata']) {
      const row = parse(renderer.renderList('pods', list([source]), includeObject)).rows[0]!;
      assert.deepEqual(row.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: source.metadata });
    }
  });

  it('includes the whole object for includeObject=Object', () => {
    const source = pod('web-1');
    assert.deepEqual(parse(renderer.renderList('pods', list([source]), 'Object')).rows[0]!.object, source);
  });

  it('leaves the object out for includeObject=None', () => {
    const row = parse(renderer.renderList('pods', list([pod('web-1')]), 'None')).rows[0]!;
    assert.equal('object' in row, false);
    assert.equal(row.cells[0], 'web-1');
  });

  it('rejects an unknown includeObject with the API server message', () => {
    assert.throws(() => renderer.renderList('pods', list([pod('a')]), 'Everything'), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.equal(err.message, `Unable to convert to Table as requested: includeObject: Invalid value: "Everything": must be 'Metadata', 'Object', 'None', or empty`);
      return true;
    });
    assert.throws(() => renderer.renderEvent('pods', pod('a'), 'metadata'), BadRequestError);
    assert.throws(() => parseIncludeObject('object'), BadRequestError);
  });

  it('renders a watch event as a one-row Table at the object resourceVersion', () => {
    const table = parse(renderer.renderEvent('pods', pod('w1'), undefined));
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.metadata, { resourceVersion: '1010' });
    assert.equal(table.columnDefinitions.length, 9);
    assert.equal(table.rows.length, 1);
    assert.equal(table.rows[0]!.cells[0], 'w1');
    assert.equal(table.rows[0]!.object?.kind, 'PartialObjectMetadata');
  });

  it('passes a Status through a watch untransformed', () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 };
    assert.deepEqual(JSON.parse(renderer.renderEvent('pods', status, undefined)), status);
  });

  it('adds the Completed condition to rows of finished pods', () => {
    const done = pod('job-1', { status: { phase: 'Succeeded' } });
    const table = parse(renderer.renderList('pods', list([done, pod('web-1')]), undefined));
    assert.equal((table.rows[0]!.conditions?.[0] as { type: string }).type, 'Completed');
    assert.equal('conditions' in table.rows[1]!, false);
  });

  it('measures ages against the injected clock', () => {
    const later = new KubeTableRenderer({ now: () => new Date(NOW + 2 * 86400_000) });
    assert.equal(parse(later.renderList('pods', list([pod('a')]), undefined)).rows[0]!.cells[4], '2d');
  });

  it('falls back to Name and Created At for a resource without a printer', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'cfg', creationTimestamp: '2024-05-01T10:00:00Z' } } as KubeObject;
    const table = parse(renderer.renderList('widgets', list([widget]), undefined));
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Created At']);
    assert.deepEqual(table.rows[0]!.cells, ['cfg', '2024-05-01T10:00:00Z']);
  });

  it('renders malformed items without throwing', () => {
    const junk = [null, 42, {}, { metadata: null }] as unknown as KubeObject[];
    for (const resource of ['pods', 'services', 'endpoints', 'endpointslices', 'nodes', 'namespaces', 'leases', 'events', 'configmaps', 'secrets']) {
      const table = parse(renderer.renderList(resource, list(junk), undefined));
      assert.equal(table.rows.length, junk.length);
      assert.deepEqual(table.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {} });
    }
  });

  it('renders ten thousand pods', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => pod(`pod-${i}`));
    const table = parse(renderer.renderList('pods', list(items), undefined));
    assert.equal(table.rows.length, 10_000);
    assert.equal(table.rows[9_999]!.cells[0], 'pod-9999');
  });
});
