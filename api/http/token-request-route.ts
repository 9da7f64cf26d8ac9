import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, InvalidError } from '../errors.js';
import type { ServiceAccountTokens } from '../auth/service-account-token.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import { FieldErrors } from '../validation/field-errors.js';
import { parseCreateQuery, type Query } from './query-parameters.js';
import { sendObject } from './negotiation.js';
import type { RouteTable } from './status.js';

const TOKEN_URL = '/api/v1/namespaces/:namespace/serviceaccounts/:name/token';
const GROUP_VERSION = 'authentication.k8s.io/v1';
/** Upstream's bounds: an hour by default, never under ten minutes nor over 2^32 seconds. */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: Record<string, unknown> | null;
}

interface TokenRequestBody {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  spec?: TokenRequestSpec;
}

function tokenRequestFrom(request: FastifyRequest): TokenRequestBody {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestError('the body of the request was in an unknown format - expected a TokenRequest object');
  }
  const tokenRequest = body as TokenRequestBody;
  if (tokenRequest.apiVersion && tokenRequest.apiVersion !== GROUP_VERSION) {
    throw new BadRequestError(`the API version in the data (${tokenRequest.apiVersion}) does not match the expected API version (${GROUP_VERSION})`);
  }
  if (tokenRequest.kind && tokenRequest.kind !== 'TokenRequest') {
    throw new BadRequestError(`${tokenRequest.kind} in version "v1" cannot be handled as a TokenRequest: the kind in the body does not match TokenRequest`);
  }
  return tokenRequest;
}

function validateSpec(spec: TokenRequestSpec): FieldErrors {
  const errors = new FieldErrors();
  const seconds = spec.expirationSeconds;
  if (seconds !== undefined) {
    if (!Number.isInteger(seconds)) errors.invalid('spec.expirationSeconds', seconds, 'must be an integer');
    else if (seconds < MIN_EXPIRATION_SECONDS) errors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes');
    else if (seconds > MAX_EXPIRATION_SECONDS) errors.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds');
  }
  if (spec.audiences !== undefined && (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== 'string'))) {
    errors.invalid('spec.audiences', spec.audiences, 'must be a list of strings');
  }
  return errors;
}

/**
 * POST serviceaccounts/{name}/token (authentication.k8s.io/v1 TokenRequest):
 * what `kubectl create token NAME` calls. kubectl sends it as Kubernetes
 * protobuf, decoded by the server-wide parser (api/protobuf/).
 */
export async function registerTokenRequestRoute(
  app: FastifyInstance,
  routes: RouteTable,
  serviceAccounts: GenericRegistry<KubeObject>,
  issuer: ServiceAccountTokens,
): Promise<void> {
  routes.add(TOKEN_URL, 'POST');
  await app.register(async (scope) => {
    scope.route({
      method: 'POST',
      url: TOKEN_URL,
      schema: { tags: ['core/v1'], summary: 'create token of a ServiceAccount', operationId: 'createNamespacedServiceAccountToken' },
      handler: async (request, reply) => {
        const { namespace, name } = request.params as { namespace: string; name: string };
        const tokenRequest = tokenRequestFrom(request);
        const spec = tokenRequest.spec ?? {};
        const errors = validateSpec(spec);
        if (!errors.empty) throw new InvalidError('TokenRequest', name, errors.causes, 'authentication.k8s.io');
        const account = serviceAccounts.get(namespace, name);
        const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : issuer.defaultAudiences;
        const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
        const now = new Date();
        const issued = parseCreateQuery(request.query as Query).dryRun
          ? { token: '', expirationTimestamp: new Date(now.getTime() + expirationSeconds * 1000) }
          : await issuer.issue({ namespace, name, uid: String(account.metadata?.uid ?? '') }, audiences, expirationSeconds, now);
        reply.code(201);
        return sendObject(request, reply, {
          kind: 'TokenRequest',
          apiVersion: GROUP_VERSION,
          metadata: { name, namespace, creationTimestamp: null },
          spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
          status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp.toISOString().replace(/\.\d{3}Z$/, 'Z') },
        });
      },
    });
  });
}
