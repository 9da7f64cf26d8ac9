// The nftables backend: renders the forwarding table and hands it to
// `nft -f -` in one transaction. The first apply (and one every
// fullSyncIntervalMs, and any apply after a failure) replaces the table
// whole; in between, only the objects of Service ports whose rule changed are
// rewritten, still in one transaction.

import type { ForwardingBackend } from '../backend.js';
import { type Logger, silentLogger } from '../../../client/logger.js';
import { type CommandRunner, createCommandRunner } from '../command-runner.js';
import type { ForwardingTable, ServicePortRule } from '../forwarding-table.js';
import { type AddressFamily, familiesOf } from '../categorize-endpoints.js';
import { DEFAULT_NFT_TABLE, type NftablesOptions } from './nftables-layout.js';
import { type NftFamilyModel, buildFamilyModel, familyNodeIPs, familyRuleCount } from './nftables-model.js';
import { renderFamilyDeletion, renderFamilyTable } from './nftables-renderer.js';
import { type NftFamilyUpdate, planFamilyUpdate, renderNftablesUpdate } from './nftables-update.js';
import { sameValue } from '../same-value.js';

export interface NftablesBackendOptions extends NftablesOptions {
  /** Runs `nft`; inject one to record commands or to run inside a network namespace. */
  run?: CommandRunner;
  /**
   * A full replace at least this often, even when only a few rules changed:
   * it repairs anything done to the table behind the agent's back. Default
   * one hour, kube-proxy's FullSyncPeriod; 0 makes every apply a full replace.
   */
  fullSyncIntervalMs?: number;
  now?: () => number;
  /** Told when an incremental update fails and the table is replaced whole. */
  logger?: Logger;
}

export type NftablesApplyKind = 'full' | 'incremental' | 'unchanged';

export interface NftablesBackend extends ForwardingBackend {
  readonly name: 'nftables';
  /** How the last successful apply was done; 'unchanged' only checked that the table is still there. */
  readonly lastApplyKind: NftablesApplyKind | undefined;
}

export const DEFAULT_NFT_FULL_SYNC_INTERVAL_MS = 3_600_000;

interface AppliedState {
  families: Map<AddressFamily, NftFamilyModel>;
  /** Rule id → the rule as last applied, to tell which Service ports changed. */
  rules: Map<string, ServicePortRule>;
  ruleCount: number;
  fullAt: number;
}

export function createNftablesBackend(options: NftablesBackendOptions = {}): NftablesBackend {
  const run = options.run ?? createCommandRunner();
  const tableName = options.tableName ?? DEFAULT_NFT_TABLE;
  const fullSyncIntervalMs = options.fullSyncIntervalMs ?? DEFAULT_NFT_FULL_SYNC_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  let state: AppliedState | undefined;
  let lastApplyKind: NftablesApplyKind | undefined;

  const nft = async (input: string): Promise<void> => {
    await run('nft', ['-f', '-'], { input });
  };

  /** Families of a table named ours that exist now (left by an earlier run, or by this one). */
  const existingFamilies = async (): Promise<AddressFamily[]> => {
    const { stdout } = await run('nft', ['list', 'tables']);
    const found: AddressFamily[] = [];
    for (const line of stdout.split('\n')) {
      const [word, family, name] = line.trim().split(/\s+/);
      if (word !== 'table' || name !== tableName) continue;
      if (family === 'ip') found.push('ipv4');
      if (family === 'ip6') found.push('ipv6');
    }
    return found;
  };

  const applyFull = async (table: ForwardingTable, rules: Map<string, ServicePortRule>): Promise<number> => {
    const families = familiesOf(table.rules);
    // Whatever we do not render now must go: a family the table no longer
    // needs, or one left by an earlier agent.
    const stale = state === undefined ? await existingFamilies() : [...state.families.keys()];
    const models = new Map<AddressFamily, NftFamilyModel>();
    let text = '';
    for (const family of stale) if (!families.includes(family)) text += renderFamilyDeletion(family, options);
    let ruleCount = 0;
    for (const family of families) {
      const model = buildFamilyModel(table, family);
      models.set(family, model);
      text += renderFamilyTable(model, options);
      ruleCount += familyRuleCount(model, options);
    }
    await nft(text);
    state = { families: models, rules, ruleCount, fullAt: now() };
    lastApplyKind = 'full';
    return ruleCount;
  };

  /** Undefined when an incremental update cannot express the change (a family appears or goes). */
  const applyIncremental = async (
    current: AppliedState,
    table: ForwardingTable,
    rules: Map<string, ServicePortRule>,
  ): Promise<number | undefined> => {
    const families = familiesOf(table.rules);
    if (families.length !== current.families.size || families.some((f) => !current.families.has(f))) return undefined;

    const changed = table.rules.filter((rule) => {
      const previous = current.rules.get(rule.id);
      return previous === undefined || !sameValue(previous, rule);
    });
    const removedIds: string[] = [];
    for (const id of current.rules.keys()) if (!rules.has(id)) removedIds.push(id);

    // Planning updates the models in place; if nft then fails, the caller
    // drops this state and replaces the table whole.
    const updates: NftFamilyUpdate[] = families.map((family) =>
      planFamilyUpdate(current.families.get(family)!, changed, removedIds, familyNodeIPs(table, family)),
    );
    const text = renderNftablesUpdate(updates, options);
    if (text !== '') {
      await nft(text);
    } else {
      // Nothing changed (a periodic resync): cheap to check the table is
      // still there, as `nft flush ruleset` (a firewall reload) removes it.
      const present = await existingFamilies();
      if (families.some((family) => !present.includes(family))) return undefined;
    }
    current.rules = rules;
    if (text !== '') {
      current.ruleCount = 0;
      for (const model of current.families.values()) current.ruleCount += familyRuleCount(model, options);
    }
    lastApplyKind = text === '' ? 'unchanged' : 'incremental';
    return current.ruleCount;
  };

  return {
    name: 'nftables',
    get lastApplyKind() {
      return lastApplyKind;
    },
    async apply(table) {
      const rules = new Map<string, ServicePortRule>();
      for (const rule of table.rules) rules.set(rule.id, rule);
      const current = state;
      if (current !== undefined && now() - current.fullAt < fullSyncIntervalMs) {
        try {
          const ruleCount = await applyIncremental(current, table, rules);
          if (ruleCount !== undefined) return { ruleCount };
        } catch (error) {
          // The kernel's table is not what we think it is (someone changed
          // it, or an earlier command half-failed): replace it whole.
          logger.warn({ err: error, table: tableName }, 'incremental nftables update failed; replacing the table whole');
          state = undefined;
        }
      }
      try {
        return { ruleCount: await applyFull(table, rules) };
      } catch (error) {
        state = undefined;
        throw error;
      }
    },
    async cleanup() {
      state = undefined;
      const families = await existingFamilies();
      if (families.length === 0) return;
      await nft(families.map((family) => renderFamilyDeletion(family, options)).join(''));
    },
  };
}
