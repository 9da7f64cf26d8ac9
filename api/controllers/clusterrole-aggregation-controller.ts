import type { FastifyBaseLogger } from 'fastify';
import { selectorFromLabelSelectorObject, type LabelSelector, type LabelSelectorObject } from '../labels/label-selector.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import { semanticEqual } from '../resources/semantic-equal.js';
import type { KubeObject } from '../resources/strategy.js';
import type { ClusterRole, PolicyRule } from '../schemas/rbac.js';
import type { LocalInformer } from './local-informer.js';
import type { Controller } from './controller.js';

// Fills the rules of every ClusterRole with an aggregationRule from the
// ClusterRoles its selectors match (upstream's clusterrole-aggregation
// controller): `admin`, `edit` and `view` grow as labelled roles appear.

/** The aggregated rules: the matching roles' rules in name order, each rule once. */
export function aggregatedRules(role: ClusterRole, all: Iterable<ClusterRole>): PolicyRule[] {
  const selectors: LabelSelector[] = [];
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    try {
      selectors.push(selectorFromLabelSelectorObject(selector as LabelSelectorObject));
    } catch {
      // Validation refuses bad selectors; one stored before that selects nothing.
    }
  }
  const sources = [...all]
    .filter((other) => other.metadata.name !== role.metadata.name && selectors.some((s) => s.matches(other.metadata.labels)))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const rules: PolicyRule[] = [];
  for (const source of sources) {
    for (const rule of source.rules ?? []) if (!rules.some((existing) => semanticEqual(existing, rule))) rules.push(rule);
  }
  return rules;
}

export class ClusterRoleAggregationController implements Controller {
  private scheduled: NodeJS.Immediate | undefined;
  private removeHandler: (() => void) | undefined;

  constructor(
    private readonly informer: LocalInformer<ClusterRole>,
    private readonly registry: GenericRegistry<KubeObject>,
    private readonly afterWrite: () => void,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    const schedule = (): void => {
      this.scheduled ??= setImmediate(() => {
        this.scheduled = undefined;
        this.sync();
      });
    };
    this.removeHandler = this.informer.addHandler({ added: schedule, updated: schedule, deleted: schedule });
    this.sync();
  }

  async stop(): Promise<void> {
    this.removeHandler?.();
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  /** Brings every aggregated role up to date; a role whose rules already match is left alone. */
  sync(): void {
    let wrote = false;
    for (const role of this.informer.values()) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, this.informer.values());
      if (semanticEqual(role.rules ?? [], rules)) continue;
      try {
        this.registry.modify('', role.metadata.name ?? '', (current) => ({ ...current, rules } as KubeObject));
        wrote = true;
      } catch (error) {
        // Deleted or changed meanwhile: the informer's next event schedules another pass.
        this.log.debug({ err: error, clusterRole: role.metadata.name }, 'clusterrole aggregation deferred');
      }
    }
    if (wrote) this.afterWrite();
  }
}
