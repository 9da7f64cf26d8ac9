import type { SoaAnswer } from 'dns-packet';
import { isInZone } from './names.js';

/** The reverse zones served next to the cluster zone, as CoreDNS's default Corefile does. */
export const REVERSE_ZONES = ['in-addr.arpa', 'ip6.arpa'] as const;

export type ServedZone = { kind: 'cluster'; name: string } | { kind: 'reverse'; name: string };

/** Which served zone a normalized name falls in, if any. */
export function servedZoneOf(name: string, clusterZone: string): ServedZone | undefined {
  if (isInZone(name, clusterZone)) return { kind: 'cluster', name: clusterZone };
  for (const zone of REVERSE_ZONES) if (isInZone(name, zone)) return { kind: 'reverse', name: zone };
  return undefined;
}

/**
 * The zone's SOA, sent in the authority section of negative answers so
 * resolvers cache them for `minimum` seconds (RFC 2308). The names follow
 * CoreDNS (`ns.dns.<zone>`, `hostmaster.<zone>`); the timers are its defaults.
 */
export function soaRecord(zone: string, clusterZone: string, ttl: number, serial: number): SoaAnswer {
  return {
    type: 'SOA',
    name: zone,
    class: 'IN',
    ttl,
    data: {
      mname: `ns.dns.${clusterZone}`,
      rname: `hostmaster.${clusterZone}`,
      serial: serial >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
  };
}
