// The only rules skiff puts in built-in chains: one jump each, as kube-proxy
// has. They live outside iptables-restore (with --noflush, an `-A PREROUTING`
// there would be appended again on every sync), checked with `-C` and
// inserted with `-I` only when missing.

import type { IptablesChainNames } from './iptables-names.js';

export interface JumpRule {
  table: 'nat' | 'filter';
  /** The built-in chain the jump sits in. */
  chain: string;
  /** Match and target, as arguments after `-C|-I|-D <chain>`. */
  args: string[];
}

export function jumpRules(names: IptablesChainNames): JumpRule[] {
  const newOnly = ['-m', 'conntrack', '--ctstate', 'NEW'];
  const portals = ['-m', 'comment', '--comment', 'skiff service portals'];
  const external = ['-m', 'comment', '--comment', 'skiff externally-visible service portals'];
  return [
    { table: 'nat', chain: 'PREROUTING', args: [...portals, '-j', names.services] },
    { table: 'nat', chain: 'OUTPUT', args: [...portals, '-j', names.services] },
    { table: 'nat', chain: 'POSTROUTING', args: ['-m', 'comment', '--comment', 'skiff postrouting rules', '-j', names.postrouting] },
    { table: 'filter', chain: 'INPUT', args: [...newOnly, ...external, '-j', names.externalServices] },
    { table: 'filter', chain: 'FORWARD', args: [...newOnly, ...portals, '-j', names.services] },
    { table: 'filter', chain: 'FORWARD', args: [...newOnly, ...external, '-j', names.externalServices] },
    { table: 'filter', chain: 'OUTPUT', args: [...newOnly, ...portals, '-j', names.services] },
  ];
}
