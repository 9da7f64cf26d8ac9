// The environment the kubelet gives every container about Services
// (pkg/kubelet/envvars): for each Service with a ClusterIP in the Pod's
// namespace (all of them with enableServiceLinks, the default; otherwise only
// the API server's own `kubernetes` Service of the default namespace), the
// `{NAME}_SERVICE_*` variables and the docker-link ones `{NAME}_PORT*`.

import type { Service } from '../../../client/types.js';

export const MASTER_SERVICE_NAMESPACE = 'default';

function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Variables for one Service, in the kubelet's order; none for a headless or IP-less Service. */
export function serviceEnv(service: Service): Array<[string, string]> {
  const ip = service.spec?.clusterIP;
  if (ip === undefined || ip === '' || ip === 'None') return [];
  const name = envName(service.metadata.name ?? '');
  const ports = service.spec?.ports ?? [];
  const vars: Array<[string, string]> = [[`${name}_SERVICE_HOST`, ip]];
  const first = ports[0];
  if (first !== undefined) vars.push([`${name}_SERVICE_PORT`, String(first.port)]);
  for (const port of ports) if (port.name !== undefined && port.name !== '') vars.push([`${name}_SERVICE_PORT_${envName(port.name)}`, String(port.port)]);
  if (first !== undefined) vars.push([`${name}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${hostPort(ip, first.port)}`]);
  for (const port of ports) {
    const protocol = port.protocol ?? 'TCP';
    const prefix = `${name}_PORT_${port.port}_${protocol.toUpperCase()}`;
    vars.push([prefix, `${protocol.toLowerCase()}://${hostPort(ip, port.port)}`]);
    vars.push([`${prefix}_PROTO`, protocol.toLowerCase()]);
    vars.push([`${prefix}_PORT`, String(port.port)]);
    vars.push([`${prefix}_ADDR`, ip]);
  }
  return vars;
}

/**
 * The Service variables for a Pod in `namespace`. A Service of the Pod's own
 * namespace wins over the master Service of the same name.
 */
export function serviceEnvForPod(services: readonly Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, Service>();
  for (const service of services) {
    const ns = service.metadata.namespace ?? '';
    const name = service.metadata.name ?? '';
    if (ns === MASTER_SERVICE_NAMESPACE && name === 'kubernetes' && !chosen.has(name)) chosen.set(name, service);
    if (enableServiceLinks && ns === namespace) chosen.set(name, service);
  }
  const env = new Map<string, string>();
  for (const name of [...chosen.keys()].sort()) for (const [key, value] of serviceEnv(chosen.get(name)!)) env.set(key, value);
  return env;
}
