// The iptables backend: renders kube-proxy's chain layout and applies it with
// `iptables-restore --noflush`, which replaces skiff's chains (each declared
// chain is flushed and rewritten within one restore) and nothing else. As in
// kube-proxy, syncs in between full ones are partial: only the chains of
// Service ports whose rule changed are rewritten, plus the top-level chains.

import type { ForwardingBackend } from '../backend.js';
import { type Logger, silentLogger } from '../../../client/logger.js';
import { type CommandRunner, createCommandRunner } from '../command-runner.js';
import type { ForwardingTable, ServicePortRule } from '../forwarding-table.js';
import { type AddressFamily, familiesOf } from '../categorize-endpoints.js';
import { sameValue } from '../same-value.js';
import { DEFAULT_CHAIN_PREFIX, checkChainPrefix, topLevelChains } from './iptables-names.js';
import { type JumpRule, jumpRules } from './iptables-jumps.js';
import { renderIptables } from './iptables-renderer.js';

export interface IptablesBackendOptions {
  /** Runs the iptables tools; inject one to record commands or to run inside a network namespace. */
  run?: CommandRunner;
  /** Chain name prefix (1-7 upper-case characters). Default "SKIFF". */
  chainPrefix?: string;
  masqueradeMark?: number;
  /** A full sync (every chain rewritten, jumps checked) at least this often. Default one hour, kube-proxy's FullSyncPeriod; 0 makes every sync full. */
  fullSyncIntervalMs?: number;
  now?: () => number;
  /** Told when a partial sync fails and every chain is rewritten. */
  logger?: Logger;
}

export type IptablesApplyKind = 'full' | 'partial' | 'unchanged';

export interface IptablesBackend extends ForwardingBackend {
  readonly name: 'iptables';
  readonly lastApplyKind: IptablesApplyKind | undefined;
}

export const DEFAULT_IPTABLES_FULL_SYNC_INTERVAL_MS = 3_600_000;

interface Tools {
  iptables: string;
  restore: string;
  save: string;
}

const TOOLS: Record<AddressFamily, Tools> = {
  ipv4: { iptables: 'iptables', restore: 'iptables-restore', save: 'iptables-save' },
  ipv6: { iptables: 'ip6tables', restore: 'ip6tables-restore', save: 'ip6tables-save' },
};

interface FamilyState {
  chains: { nat: Set<string>; filter: Set<string> };
  ruleCount: number;
}

interface AppliedState {
  families: Map<AddressFamily, FamilyState>;
  /** Rule id → the rule as last applied, to tell which Service ports changed. */
  rules: Map<string, ServicePortRule>;
  nodeIPs: string[];
  ruleCount: number;
  fullAt: number;
}

export function createIptablesBackend(options: IptablesBackendOptions = {}): IptablesBackend {
  const run = options.run ?? createCommandRunner();
  const prefix = checkChainPrefix(options.chainPrefix ?? DEFAULT_CHAIN_PREFIX);
  const names = topLevelChains(prefix);
  const jumps = jumpRules(names);
  const fullSyncIntervalMs = options.fullSyncIntervalMs ?? DEFAULT_IPTABLES_FULL_SYNC_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  let state: AppliedState | undefined;
  let lastApplyKind: IptablesApplyKind | undefined;

  /** Our chains that exist now, per table, from `iptables-save`. */
  const existingChains = async (family: AddressFamily): Promise<{ nat: Set<string>; filter: Set<string> }> => {
    const found = { nat: new Set<string>(), filter: new Set<string>() };
    for (const table of ['nat', 'filter'] as const) {
      const { stdout } = await run(TOOLS[family].save, ['-t', table]);
      for (const line of stdout.split('\n')) {
        if (line.startsWith(`:${prefix}-`)) found[table].add(line.slice(1).split(' ')[0]!);
      }
    }
    return found;
  };

  const ensureJump = async (family: AddressFamily, jump: JumpRule): Promise<void> => {
    const tool = TOOLS[family].iptables;
    try {
      await run(tool, ['-w', '5', '-t', jump.table, '-C', jump.chain, ...jump.args]);
    } catch {
      await run(tool, ['-w', '5', '-t', jump.table, '-I', jump.chain, '1', ...jump.args]);
    }
  };

  const removeJump = async (family: AddressFamily, jump: JumpRule): Promise<void> => {
    const tool = TOOLS[family].iptables;
    // -D removes one copy; loop in case an earlier crash left several.
    for (let i = 0; i < 10; i++) {
      try {
        await run(tool, ['-w', '5', '-t', jump.table, '-D', jump.chain, ...jump.args]);
      } catch {
        return;
      }
    }
  };

  const restore = async (family: AddressFamily, input: string): Promise<void> => {
    await run(TOOLS[family].restore, ['-w', '5', '--noflush'], { input });
  };

  const applyFamily = async (
    family: AddressFamily,
    table: ForwardingTable,
    previous: FamilyState | undefined,
    changedIds: ReadonlySet<string> | undefined,
  ): Promise<FamilyState> => {
    const existing = previous?.chains ?? (await existingChains(family));
    const render = renderIptables(table, {
      chainPrefix: prefix,
      family,
      ...(options.masqueradeMark === undefined ? {} : { masqueradeMark: options.masqueradeMark }),
      staleChains: existing,
      ...(changedIds === undefined ? {} : { onlyServiceChainsOf: changedIds }),
    });
    await restore(family, render.text);
    // Chains first, jumps second: a jump to a chain that does not exist yet is refused.
    if (changedIds === undefined) for (const jump of jumps) await ensureJump(family, jump);
    return { chains: render.chains, ruleCount: render.ruleCount };
  };

  return {
    name: 'iptables',
    get lastApplyKind() {
      return lastApplyKind;
    },
    async apply(table) {
      const rules = new Map<string, ServicePortRule>();
      for (const rule of table.rules) rules.set(rule.id, rule);
      const wanted = new Set<AddressFamily>(familiesOf(table.rules));
      // A family we programmed before keeps being synced (to empty) so its rules go.
      for (const family of state?.families.keys() ?? []) wanted.add(family);

      const current = state;
      const partial = current !== undefined && now() - current.fullAt < fullSyncIntervalMs;
      let changedIds: Set<string> | undefined;
      if (partial) {
        changedIds = new Set();
        for (const [id, rule] of rules) {
          const previous = current.rules.get(id);
          if (previous === undefined || !sameValue(previous, rule)) changedIds.add(id);
        }
      }

      // Nothing changed (a periodic resync between full ones): no restore at all.
      if (
        partial &&
        current !== undefined &&
        changedIds?.size === 0 &&
        current.rules.size === rules.size &&
        sameValue(current.nodeIPs, table.nodeIPs)
      ) {
        current.rules = rules;
        lastApplyKind = 'unchanged';
        return { ruleCount: current.ruleCount };
      }

      const families = new Map<AddressFamily, FamilyState>();
      let ruleCount = 0;
      try {
        for (const family of wanted) {
          const previous = current?.families.get(family);
          let result: FamilyState;
          try {
            result = await applyFamily(family, table, previous, previous === undefined ? undefined : changedIds);
          } catch (error) {
            if (previous === undefined || changedIds === undefined) throw error;
            // Our chains are not what we think (changed behind our back, or
            // an earlier restore half-failed): rewrite them all.
            logger.warn({ err: error, family }, 'partial iptables sync failed; rewriting every chain');
            result = await applyFamily(family, table, undefined, undefined);
          }
          families.set(family, result);
          ruleCount += result.ruleCount;
        }
      } catch (error) {
        state = undefined;
        throw error;
      }
      state = { families, rules, nodeIPs: [...table.nodeIPs], ruleCount, fullAt: partial && current !== undefined ? current.fullAt : now() };
      lastApplyKind = partial ? 'partial' : 'full';
      return { ruleCount };
    },
    async cleanup() {
      const families = new Set<AddressFamily>(['ipv4', ...(state?.families.keys() ?? [])]);
      state = undefined;
      for (const family of families) {
        for (const jump of jumps) await removeJump(family, jump);
        const existing = await existingChains(family);
        if (existing.nat.size === 0 && existing.filter.size === 0) continue;
        // Declaring a chain flushes it, so no rule still jumps to a chain when it is deleted.
        const lines: string[] = [];
        for (const table of ['filter', 'nat'] as const) {
          const chains = [...existing[table]];
          if (chains.length === 0) continue;
          lines.push(`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...chains.map((c) => `-X ${c}`), 'COMMIT');
        }
        await restore(family, `${lines.join('\n')}\n`);
      }
    },
  };
}
