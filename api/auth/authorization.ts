import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ClusterRoleAggregationController } from '../controllers/clusterrole-aggregation-controller.js';
import { SharedInformers } from '../controllers/shared-informers.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { AuthorizationMode } from '../server-config.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { alwaysAllow, authorizerChain, privilegedGroup, type Authorizer } from './authorizer.js';
import { installAuthorization, type UserAdmission } from './authorization-hook.js';
import { ensureBootstrapPolicy } from './bootstrap-policy.js';
import { rbacAuthorizer } from './rbac-authorizer.js';
import { rbacEscalationAdmission } from './rbac-escalation.js';
import { RbacPolicy } from './rbac-policy.js';
import { nodeAuthorizer, nodeRestrictionAdmission, type PodLookup } from './node-authorizer.js';
import type { Pod } from '../schemas/pod.js';

type Registries = ReadonlyMap<string, GenericRegistry<KubeObject>>;

export interface AuthorizationOptions {
  modes: readonly AuthorizationMode[];
  registries: Registries;
  hub: WatchHub;
  afterWrite: () => void;
  log: FastifyBaseLogger;
}

/**
 * Everything authorization needs inside one server: the policy caches, the
 * chain of `--authorization-mode` authorizers behind the privileged group,
 * the checks that depend on the user, and the aggregation controller.
 */
export class ServerAuthorization {
  readonly policy: RbacPolicy;
  readonly authorizer: Authorizer;
  private readonly informers: SharedInformers;
  private readonly admission: UserAdmission[] = [];
  private readonly aggregation: ClusterRoleAggregationController;

  constructor(private readonly options: AuthorizationOptions) {
    this.informers = new SharedInformers(options.hub, options.registries, options.log);
    this.policy = new RbacPolicy(this.informers);
    const pods = options.registries.get('pods');
    const lookupPod: PodLookup = (namespace, name) => {
      try {
        return pods?.get(namespace, name) as Pod | undefined;
      } catch {
        return undefined;
      }
    };
    const modes = options.modes.map((mode): Authorizer => {
      switch (mode) {
        case 'AlwaysAllow':
          return alwaysAllow;
        case 'RBAC':
          return rbacAuthorizer(this.policy);
        case 'Node':
          return nodeAuthorizer(lookupPod);
      }
    });
    this.authorizer = authorizerChain([privilegedGroup, ...modes]);
    if (options.modes.includes('Node')) this.admission.push(nodeRestrictionAdmission(lookupPod));
    this.admission.push(rbacEscalationAdmission(this.authorizer, this.policy, options.registries));
    const clusterRoles = options.registries.get('clusterroles');
    if (!clusterRoles) throw new Error('no registry for clusterroles');
    this.aggregation = new ClusterRoleAggregationController(this.policy.clusterRoles, clusterRoles, options.afterWrite, options.log);
  }

  install(app: FastifyInstance): void {
    installAuthorization(app, this.authorizer, this.admission);
  }

  /** Creates the bootstrap policy, then fills the caches; call before serving. */
  start(): void {
    ensureBootstrapPolicy(this.options.registries);
    this.informers.start();
    this.aggregation.start();
  }

  async stop(): Promise<void> {
    await this.aggregation.stop();
    this.informers.stop();
  }
}
