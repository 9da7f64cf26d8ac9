import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, InvalidError } from '../errors.js';
import { applyPodBinding, validatePodBinding } from '../resources/binding.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import { timestamp } from '../resources/object-meta-defaults.js';
import type { KubeObject } from '../resources/strategy.js';
import { BindingSchema, type Binding } from '../schemas/binding.js';
import type { Pod } from '../schemas/pod.js';
import { parseCreateQuery, type Query } from './query-parameters.js';
import { sendObject } from './negotiation.js';
import { successStatus, type RouteTable } from './status.js';

const BINDING_URL = '/api/v1/namespaces/:namespace/pods/:name/binding';

interface Params {
  namespace: string;
  name: string;
}

/** The request body as a Binding for this pod: the checks the apiserver's decoder and BindingREST make. */
function bindingFrom(request: FastifyRequest, namespace: string, name: string): Binding {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestError('the body of the request was in an unknown format - expected a Binding object');
  }
  const binding = structuredClone(body) as Binding;
  if (binding.apiVersion && binding.apiVersion !== 'v1') {
    throw new BadRequestError(`the API version in the data (${binding.apiVersion}) does not match the expected API version (v1)`);
  }
  if (binding.kind && binding.kind !== 'Binding') {
    throw new BadRequestError(`${binding.kind} in version "v1" cannot be handled as a Binding: the kind in the body does not match Binding`);
  }
  const meta = (binding.metadata ??= {});
  if (meta.namespace && meta.namespace !== namespace) {
    throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
  }
  // Clients always send the pod's name; a body without one is taken to mean the pod in the URL.
  if (!meta.name) meta.name = name;
  if (meta.name !== name) throw new BadRequestError('name in URL does not match name in Binding object');
  return binding;
}

/**
 * POST pods/{name}/binding: assigns a Pending Pod to a Node (what a scheduler
 * does). No ordinary pod update may set spec.nodeName; the registry's
 * `binding` write mode is the one that does, without the update strategy.
 */
export function registerBindingRoute(
  app: FastifyInstance,
  routes: RouteTable,
  pods: GenericRegistry<KubeObject>,
  afterWrite: () => void,
): void {
  routes.add(BINDING_URL, 'POST');
  if (!app.getSchema('Binding')) app.addSchema({ ...BindingSchema, $id: 'Binding' });
  app.route({
    method: 'POST',
    url: BINDING_URL,
    schema: { tags: ['core/v1'], summary: 'create binding of a Pod', operationId: 'createNamespacedPodBinding', body: { $ref: 'Binding#' } },
    handler: async (request, reply) => {
      const { namespace, name } = request.params as Params;
      const { dryRun } = parseCreateQuery(request.query as Query);
      const binding = bindingFrom(request, namespace, name);
      const errors = validatePodBinding(binding);
      if (!errors.empty) throw new InvalidError('Binding', name, errors.causes);
      // One write, as upstream's BindingREST does it: spec.nodeName, the binding's
      // annotations and PodScheduled=True; the Pod admission hooks give it its IP.
      await pods.grouped.modify(namespace, name, (current) => {
        applyPodBinding(current as Pod, binding, timestamp());
        return current;
      }, 'binding', { dryRun });
      afterWrite();
      reply.code(201);
      return sendObject(request, reply, successStatus(201));
    },
  });
}
