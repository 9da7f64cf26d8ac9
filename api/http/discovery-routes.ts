import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceKind } from '../resources/resource-kind.js';

/** What discovery tells of a kind; virtual resources (access reviews) have no more than this. */
export type DiscoveredKind = Pick<ResourceKind<KubeObject>, 'group' | 'version' | 'resource' | 'singular' | 'kind' | 'namespaced' | 'verbs' | 'shortNames' | 'categories' | 'subresources'>;
import { groupVersionPath } from '../resources/resource-kind.js';
import type { KubeObject } from '../resources/strategy.js';
import type { RouteTable } from './status.js';

const AGGREGATED_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATED_BETA_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated-discovery version the client accepts, if any (kubectl ≥1.26 asks for v2 first). */
function aggregatedVersion(request: FastifyRequest): 'v2' | 'v2beta1' | undefined {
  const accept = (request.headers.accept ?? '').replace(/\s+/g, '').toLowerCase();
  for (const part of accept.split(',')) {
    if (!part.includes('as=apigroupdiscoverylist') || !part.includes('g=apidiscovery.k8s.io')) continue;
    if (part.includes('v=v2beta1')) return 'v2beta1';
    if (part.includes('v=v2')) return 'v2';
  }
  return undefined;
}

interface GroupVersion {
  group: string;
  version: string;
  kinds: DiscoveredKind[];
}

function groupVersions(kinds: readonly DiscoveredKind[]): GroupVersion[] {
  const byKey = new Map<string, GroupVersion>();
  for (const kind of kinds) {
    const key = `${kind.group}/${kind.version}`;
    let gv = byKey.get(key);
    if (!gv) byKey.set(key, (gv = { group: kind.group, version: kind.version, kinds: [] }));
    gv.kinds.push(kind);
  }
  return [...byKey.values()];
}

function subresourceVerbs(subresource: string): string[] {
  return subresource === 'binding' || subresource === 'token' ? ['create'] : ['get', 'patch', 'update'];
}

function subresourceKind(kind: DiscoveredKind, subresource: string): { group: string; version: string; kind: string } {
  if (subresource === 'binding') return { group: '', version: 'v1', kind: 'Binding' };
  if (subresource === 'token') return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
  return { group: kind.group, version: kind.version, kind: kind.kind };
}

function aggregatedGroup(name: string, versions: GroupVersion[]): unknown {
  return {
    metadata: { name, creationTimestamp: null },
    versions: versions.map((gv) => ({
      version: gv.version,
      freshness: 'Current',
      resources: gv.kinds.map((kind) => ({
        resource: kind.resource,
        responseKind: { group: kind.group, version: kind.version, kind: kind.kind },
        scope: kind.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: kind.singular,
        verbs: [...kind.verbs].sort(),
        ...(kind.shortNames.length ? { shortNames: kind.shortNames } : {}),
        ...(kind.categories.length ? { categories: kind.categories } : {}),
        ...(kind.subresources.length
          ? { subresources: kind.subresources.map((sub) => ({ subresource: sub, responseKind: subresourceKind(kind, sub), verbs: subresourceVerbs(sub) })) }
          : {}),
      })),
    })),
  };
}

function resourceList(gv: GroupVersion): unknown {
  const groupVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
  const resources: unknown[] = [];
  for (const kind of gv.kinds) {
    resources.push({
      name: kind.resource,
      singularName: kind.singular,
      namespaced: kind.namespaced,
      kind: kind.kind,
      verbs: [...kind.verbs].sort(),
      ...(kind.shortNames.length ? { shortNames: kind.shortNames } : {}),
      ...(kind.categories.length ? { categories: kind.categories } : {}),
    });
    for (const sub of kind.subresources) {
      const k = subresourceKind(kind, sub);
      resources.push({ name: `${kind.resource}/${sub}`, singularName: '', namespaced: kind.namespaced, ...(k.group !== kind.group ? { group: k.group, version: k.version } : {}), kind: k.kind, verbs: subresourceVerbs(sub) });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

/**
 * /api, /apis and the per-group-version resource lists, in both the
 * aggregated form kubectl asks for first and the legacy form it falls back to.
 */
export function registerDiscoveryRoutes(app: FastifyInstance, routes: RouteTable, kinds: readonly DiscoveredKind[]): void {
  const all = groupVersions(kinds);
  const core = all.filter((gv) => gv.group === '');
  const named = all.filter((gv) => gv.group !== '');
  const groups = [...new Set(named.map((gv) => gv.group))];
  const hidden = { schema: { hide: true } };
  const send = (request: FastifyRequest, legacy: () => unknown, aggregated: () => unknown) => {
    const version = aggregatedVersion(request);
    if (version) {
      const body = aggregated() as Record<string, unknown>;
      return { type: version === 'v2' ? AGGREGATED_TYPE : AGGREGATED_BETA_TYPE, body: JSON.stringify({ kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, ...body }) };
    }
    return { type: 'application/json', body: JSON.stringify(legacy()) };
  };

  routes.add('/api', 'GET');
  app.get('/api', hidden, async (request, reply) => {
    const { type, body } = send(
      request,
      () => ({ kind: 'APIVersions', versions: core.map((gv) => gv.version), serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: request.headers.host ?? '' }] }),
      () => ({ items: [aggregatedGroup('', core)] }),
    );
    return reply.type(type).header('Vary', 'Accept').send(body);
  });
  routes.add('/apis', 'GET');
  app.get('/apis', hidden, async (request, reply) => {
    const { type, body } = send(
      request,
      () => ({
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((name) => {
          const versions = named.filter((gv) => gv.group === name).map((gv) => ({ groupVersion: `${name}/${gv.version}`, version: gv.version }));
          return { name, versions, preferredVersion: versions[0] };
        }),
      }),
      () => ({ items: groups.map((name) => aggregatedGroup(name, named.filter((gv) => gv.group === name))) }),
    );
    return reply.type(type).header('Vary', 'Accept').send(body);
  });
  for (const name of groups) {
    const versions = named.filter((gv) => gv.group === name).map((gv) => ({ groupVersion: `${name}/${gv.version}`, version: gv.version }));
    routes.add(`/apis/${name}`, 'GET');
    app.get(`/apis/${name}`, hidden, async (_request, reply) =>
      reply.type('application/json').send(JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', name, versions, preferredVersion: versions[0] })));
  }
  for (const gv of all) {
    const url = groupVersionPath(gv);
    const body = JSON.stringify(resourceList(gv));
    routes.add(url, 'GET');
    app.get(url, hidden, async (_request, reply) => reply.type('application/json').send(body));
  }
}
