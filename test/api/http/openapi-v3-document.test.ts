import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupVersionDocument, type JsonSchema, type OpenApiPathItem } from '../../../api/http/openapi-v3-document.js';
import { buildKinds } from '../../../api/resources/kinds.js';

const pathParameter = (name: string): JsonSchema => ({ name, in: 'path', required: true, schema: { type: 'string' } });

const PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/namespaces/{namespace}/pods': {
    get: { operationId: 'listNamespacedPod', parameters: [pathParameter('namespace')] },
    post: { operationId: 'createNamespacedPod', parameters: [pathParameter('namespace')] },
  },
  '/api/v1/namespaces/{namespace}/pods/{name}': {
    patch: { operationId: 'patchNamespacedPod', parameters: [pathParameter('namespace'), pathParameter('name')] },
  },
  '/api/v1/namespaces/{namespace}/services/{name}/status': {
    patch: { operationId: 'patchNamespacedServiceStatus', parameters: [pathParameter('namespace'), pathParameter('name')] },
  },
  '/api/v1/somewhere/else': { get: { operationId: 'unrelated' } },
};

function document() {
  const core = buildKinds().filter((kind) => kind.group === '');
  return groupVersionDocument({ openapi: '3.0.3', info: { title: 't', version: 'v' } }, PATHS, core);
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

describe('groupVersionDocument', () => {
  it('marks each operation with its kind and action, and gives PATCH the fieldValidation parameter kubectl looks for', () => {
    const doc = document();
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.patch;
    assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
    assert.equal(patch?.['x-kubernetes-action'], 'patch');
    const names = (patch?.parameters ?? []).map((p) => `${p.in}:${p.name}`);
    assert.ok(names.includes('query:fieldValidation'));
    assert.ok(names.includes('path:name') && names.includes('path:namespace'));
    assert.deepEqual(Object.keys((patch?.requestBody as { content: object }).content).sort(), [
      'application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
    ]);
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods']?.get?.['x-kubernetes-action'], 'list');
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods']?.post?.['x-kubernetes-action'], 'post');
    assert.deepEqual(doc.paths['/api/v1/namespaces/{namespace}/services/{name}/status']?.patch?.['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Service' });
    assert.equal(doc.paths['/api/v1/somewhere/else'], undefined);
  });

  it('names components after upstream definitions and keeps the group-version-kind on each kind', () => {
    const schemas = document().components?.schemas ?? {};
    assert.deepEqual(schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
    assert.deepEqual(schemas['io.k8s.api.core.v1.PodList']?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'PodList' }]);
    assert.ok(schemas['io.k8s.api.core.v1.Event']);
    assert.equal(schemas.Pod, undefined);
    assert.equal(schemas['io.k8s.api.core.v1.Pod']?.title, undefined);
  });

  it('refers to named types with allOf from fields and $ref from list items, so explain can name them', () => {
    const schemas = document().components?.schemas ?? {};
    const pod = schemas['io.k8s.api.core.v1.Pod']?.properties as Record<string, JsonSchema>;
    assert.deepEqual(pod.spec?.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec']?.properties as Record<string, JsonSchema>;
    assert.deepEqual(podSpec.containers?.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
    const servicePort = schemas['io.k8s.api.core.v1.ServicePort']?.properties as Record<string, JsonSchema>;
    assert.deepEqual(servicePort.targetPort?.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
    assert.equal(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.format, 'int-or-string');
  });

  it('publishes the strategic-merge keys on the fields they belong to', () => {
    const schemas = document().components?.schemas ?? {};
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec']?.properties as Record<string, JsonSchema>;
    assert.equal(podSpec.containers?.['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(podSpec.containers?.['x-kubernetes-patch-strategy'], 'merge');
    const container = schemas['io.k8s.api.core.v1.Container']?.properties as Record<string, JsonSchema>;
    assert.equal(container.ports?.['x-kubernetes-patch-merge-key'], 'containerPort');
    const serviceSpec = schemas['io.k8s.api.core.v1.ServiceSpec']?.properties as Record<string, JsonSchema>;
    assert.equal(serviceSpec.ports?.['x-kubernetes-patch-merge-key'], 'port');
    // Atomic lists carry no strategy, as upstream writes them.
    assert.equal(serviceSpec.ipFamilies?.['x-kubernetes-patch-strategy'], undefined);
  });

  it('leaves no reference dangling', () => {
    const doc = document();
    const schemas = doc.components?.schemas ?? {};
    for (const ref of refsIn(doc)) {
      assert.ok(schemas[ref.replace('#/components/schemas/', '')], `${ref} resolves`);
    }
  });
});
