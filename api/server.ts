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
import { startControllers, type ControllerSet } from './controllers/controller-set.js';
import { admissionChain } from './admission/admission-chain.js';
import { deferredHooks, type AdmissionChain } from './admission/admission-hooks.js';
import { registerBindingRoute } from './http/binding-route.js';
import { registerPodLogRoute } from './http/pod-log-route.js';
import { registerPodExecUpgrade } from './http/pod-exec-upgrade.js';
import { repairAllocations } from './allocators/repair.js';

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
  private controllers: ControllerSet | undefined;
  private ready = false;
  private closing = false;
  private readonly activeWatches = new Set<() => void>();

  private constructor(
    readonly config: ServerConfig,
    readonly app: FastifyInstance,
    readonly store: Store,
    readonly hub: WatchHub,
    readonly registries: Registries,
    readonly kinds: readonly ResourceKind<KubeObject>[],
  ) {}

  static async create(overrides: Partial<ServerConfig> = {}): Promise<SkiffServer> {
    const config: ServerConfig = { ...DEFAULT_SERVER_CONFIG, ...overrides };
    const store = new SqliteStore({ path: config.dataPath });
    const hub = new WatchHub(store, config.watchHub);
    const app = Fastify({
      logger: { level: config.logLevel },
      // Two log lines per request drown what matters; failures are logged by the error handler.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: MAX_BODY_BYTES,
      // Kubernetes object names run to 253 characters.
      routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true, querystringParser: (text: string) => parseQueryString(text) },
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false, allErrors: false } },
      forceCloseConnections: 'idle',
      return503OnClosing: true,
    });
    const kinds = buildKinds({ servicePrimaryIPFamily: parseCidr(config.serviceCidr).family === 6 ? 'IPv6' : 'IPv4' });
    const registries = new Map<string, GenericRegistry<KubeObject>>();
    const admission: AdmissionChain = new Map();
    for (const kind of kinds) registries.set(kind.resource, new GenericRegistry(kind, store, deferredHooks(kind.resource, admission)));
    for (const [resource, hooks] of admissionChain(config, registries, app.log)) admission.set(resource, hooks);
    const server = new SkiffServer(config, app, store, hub, registries, kinds);
    await server.buildRoutes();
    return server;
  }

  private async buildRoutes(): Promise<void> {
    const app = this.app;
    const routes = new RouteTable();
    registerContentTypes(app, MAX_BODY_BYTES);
    installErrorHandling(app, routes);
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
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    for (const kind of this.kinds) app.addSchema({ ...kind.schema, $id: kind.kind });

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
    registerPodLogRoute(app, routes, this.registry('pods'), this.registry('nodes'));
    const stopExec = registerPodExecUpgrade(app.server, { pods: this.registry('pods'), nodes: this.registry('nodes') });
    registerDiscoveryRoutes(app, routes, this.kinds);
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
    // A crash between two processes' writes cannot leave a shared address, but a
    // hand-edited or older file can; reconcile allocations before serving.
    repairAllocations(this.store, this.config, this.app.log);
    this.hub.start();
    this.controllers = startControllers(this.config, this.registries, this.hub, this.store, this.app.log);
    this.compactionTimer = setInterval(() => this.compact(), this.config.compactionIntervalMs);
    this.compactionTimer.unref();
    await this.app.listen({ host: this.config.host, port: this.config.port });
    const address = this.app.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    const host = this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host;
    this.ready = true;
    return `http://${host}:${port}`;
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
    await this.app.close();
    this.hub.stop();
    this.store.close();
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
