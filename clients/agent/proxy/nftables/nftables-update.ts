// An incremental transaction: only the objects of the Service ports that
// changed, still applied as one `nft -f` (so still atomic). At 10,000
// Services a full replace costs a second or more; one endpoint change is a
// handful of element commands. Order matters: rules that name a chain or set
// are flushed before it is deleted, map elements pointing at a chain go
// before it, and chains exist before rules or elements point at them.

import type { ServicePortRule } from '../forwarding-table.js';
import type { AddressFamily } from '../categorize-endpoints.js';
import {
  DEFAULT_NFT_TABLE,
  type DispatchChainRef,
  ENDPOINTS_CHECK_CHAIN,
  HAIRPIN_SET,
  NODEPORT_IPS_SET,
  type NftablesOptions,
  SERVICES_CHAIN,
  dispatchChainName,
  dispatchChainRules,
  endpointsCheckRules,
  familySyntax,
  servicesChainRules,
} from './nftables-layout.js';
import { type NftFamilyModel, addService, buildServiceObjects, removeService } from './nftables-model.js';
import { type NftElement, type NftServiceObjects, elementText } from './nftables-service-objects.js';

export interface NftServiceChange {
  /** What the table holds for this Service port now (absent: new). */
  before?: NftServiceObjects;
  /** What it should hold (absent: removed). */
  after?: NftServiceObjects;
}

export interface NftFamilyUpdate {
  family: AddressFamily;
  changes: NftServiceChange[];
  /** Present when the node addresses changed. */
  nodeIPs?: readonly string[];
  /** Shared dispatch chains to create. */
  dispatchAdded: DispatchChainRef[];
  hairpinAdded: string[];
  hairpinRemoved: string[];
}

/**
 * Applies changed and removed rules to `model` (which then describes the
 * table as it will be) and returns what the transaction must do. The caller
 * discards the model if the transaction fails.
 */
export function planFamilyUpdate(
  model: NftFamilyModel,
  changed: readonly ServicePortRule[],
  removedIds: readonly string[],
  nodeIPs: string[],
): NftFamilyUpdate {
  const update: NftFamilyUpdate = { family: model.family, changes: [], dispatchAdded: [], hairpinAdded: [], hairpinRemoved: [] };
  const released = new Set<string>();
  const created = new Set<string>();
  const release = (id: string): void => {
    for (const ip of removeService(model, id).hairpin) released.add(ip);
  };
  for (const id of removedIds) {
    const before = model.services.get(id);
    if (before === undefined) continue;
    release(id);
    update.changes.push({ before });
  }
  for (const rule of changed) {
    const before = model.services.get(rule.id);
    const after = buildServiceObjects(rule, model.family);
    if (before === undefined && after === undefined) continue;
    if (before !== undefined) release(rule.id);
    const change: NftServiceChange = {};
    if (before !== undefined) change.before = before;
    if (after !== undefined) {
      change.after = after;
      const shared = addService(model, rule.id, after);
      update.dispatchAdded.push(...shared.dispatch);
      for (const ip of shared.hairpin) created.add(ip);
    }
    update.changes.push(change);
  }
  for (const ip of released) if (!created.has(ip)) update.hairpinRemoved.push(ip);
  for (const ip of created) if (!released.has(ip)) update.hairpinAdded.push(ip);
  if (nodeIPs.join(',') !== model.nodeIPs.join(',')) {
    model.nodeIPs = nodeIPs;
    update.nodeIPs = nodeIPs;
  }
  return update;
}

function elementId(element: NftElement): string {
  return `${element.map}\u0000${element.key}`;
}

const EMPTY: NftServiceObjects = { chains: [], sets: [], elements: [], dispatch: [], hairpinIPs: [] };

/** The commands that carry out `updates`; '' when nothing differs. */
export function renderNftablesUpdate(updates: readonly NftFamilyUpdate[], options: NftablesOptions = {}): string {
  const name = options.tableName ?? DEFAULT_NFT_TABLE;
  let out = '';
  for (const update of updates) {
    const s = familySyntax(update.family);
    const t = `${s.ipX} ${name}`;
    const flushes: string[] = [];
    const elementDeletions: string[] = [];
    const chainDeletions: string[] = [];
    const setDeletions: string[] = [];
    const setAdditions: string[] = [];
    const chainAdditions: string[] = [];
    const ruleAdditions: string[] = [];
    const elementAdditions: string[] = [];

    if (update.nodeIPs !== undefined) {
      flushes.push(`flush set ${t} ${NODEPORT_IPS_SET}`);
      if (update.nodeIPs.length > 0) elementAdditions.push(`add element ${t} ${NODEPORT_IPS_SET} { ${update.nodeIPs.join(', ')} }`);
      // The NodePort match switches between the address set and "any local address".
      flushes.push(`flush chain ${t} ${SERVICES_CHAIN}`, `flush chain ${t} ${ENDPOINTS_CHECK_CHAIN}`);
      for (const rule of servicesChainRules(s, update.nodeIPs)) ruleAdditions.push(`add rule ${t} ${SERVICES_CHAIN} ${rule}`);
      for (const rule of endpointsCheckRules(s, update.nodeIPs)) ruleAdditions.push(`add rule ${t} ${ENDPOINTS_CHECK_CHAIN} ${rule}`);
    }
    for (const ref of update.dispatchAdded) {
      const chain = dispatchChainName(ref);
      chainAdditions.push(`add chain ${t} ${chain}`);
      for (const rule of dispatchChainRules(s, ref)) ruleAdditions.push(`add rule ${t} ${chain} ${rule}`);
    }
    if (update.hairpinRemoved.length > 0) {
      elementDeletions.push(`delete element ${t} ${HAIRPIN_SET} { ${update.hairpinRemoved.map((ip) => `${ip} . ${ip}`).join(', ')} }`);
    }
    if (update.hairpinAdded.length > 0) {
      elementAdditions.push(`add element ${t} ${HAIRPIN_SET} { ${update.hairpinAdded.map((ip) => `${ip} . ${ip}`).join(', ')} }`);
    }

    for (const change of update.changes) {
      const before = change.before ?? EMPTY;
      const after = change.after ?? EMPTY;

      // Affinity sets keep their contents (the remembered clients) while
      // their definition is unchanged; a new timeout needs a new set, and
      // every rule naming it must go first.
      const newSets = new Map(after.sets.map((set) => [set.name, set.body]));
      const oldSets = new Map(before.sets.map((set) => [set.name, set.body]));
      let setsReplaced = false;
      for (const [setName, body] of oldSets) {
        if (newSets.get(setName) !== body) {
          setDeletions.push(`delete set ${t} ${setName}`);
          if (newSets.has(setName)) setsReplaced = true;
        }
      }
      for (const [setName, body] of newSets) {
        if (oldSets.get(setName) !== body) setAdditions.push(`add set ${t} ${setName} { ${body} }`);
      }

      const oldChains = new Map(before.chains.map((c) => [c.name, c.rules.join('\n')]));
      const newChains = new Set(after.chains.map((c) => c.name));
      for (const chain of before.chains) {
        if (!newChains.has(chain.name)) {
          flushes.push(`flush chain ${t} ${chain.name}`);
          chainDeletions.push(`delete chain ${t} ${chain.name}`);
        }
      }
      for (const chain of after.chains) {
        const previous = oldChains.get(chain.name);
        if (previous === chain.rules.join('\n') && !setsReplaced) continue;
        if (previous === undefined) chainAdditions.push(`add chain ${t} ${chain.name}`);
        else flushes.push(`flush chain ${t} ${chain.name}`);
        for (const rule of chain.rules) ruleAdditions.push(`add rule ${t} ${chain.name} ${rule}`);
      }

      const newElements = new Map(after.elements.map((e) => [elementId(e), e]));
      const oldElements = new Map(before.elements.map((e) => [elementId(e), e]));
      for (const [id, element] of oldElements) {
        const next = newElements.get(id);
        if (next === undefined || elementText(next) !== elementText(element)) {
          elementDeletions.push(`delete element ${t} ${element.map} { ${element.key} }`);
        }
      }
      for (const [id, element] of newElements) {
        const previous = oldElements.get(id);
        if (previous === undefined || elementText(previous) !== elementText(element)) {
          elementAdditions.push(`add element ${t} ${element.map} { ${elementText(element)} }`);
        }
      }
    }
    const lines = [
      ...flushes,
      ...elementDeletions,
      ...chainDeletions,
      ...setDeletions,
      ...setAdditions,
      ...chainAdditions,
      ...ruleAdditions,
      ...elementAdditions,
    ];
    if (lines.length > 0) out += `${lines.join('\n')}\n`;
  }
  return out;
}
