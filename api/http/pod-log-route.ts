// GET pods/{name}/log: the API server checks the request and proxies it to
// the kubelet endpoint of the Pod's node (its InternalIP and the port the
// agent reports in status.daemonEndpoints), streaming the answer, as
// kube-apiserver's LogREST does. The request to the agent is plain HTTP and
// the agent trusts the API server by its address: the API server has no
// kubelet client certificate yet.

import type { FastifyInstance } from 'fastify';
import { request as undiciRequest } from 'undici';
import { BadRequestError, InternalError, InvalidError } from '../errors.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import { FieldErrors } from '../validation/field-errors.js';
import type { RouteTable } from './status.js';

const LOG_URL = '/api/v1/namespaces/:namespace/pods/:name/log';
const BOOLEANS = ['follow', 'previous', 'timestamps', 'insecureSkipTLSVerifyBackend'] as const;
const INTEGERS = ['tailLines', 'sinceSeconds', 'limitBytes'] as const;

type Query = Record<string, string | string[] | undefined>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The kubelet query for a valid PodLogOptions, or the errors upstream's ValidatePodLogOptions gives. */
export function podLogQuery(query: Query, name: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of BOOLEANS) {
    const value = single(query, key);
    if (value === undefined) continue;
    if (!['true', 'false', '1', '0', ''].includes(value)) throw new BadRequestError(`invalid value for ${key}: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
    if (key !== 'insecureSkipTLSVerifyBackend') out.set(key, String(value === 'true' || value === '1' || value === ''));
  }
  const errors = new FieldErrors();
  for (const key of INTEGERS) {
    const value = single(query, key);
    if (value === undefined) continue;
    if (!/^-?\d+$/.test(value)) throw new BadRequestError(`invalid value for ${key}: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    const number = Number(value);
    if (key === 'tailLines' && number < 0) errors.invalid('tailLines', number, 'must be greater than or equal to 0');
    if (key === 'sinceSeconds' && number < 1) errors.invalid('sinceSeconds', number, 'must be greater than 0');
    if (key === 'limitBytes' && number < 1) errors.invalid('limitBytes', number, 'must be greater than 0');
    out.set(key, String(number));
  }
  const sinceTime = single(query, 'sinceTime');
  if (sinceTime !== undefined) {
    if (!Number.isFinite(Date.parse(sinceTime))) throw new BadRequestError(`invalid value for sinceTime: parsing time ${JSON.stringify(sinceTime)} as RFC 3339`);
    if (out.has('sinceSeconds')) errors.forbidden('sinceSeconds', 'at most one of `sinceTime` or `sinceSeconds` may be specified');
    out.set('sinceTime', sinceTime);
  }
  if (!errors.empty) throw new InvalidError('PodLogOptions', name, errors.causes);
  return out;
}

/** The container a log request means (upstream's validateContainer rules and messages). */
export function logContainer(pod: Pod, requested: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const podName = pod.metadata.name ?? '';
  if (requested === undefined || requested === '') {
    if (names.length === 1) return names[0]!;
    throw new BadRequestError(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
  }
  const all = [...names, ...((pod.spec as { initContainers?: Array<{ name: string }> } | undefined)?.initContainers ?? []).map((c) => c.name)];
  if (!all.includes(requested)) throw new BadRequestError(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

export function registerPodLogRoute(app: FastifyInstance, routes: RouteTable, pods: GenericRegistry<KubeObject>, nodes: GenericRegistry<KubeObject>): void {
  routes.add(LOG_URL, 'GET');
  app.route({
    method: 'GET',
    url: LOG_URL,
    schema: { tags: ['core/v1'], summary: 'read log of the specified Pod', operationId: 'readNamespacedPodLog' },
    handler: async (request, reply) => {
      const { namespace, name } = request.params as { namespace: string; name: string };
      const query = request.query as Query;
      const pod = pods.get(namespace, name) as Pod;
      const container = logContainer(pod, single(query, 'container'));
      const kubeletQuery = podLogQuery(query, name);
      const nodeName = pod.spec?.nodeName;
      if (!nodeName) throw new BadRequestError(`pod ${name} does not have a host assigned`);
      const node = nodes.get('', nodeName) as Node;
      const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      const port = (node.status as { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } | undefined)?.daemonEndpoints?.kubeletEndpoint?.Port;
      if (address === undefined || port === undefined || port === 0) throw new BadRequestError(`node ${nodeName} does not serve container logs (no InternalIP or kubelet port in its status)`);
      const host = address.includes(':') ? `[${address}]` : address;
      const url = `http://${host}:${port}/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${kubeletQuery}`;
      const abort = new AbortController();
      request.raw.on('close', () => abort.abort());
      let upstream;
      try {
        upstream = await undiciRequest(url, { method: 'GET', signal: abort.signal, headersTimeout: 30_000, bodyTimeout: 0 });
      } catch (error) {
        throw new InternalError(`Get "${url}": ${error instanceof Error ? error.message : String(error)}`);
      }
      if (upstream.statusCode !== 200) {
        const text = (await upstream.body.text()).trim();
        if (upstream.statusCode === 404 || upstream.statusCode === 400) throw new BadRequestError(text);
        throw new InternalError(`the node ${nodeName} answered ${upstream.statusCode}: ${text}`);
      }
      reply.header('content-type', 'text/plain');
      reply.header('cache-control', 'no-cache');
      upstream.body.on('error', () => undefined);
      return reply.send(upstream.body);
    },
  });
}
