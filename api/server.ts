import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { parse as parseQueryString } from 'node:querystring';
import { SqliteStore } from '../storage/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { AlreadyExistsError } from './errors.js';
import { registerContentTypes } from './http/content-types.js';
import { registerDiscoveryRoutes } from './http/discovery-routes.js';
import { registerHealthRoutes, KUBERNETES_VERSION } from './http/health-routes.js';
import { registerOpenApiRoutes } from './http/openapi-routes.js';
import { completeResourceOperations } from './http/openapi-generic-document.js';
import { registerSharedSchemas } from './http/openapi-shared-schemas.js';
import type { OpenApiDocument } from './http/openapi-v3-document.js';
import { registerResourceRoutes, type ResourceRouteContext } from './http/resource-routes.js';
import { installErrorHandling, MAX_BODY_BYTES, RouteTable } from './http/status.js';
import { GenericRegistry } from './resources/generic-registry.js';
import { buildKinds } from './resources/kinds.js';
import { parseCidr } from './allocators/cidr.js';
import type { ResourceKind } from './resources/resource-kind.js';
import type { KubeObject } from './resources/strategy.js';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from './server-config.js';
import { KubeTableRenderer } from './tables/table-renderer.js';
import { WatchHub } from './watch/watch-hub.js';
import { ControllerManager } from './controllers/controller-manager.js';
import { admissionChain } from './admission/admission-chain.js';
import { deferredHooks, type AdmissionChain } from './admission/admission-hooks.js';
import { registerBindingRoute } from './http/binding-route.js';
import { AuditLog, installAuditLog } from './audit/audit-log.js';
import { loadEncryptionConfig } from './encryption/encryption-config.js';
import { installInflightLimits, type InflightCounters } from './http/inflight-limit.js';
import { installAuthentication } from './auth/authentication-hook.js';
import { RequestAuthenticator } from './auth/request-authenticator.js';
import type { TokenAuthenticator } from './auth/token-authenticator.js';
import { ServiceAccountTokens } from './auth/service-account-token.js';
import { ServiceAccountTokenAuthenticator } from './auth/service-account-authenticator.js';
import { newSigningKeyPair } from './pki/pki-folder.js';
import { registerTokenRequestRoute } from './http/token-request-route.js';
import { TokenFileAuthenticator } from './auth/token-file-authenticator.js';
import { ServerAuthorization } from './auth/authorization.js';
import { upgradeAuthorization } from './auth/upgrade-authorization.js';
import { registerReviewRoutes, REVIEW_KINDS } from './auth/review-routes.js';
import { registerPodLogRoute } from './http/pod-log-route.js';
import { registerPodExecUpgrade } from './http/pod-exec-upgrade.js';

/** Namespaces Kubernetes creates at start-up. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export type Registries = ReadonlyMap<string, GenericRegistry<KubeObject>>;

/**
 * One skiff API server: store, registries, watch hub, controllers and the
 * fastify app. Created with its configuration and closed explicitly, so tests
 * can run several side by side.
 */
export class SkiffServer {
  private compactionTimer: NodeJS.Timeout | undefined;
  private controllers: ControllerManager | undefined;
  private ready = false;
  private closing = false;
  private readonly activeWatches = new Set<() => void>();
  /** Requests and watches in flight now, as the limits count them. */
  inflight: InflightCounters | undefined;
  private audit: AuditLog | undefined;
  readonly authorization: ServerAuthorization;

  private constructor(
    readonly config: ServerConfig,
    readonly app: FastifyInstance,
    readonly store: Store,
    readonly hub: WatchHub,
    readonly registries: Registries,
    readonly kinds: readonly ResourceKind<KubeObject>[],
    readonly serviceAccountTokens: ServiceAccountTokens,
  ) {
    this.authorization = new ServerAuthorization({ modes: config.authorizationModes, registries, hub, afterWrite: () => hub.notify(), log: app.log });
  }

  static async create(overrides: Partial<ServerConfig> = {}): Promise<SkiffServer> {
    const config: ServerConfig = { ...DEFAULT_SERVER_CONFIG, ...overrides };
    const transformers = config.encryptionKeyFile ? loadEncryptionConfig(config.encryptionKeyFile) : undefined;
    const store = new SqliteStore({ path: config.dataPath, transformers });
    const hub = new WatchHub(store, config.watchHub);
    const app = Fastify({
      // Client certificates are optional (tokens and anonymous health checks need none)
      // but verified against the client CA when given; authentication reads the verdict.
      ...(config.tls ? { https: { key: config.tls.key, cert: config.tls.cert, ca: config.tls.clientCa, requestCert: true, rejectUnauthorized: false } } : {}),
      logger: { level: config.logLevel },
      // Two log lines per request drown what matters; failures are logged by the error handler.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: MAX_BODY_BYTES,
      // Kubernetes object names run to 253 characters.
      routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true, querystringParser: (text: string) => parseQueryString(text) },
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false, allErrors: false } },
      forceCloseConnections: 'idle',
      return503OnClosing: true,
    }) as unknown as FastifyInstance;
    const kinds = buildKinds({ servicePrimaryIPFamily: parseCidr(config.serviceCidr).family === 6 ? 'IPv6' : 'IPv4' });
    const registries = new Map<string, GenericRegistry<KubeObject>>();
    const admission: AdmissionChain = new Map();
    for (const kind of kinds) registries.set(kind.resource, new GenericRegistry(kind, store, deferredHooks(kind.resource, admission)));
    for (const [resource, hooks] of admissionChain(config, registries, app.log)) admission.set(resource, hooks);
    // Without a key from the PKI folder (plain-HTTP tests), tokens are signed with one that lives as long as the process.
    const serviceAccountTokens = await ServiceAccountTokens.create(config.serviceAccountKeys ?? newSigningKeyPair(), config.serviceAccountIssuer);
    const server = new SkiffServer(config, app, store, hub, registries, kinds, serviceAccountTokens);
    await server.buildRoutes();
    return server;
  }

  private async buildRoutes(): Promise<void> {
    const app = this.app;
    const routes = new RouteTable();
    registerContentTypes(app, MAX_BODY_BYTES);
    installErrorHandling(app, routes);
    // One authenticator (the token file read once) for fastify's hook and for exec upgrades, which bypass it.
    const authenticator = new RequestAuthenticator(this.tokenAuthenticators());
    const insecure = this.config.tls === undefined;
    installAuthentication(app, authenticator, insecure);
    this.authorization.install(app);
    if (this.config.auditLogPath) {
      this.audit = AuditLog.open(this.config.auditLogPath, app.log);
      // Before the limits, so requests they refuse are audited too.
      installAuditLog(app, this.audit);
    }
    this.inflight = installInflightLimits(app, this.config.inflight);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'skiff',
          description: 'A small Kubernetes-style control plane: the Kubernetes core/v1, discovery.k8s.io/v1 and coordination.k8s.io/v1 subset skiff serves.',
          version: KUBERNETES_VERSION.gitVersion,
        },
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
      // Documentation only: the route schemas that fastify validates stay as they are.
      transformObject: (document) => {
        if (!('openapiObject' in document)) throw new Error('skiff documents its API as OpenAPI 3');
        return completeResourceOperations(document.openapiObject as unknown as OpenApiDocument, this.kinds) as never;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    registerSharedSchemas(app, this.kinds);

    this.hub.onListenerError((err) => app.log.error({ err }, 'a watch hub listener failed'));
    const context: ResourceRouteContext = {
      hub: this.hub,
      routes,
      watchOptions: this.config.watchStream,
      afterWrite: () => this.hub.notify(),
      tables: new KubeTableRenderer(),
      activeWatches: this.activeWatches,
    };
    for (const registry of this.registries.values()) registerResourceRoutes(app, registry, context);
    registerBindingRoute(app, routes, this.registry('pods'), () => this.hub.notify());
    await registerTokenRequestRoute(app, routes, this.registry('serviceaccounts'), this.serviceAccountTokens);
    registerReviewRoutes(app, routes, this.authorization.authorizer);
    registerPodLogRoute(app, routes, this.registry('pods'), this.registry('nodes'));
    const authorizeUpgrade = upgradeAuthorization(authenticator, insecure, this.authorization.authorizer);
    const stopExec = registerPodExecUpgrade(app.server, { pods: this.registry('pods'), nodes: this.registry('nodes'), authorizeUpgrade });
    registerDiscoveryRoutes(app, routes, [...this.kinds, ...REVIEW_KINDS]);
    registerHealthRoutes(app, routes, () => this.ready);
    registerOpenApiRoutes(app, routes, this.kinds);
    app.addHook('onSend', (_request, reply, payload, done) => {
      // A request in flight when shutdown began is answered, then its keep-alive
      // connection is closed; otherwise close() would wait for the client to hang up.
      if (this.closing) reply.header('Connection', 'close');
      done(null, payload);
    });
    app.addHook('preClose', async () => {
      stopExec();
      // Watches are hijacked responses; end them so close() does not wait for their timeouts.
      for (const finish of [...this.activeWatches]) finish();
    });
  }

  /** Starts serving; resolves to the URL it listens on. */
  async listen(): Promise<string> {
    this.ensureSystemNamespaces();
    this.hub.start();
    this.authorization.start();
    this.controllers = new ControllerManager(this.config, this.registries, this.hub, this.store, this.app.log);
    await this.controllers.start();
    this.compactionTimer = setInterval(() => this.compact(), this.config.compactionIntervalMs);
    this.compactionTimer.unref();
    await this.app.listen({ host: this.config.host, port: this.config.port });
    const address = this.app.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    const host = this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host;
    this.ready = true;
    return `${this.config.tls ? 'https' : 'http'}://${host}:${port}`;
  }

  /** Bearer-token sources, in the order they are asked. */
  private tokenAuthenticators(): TokenAuthenticator[] {
    const accounts = this.registry('serviceaccounts');
    const currentUid = (namespace: string, name: string): string | undefined => {
      const stored = this.store.get(accounts.key(namespace, name));
      return stored ? accounts.decode(stored).metadata?.uid : undefined;
    };
    // Upstream's order: static tokens first, then ServiceAccount JWTs.
    const tokenFile = this.config.tokenAuthFile ? [TokenFileAuthenticator.fromFile(this.config.tokenAuthFile)] : [];
    return [...tokenFile, ...this.config.tokenAuthenticators, new ServiceAccountTokenAuthenticator(this.serviceAccountTokens, currentUid)];
  }

  compact(): number {
    return this.store.compact(this.config.eventLog);
  }

  /** Stops accepting, finishes in-flight requests, ends watches, stops controllers, closes the database. */
  async close(): Promise<void> {
    this.ready = false;
    this.closing = true;
    if (this.compactionTimer) clearInterval(this.compactionTimer);
    await this.controllers?.stop();
    await this.authorization.stop();
    await this.app.close();
    await this.audit?.close();
    this.hub.stop();
    this.store.close();
  }

  /** Whether this server holds the controllers' Lease and runs them. */
  get leadingControllers(): boolean {
    return this.controllers?.leading ?? false;
  }

  /** The identity this server campaigns for the controllers' Lease with. */
  get controllerIdentity(): string | undefined {
    return this.controllers?.identity;
  }

  registry(resource: string): GenericRegistry<KubeObject> {
    const registry = this.registries.get(resource);
    if (!registry) throw new Error(`no registry for ${resource}`);
    return registry;
  }

  private ensureSystemNamespaces(): void {
    const namespaces = this.registries.get('namespaces');
    if (!namespaces) return;
    for (const name of SYSTEM_NAMESPACES) {
      if (this.store.get({ resource: 'namespaces', namespace: '', name })) continue;
      try {
        namespaces.create('', { metadata: { name } });
      } catch (error) {
        // Another server process on the same file created it first.
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
  }
}
