// One family's table as objects, with the bookkeeping for what Services
// share (dispatch chains, hairpin addresses): the input of a full render and
// the state an incremental update is planned against.

import type { ForwardingTable, ServicePortRule } from '../forwarding-table.js';
import { type AddressFamily, categorizeServicePort, familyOf } from '../categorize-endpoints.js';
import {
  DEFAULT_MASQUERADE_MARK,
  type DispatchChainRef,
  type NftablesOptions,
  dispatchChainName,
  dispatchChainRules,
  familySyntax,
  skeletonChains,
} from './nftables-layout.js';
import { type NftServiceObjects, countRules, serviceObjects } from './nftables-service-objects.js';

export interface NftFamilyModel {
  family: AddressFamily;
  nodeIPs: string[];
  /** Per rule id. */
  services: Map<string, NftServiceObjects>;
  /** Dispatch chains that exist, by name. */
  dispatch: Map<string, DispatchChainRef>;
  /** Endpoint IP → number of Service ports that have it. */
  hairpin: Map<string, number>;
}

export function familyNodeIPs(table: ForwardingTable, family: AddressFamily): string[] {
  return table.nodeIPs.filter((ip) => familyOf(ip) === family);
}

export function buildServiceObjects(rule: ServicePortRule, family: AddressFamily): NftServiceObjects | undefined {
  const port = categorizeServicePort(rule, family);
  return port === undefined ? undefined : serviceObjects(port, familySyntax(family));
}

export function emptyFamilyModel(family: AddressFamily, nodeIPs: string[]): NftFamilyModel {
  return { family, nodeIPs, services: new Map(), dispatch: new Map(), hairpin: new Map() };
}

export function buildFamilyModel(table: ForwardingTable, family: AddressFamily): NftFamilyModel {
  const model = emptyFamilyModel(family, familyNodeIPs(table, family));
  for (const rule of table.rules) {
    const objects = buildServiceObjects(rule, family);
    if (objects !== undefined) addService(model, rule.id, objects);
  }
  return model;
}

/** Records a Service port's objects and what it shares; returns the dispatch chains and hairpin IPs it is the first to need. */
export function addService(model: NftFamilyModel, id: string, objects: NftServiceObjects): { dispatch: DispatchChainRef[]; hairpin: string[] } {
  model.services.set(id, objects);
  const created = { dispatch: [] as DispatchChainRef[], hairpin: [] as string[] };
  for (const ref of objects.dispatch) {
    const name = dispatchChainName(ref);
    if (!model.dispatch.has(name)) {
      model.dispatch.set(name, ref);
      created.dispatch.push(ref);
    }
  }
  for (const ip of objects.hairpinIPs) {
    const count = model.hairpin.get(ip) ?? 0;
    model.hairpin.set(ip, count + 1);
    if (count === 0) created.hairpin.push(ip);
  }
  return created;
}

/**
 * Forgets a Service port; returns the hairpin IPs no other Service port has.
 * Dispatch chains stay until the next full replace: they are shared, few,
 * and harmless when unused.
 */
export function removeService(model: NftFamilyModel, id: string): { hairpin: string[] } {
  const objects = model.services.get(id);
  const released: string[] = [];
  if (objects === undefined) return { hairpin: released };
  model.services.delete(id);
  for (const ip of objects.hairpinIPs) {
    const count = model.hairpin.get(ip) ?? 0;
    if (count <= 1) {
      model.hairpin.delete(ip);
      released.push(ip);
    } else {
      model.hairpin.set(ip, count - 1);
    }
  }
  return { hairpin: released };
}

/** Rules in chains plus elements in maps and sets: the backend's rule count. */
export function familyRuleCount(model: NftFamilyModel, options: NftablesOptions = {}): number {
  const s = familySyntax(model.family);
  let count = model.nodeIPs.length + model.hairpin.size;
  for (const chain of skeletonChains(s, model.nodeIPs, options.masqueradeMark ?? DEFAULT_MASQUERADE_MARK)) count += chain.rules.length;
  for (const ref of model.dispatch.values()) count += dispatchChainRules(s, ref).length;
  for (const objects of model.services.values()) count += countRules(objects);
  return count;
}
