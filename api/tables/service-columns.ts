import { translateTimestampSince } from './age.js';
import { ageColumn, column, formatLabels, nameColumn } from './common-columns.js';
import { integer, list, metadataOf, record, specOf, statusOf, text, type JsonRecord } from './object-fields.js';
import type { TableCell, TableColumnDefinition } from './table-types.js';

// pkg/printers/internalversion printService. The server renders the wide
// form, so load-balancer addresses are never clipped to 16 characters.

export const serviceColumns: readonly TableColumnDefinition[] = Object.freeze([
  nameColumn,
  column('Type', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
  column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail.'),
  column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.'),
  column('Port(s)', 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
  ageColumn,
  column('Selector', 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.', { priority: 1 }),
]);

function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

/** Ingress IPs, else hostnames, deduplicated and sorted (a Go string set). */
function loadBalancerAddresses(status: JsonRecord): string[] {
  const addresses = new Set<string>();
  for (const entry of list(record(status.loadBalancer).ingress)) {
    const ip = text(record(entry).ip);
    const hostname = text(record(entry).hostname);
    if (ip !== '') addresses.add(ip);
    else if (hostname !== '') addresses.add(hostname);
  }
  return [...addresses].sort();
}

function externalIP(type: string, spec: JsonRecord, status: JsonRecord): string {
  const externalIPs = strings(spec.externalIPs);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const balancer = loadBalancerAddresses(status);
      if (externalIPs.length > 0) return [...balancer, ...externalIPs].join(',');
      return balancer.length > 0 ? balancer.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(spec.externalName);
    default:
      return '<unknown>';
  }
}

function portsOf(spec: JsonRecord): string {
  const pieces: string[] = [];
  for (const entry of list(spec.ports)) {
    const port = record(entry);
    // The API server defaults protocol to TCP; an undefaulted object reads the same.
    const protocol = text(port.protocol) || 'TCP';
    const nodePort = integer(port.nodePort);
    pieces.push(nodePort > 0 ? `${integer(port.port)}:${nodePort}/${protocol}` : `${integer(port.port)}/${protocol}`);
  }
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export function serviceCells(service: unknown, now: number): TableCell[] {
  const meta = metadataOf(service);
  const spec = specOf(service);
  const status = statusOf(service);
  // An unset type is ClusterIP, the API's default.
  const type = text(spec.type) || 'ClusterIP';
  const clusterIPs = strings(spec.clusterIPs);
  const clusterIP = (clusterIPs.length > 0 ? clusterIPs[0] : text(spec.clusterIP)) || '<none>';
  return [
    text(meta.name),
    type,
    clusterIP,
    externalIP(type, spec, status),
    portsOf(spec),
    translateTimestampSince(meta.creationTimestamp, now),
    formatLabels(spec.selector),
  ];
}
