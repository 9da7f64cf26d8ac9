import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors.js';
import type { Pod } from '../schemas/pod.js';
import { ALLOWED, NO_OPINION, type Authorizer } from './authorizer.js';
import type { UserAdmission } from './authorization-hook.js';
import { NODE_RULES } from './bootstrap-policy.js';
import { rulesAllow } from './policy-rules.js';
import type { RequestAttributes } from './request-attributes.js';
import type { UserInfo } from './user-info.js';

// The Node authorizer and NodeRestriction admission: an agent's credentials
// (`system:node:NAME` in `system:nodes`) reach what a node needs — Services,
// EndpointSlices, Nodes, the Pods bound to it — and may write only its own
// Node, its own Lease and the status of its own Pods. The authorizer decides
// from the URL; the admission half needs the body or the stored Pod.

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The node a user is the agent of, as upstream's NodeIdentifier reads it; undefined for anyone else. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  const name = user.name.slice(NODE_USER_PREFIX.length);
  return name === '' ? undefined : name;
}

export type PodLookup = (namespace: string, name: string) => Pod | undefined;

function isCorePod(attributes: RequestAttributes): boolean {
  return attributes.resourceRequest && attributes.apiGroup === '' && attributes.resource === 'pods';
}

/** `--authorization-mode Node`. */
export function nodeAuthorizer(lookupPod: PodLookup): Authorizer {
  return {
    authorize(attributes) {
      const node = nodeNameOf(attributes.user);
      if (node === undefined) return NO_OPINION;
      // Reading one Pod needs a relationship: the Pod runs on this node. Lists and watches of all Pods stay open, as for kubelets.
      if (isCorePod(attributes) && attributes.subresource === '' && attributes.verb === 'get') {
        const pod = lookupPod(attributes.namespace, attributes.name);
        if (pod?.spec?.nodeName === node) return ALLOWED;
        return { decision: 'NoOpinion', reason: `no relationship found between node '${node}' and this object` };
      }
      return rulesAllow(attributes, NODE_RULES) ? ALLOWED : NO_OPINION;
    },
  };
}

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function bodyName(request: FastifyRequest): string {
  const body = request.body as { metadata?: { name?: unknown } } | undefined;
  return typeof body?.metadata?.name === 'string' ? body.metadata.name : '';
}

/** NodeRestriction: what a node may write is limited to itself, whatever the rules allow. */
export function nodeRestrictionAdmission(lookupPod: PodLookup): UserAdmission {
  return (attributes, request) => {
    const node = nodeNameOf(attributes.user);
    if (node === undefined || !attributes.resourceRequest || !MUTATING.has(attributes.verb)) return;
    const name = attributes.verb === 'create' ? bodyName(request) : attributes.name;
    if (attributes.apiGroup === '' && attributes.resource === 'nodes') {
      if (name !== node) throw ForbiddenError.forResource('nodes', name, '', `node "${node}" is not allowed to modify node "${name}"`);
      return;
    }
    if (isCorePod(attributes)) {
      const pod = lookupPod(attributes.namespace, attributes.name);
      // A missing Pod is the handler's 404 to give.
      if (!pod || pod.spec?.nodeName === node) return;
      if (attributes.subresource === 'status') {
        throw ForbiddenError.forResource('pods', name, '', `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
      }
      if (attributes.verb === 'delete' && attributes.subresource === '') {
        throw ForbiddenError.forResource('pods', name, '', `node "${node}" can only delete pods with spec.nodeName set to itself`);
      }
      return;
    }
    if (attributes.apiGroup === 'coordination.k8s.io' && attributes.resource === 'leases') {
      if (attributes.namespace !== NODE_LEASE_NAMESPACE) {
        throw ForbiddenError.forResource('leases', name, 'coordination.k8s.io', `can only access leases in the "${NODE_LEASE_NAMESPACE}" namespace`);
      }
      if (name !== node) throw ForbiddenError.forResource('leases', name, 'coordination.k8s.io', 'can only access node lease with the same name as the requesting node');
    }
  };
}
