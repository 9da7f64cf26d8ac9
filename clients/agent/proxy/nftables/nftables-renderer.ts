// ForwardingTable → one `nft -f` file that replaces skiff's table(s) whole.
// `add table` + `delete table` + the full definition, in one file, is one
// kernel transaction: it works whether or not the table exists, and the
// kernel never sees a half-written table.

import type { ForwardingTable } from '../forwarding-table.js';
import { type AddressFamily, familiesOf } from '../categorize-endpoints.js';
import {
  DEFAULT_MASQUERADE_MARK,
  DEFAULT_NFT_TABLE,
  DISPATCH_MAPS,
  HAIRPIN_SET,
  NODEPORT_IPS_SET,
  type NftablesOptions,
  dispatchChainName,
  dispatchChainRules,
  familySyntax,
  mapType,
  skeletonChains,
} from './nftables-layout.js';
import { type NftFamilyModel, buildFamilyModel } from './nftables-model.js';
import { elementText } from './nftables-service-objects.js';

/**
 * The whole ruleset for `table`: an `ip` table always, an `ip6` table when
 * some Service has an IPv6 ClusterIP.
 */
export function renderNftables(table: ForwardingTable, options: NftablesOptions = {}): string {
  return familiesOf(table.rules)
    .map((family) => renderFamilyTable(buildFamilyModel(table, family), options))
    .join('');
}

/** `add` + `delete` + definition for one family's table. */
export function renderFamilyTable(model: NftFamilyModel, options: NftablesOptions = {}): string {
  const name = options.tableName ?? DEFAULT_NFT_TABLE;
  const s = familySyntax(model.family);
  const out: string[] = [];
  out.push(`add table ${s.ipX} ${name}\ndelete table ${s.ipX} ${name}\ntable ${s.ipX} ${name} {\n`);
  out.push('\tcomment "skiff agent: Service forwarding"\n');
  out.push(setText('set', NODEPORT_IPS_SET, `type ${s.addrType};`, model.nodeIPs));
  out.push(setText('set', HAIRPIN_SET, `type ${s.addrType} . ${s.addrType};`, [...model.hairpin.keys()].map((ip) => `${ip} . ${ip}`)));

  const elements = new Map<string, string[]>(DISPATCH_MAPS.map((map) => [map, []]));
  for (const objects of model.services.values()) {
    for (const element of objects.elements) elements.get(element.map)!.push(elementText(element));
  }
  for (const map of DISPATCH_MAPS) out.push(setText('map', map, `${mapType(s, map)};`, elements.get(map)!));

  for (const chain of skeletonChains(s, model.nodeIPs, options.masqueradeMark ?? DEFAULT_MASQUERADE_MARK)) {
    out.push(chainText(chain.name, chain.rules, chain.spec));
  }
  for (const ref of model.dispatch.values()) out.push(chainText(dispatchChainName(ref), dispatchChainRules(s, ref)));
  for (const objects of model.services.values()) {
    for (const set of objects.sets) out.push(`\tset ${set.name} { ${set.body} }\n`);
    for (const chain of objects.chains) out.push(chainText(chain.name, chain.rules));
  }
  out.push('}\n');
  return out.join('');
}

/** A table family that no longer has rules: `add` + `delete` removes it whether or not it exists. */
export function renderFamilyDeletion(family: AddressFamily, options: NftablesOptions = {}): string {
  const { ipX } = familySyntax(family);
  const name = options.tableName ?? DEFAULT_NFT_TABLE;
  return `add table ${ipX} ${name}\ndelete table ${ipX} ${name}\n`;
}

function chainText(name: string, rules: readonly string[], spec?: string): string {
  let text = `\tchain ${name} {\n`;
  if (spec !== undefined) text += `\t\t${spec}\n`;
  for (const rule of rules) text += `\t\t${rule}\n`;
  return `${text}\t}\n`;
}

function setText(kind: 'set' | 'map', name: string, type: string, elements: readonly string[]): string {
  if (elements.length === 0) return `\t${kind} ${name} { ${type} }\n`;
  return `\t${kind} ${name} {\n\t\t${type}\n\t\telements = {\n\t\t\t${elements.join(',\n\t\t\t')}\n\t\t}\n\t}\n`;
}
