// `skiff agent` configuration: raw flag values (commander has already applied
// the SKIFF_* environment variables) checked and turned into one typed value,
// with a clear message for the first thing that is wrong.

import { isIP } from 'node:net';
import os from 'node:os';
import { proxyModes, type ProxyMode } from './proxy/backend.js';
import { DEFAULT_PROXY_INTERFACE } from './proxy/userspace/dummy-interface.js';
import { parseDuration } from './duration.js';
import { logLevels, type LogLevel } from '../client/logger.js';
import type { HostPort } from './metrics-server.js';
import { KubeconfigError, loadKubeconfig, type ClientConnection } from '../client/kubeconfig.js';
import { ImageCatalogError, parseImageMapping, type ImageEntry } from './node/runtime/image-catalog.js';

export const runtimeKinds = ['process', 'none'] as const;
export type RuntimeKind = (typeof runtimeKinds)[number];

export interface AgentConfig {
  server: string;
  /** How to reach and authenticate to the server: --server alone, or a --kubeconfig. */
  connection: ClientConnection;
  nodeName: string;
  /** InternalIPs of the node, primary first; NodePorts are served on them. */
  nodeIPs: string[];
  mode: ProxyMode;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  /** Remove the rules on a clean exit. */
  cleanup: boolean;
  /** Undefined: no metrics/health server. */
  metricsAddress: HostPort | undefined;
  /** The Lease's leaseDurationSeconds. */
  leaseDurationSeconds: number;
  leaseRenewIntervalMs: number;
  nodeStatusUpdatePeriodMs: number;
  nodeStatusReportPeriodMs: number;
  /** Report Pod status and run readiness probes for Pods bound to this node. */
  podStatus: boolean;
  /** userspace mode: dummy interface for non-loopback ClusterIPs; undefined for none. */
  userspaceInterface: string | undefined;
  udpIdleTimeoutMs: number;
  logLevel: LogLevel;
  /** `process`: run each container as a child process; `none`: report containers as running without running anything. */
  runtime: RuntimeKind;
  /** The runtime's state file, container logs and FIFOs. */
  rootDir: string;
  /** `--image NAME=COMMAND…` mappings, on top of the built-in images. */
  images: Array<[string, ImageEntry]>;
  restartBackoffMs: number;
  restartBackoffMaxMs: number;
  cgroupRoot: string;
  /** The kubelet endpoints' port on the node's first IP; 0 picks one; undefined: not served. */
  kubeletPort: number | undefined;
}

/** Flag values as commander hands them over (strings, booleans, or unset). */
export interface AgentFlags {
  server?: string;
  kubeconfig?: string;
  node?: string;
  nodeIp?: string;
  mode?: string;
  minSyncPeriod?: string;
  syncPeriod?: string;
  cleanup?: boolean;
  metricsAddress?: string;
  nodeGraceLeaseSeconds?: string;
  leaseRenewInterval?: string;
  nodeStatusUpdatePeriod?: string;
  nodeStatusReportPeriod?: string;
  podStatus?: boolean;
  userspaceInterface?: string;
  udpIdleTimeout?: string;
  logLevel?: string;
  runtime?: string;
  rootDir?: string;
  image?: string[];
  restartBackoff?: string;
  restartBackoffMax?: string;
  cgroupRoot?: string;
  kubeletPort?: string;
}

export const AGENT_DEFAULTS = {
  server: 'http://127.0.0.1:8080',
  minSyncPeriod: '1s',
  syncPeriod: '30s',
  metricsAddress: '127.0.0.1:10249',
  nodeGraceLeaseSeconds: '40',
  leaseRenewInterval: '10s',
  nodeStatusUpdatePeriod: '10s',
  nodeStatusReportPeriod: '1m',
  udpIdleTimeout: '10s',
  logLevel: 'info',
  runtime: 'process',
  restartBackoff: '10s',
  restartBackoffMax: '5m',
  cgroupRoot: '/sys/fs/cgroup',
  kubeletPort: '10250',
} as const;

export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function resolveAgentConfig(flags: AgentFlags, isRoot: boolean = process.getuid?.() === 0): AgentConfig {
  let connection: ClientConnection = { server: flags.server ?? AGENT_DEFAULTS.server };
  if (flags.kubeconfig !== undefined) {
    try {
      connection = loadKubeconfig(flags.kubeconfig);
    } catch (error) {
      if (error instanceof KubeconfigError) throw new AgentConfigError(`--kubeconfig: ${error.message}`);
      throw error;
    }
  }
  const server = connection.server;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new AgentConfigError(`--server must be a URL such as http://127.0.0.1:8080, got ${JSON.stringify(server)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AgentConfigError(`--server must be an http(s) URL, got ${JSON.stringify(server)}`);

  const nodeName = flags.node ?? os.hostname().toLowerCase();
  if (nodeName.length > 253 || !DNS1123_SUBDOMAIN.test(nodeName)) {
    throw new AgentConfigError(
      `--node: Invalid value: ${JSON.stringify(nodeName)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
  }

  const nodeIPs = flags.nodeIp === undefined || flags.nodeIp === '' ? [defaultNodeIP()] : flags.nodeIp.split(',').map((ip) => ip.trim());
  for (const ip of nodeIPs) if (isIP(ip) === 0) throw new AgentConfigError(`--node-ip must be an IP address (or a comma-separated IPv4,IPv6 pair), got ${JSON.stringify(flags.nodeIp)}`);
  if (nodeIPs.length > 2 || (nodeIPs.length === 2 && isIP(nodeIPs[0] ?? '') === isIP(nodeIPs[1] ?? ''))) {
    throw new AgentConfigError(`--node-ip takes at most one address per IP family, got ${JSON.stringify(flags.nodeIp)}`);
  }

  const mode = flags.mode;
  if (mode === undefined || !(proxyModes as readonly string[]).includes(mode)) {
    throw new AgentConfigError(`--mode must be one of ${proxyModes.join(', ')}, got ${JSON.stringify(mode ?? '')}`);
  }

  const minSyncPeriodMs = duration('--min-sync-period', flags.minSyncPeriod ?? AGENT_DEFAULTS.minSyncPeriod, 0);
  const syncPeriodMs = duration('--sync-period', flags.syncPeriod ?? AGENT_DEFAULTS.syncPeriod, 1);
  if (minSyncPeriodMs > syncPeriodMs) throw new AgentConfigError(`--min-sync-period (${flags.minSyncPeriod}) must not be longer than --sync-period (${flags.syncPeriod ?? AGENT_DEFAULTS.syncPeriod})`);

  const metricsText = flags.metricsAddress ?? AGENT_DEFAULTS.metricsAddress;
  const metricsAddress = metricsText === '' ? undefined : hostPort('--metrics-address', metricsText);

  const leaseText = flags.nodeGraceLeaseSeconds ?? AGENT_DEFAULTS.nodeGraceLeaseSeconds;
  const leaseDurationSeconds = Number(leaseText);
  if (!/^\d+$/.test(leaseText) || leaseDurationSeconds < 1) throw new AgentConfigError(`--node-grace-lease-seconds must be a positive whole number of seconds, got ${JSON.stringify(leaseText)}`);
  const leaseRenewIntervalMs = duration('--lease-renew-interval', flags.leaseRenewInterval ?? AGENT_DEFAULTS.leaseRenewInterval, 1);
  const nodeStatusUpdatePeriodMs = duration('--node-status-update-period', flags.nodeStatusUpdatePeriod ?? AGENT_DEFAULTS.nodeStatusUpdatePeriod, 1);
  const nodeStatusReportPeriodMs = duration('--node-status-report-period', flags.nodeStatusReportPeriod ?? AGENT_DEFAULTS.nodeStatusReportPeriod, 1);

  const interfaceText = flags.userspaceInterface;
  let userspaceInterface: string | undefined;
  if (interfaceText === undefined) userspaceInterface = isRoot ? DEFAULT_PROXY_INTERFACE : undefined;
  else if (interfaceText === '' || interfaceText === 'none') userspaceInterface = undefined;
  else if (!/^[A-Za-z0-9_.-]{1,15}$/.test(interfaceText)) throw new AgentConfigError(`--userspace-interface must be an interface name of at most 15 characters (or "none"), got ${JSON.stringify(interfaceText)}`);
  else userspaceInterface = interfaceText;

  const logLevel = flags.logLevel ?? AGENT_DEFAULTS.logLevel;
  if (!(logLevels as readonly string[]).includes(logLevel)) throw new AgentConfigError(`--log-level must be one of ${logLevels.join(', ')}, got ${JSON.stringify(logLevel)}`);

  const runtime = flags.runtime ?? AGENT_DEFAULTS.runtime;
  if (!(runtimeKinds as readonly string[]).includes(runtime)) throw new AgentConfigError(`--runtime must be one of ${runtimeKinds.join(', ')}, got ${JSON.stringify(runtime)}`);
  const images: Array<[string, ImageEntry]> = [];
  for (const text of flags.image ?? []) {
    try {
      images.push(parseImageMapping(text));
    } catch (error) {
      if (error instanceof ImageCatalogError) throw new AgentConfigError(error.message);
      throw error;
    }
  }
  const restartBackoffMs = duration('--restart-backoff', flags.restartBackoff ?? AGENT_DEFAULTS.restartBackoff, 1);
  const restartBackoffMaxMs = duration('--restart-backoff-max', flags.restartBackoffMax ?? AGENT_DEFAULTS.restartBackoffMax, 1);
  if (restartBackoffMs > restartBackoffMaxMs) throw new AgentConfigError(`--restart-backoff (${flags.restartBackoff}) must not be longer than --restart-backoff-max (${flags.restartBackoffMax ?? AGENT_DEFAULTS.restartBackoffMax})`);

  const kubeletText = flags.kubeletPort ?? AGENT_DEFAULTS.kubeletPort;
  if (kubeletText !== '' && (!/^\d+$/.test(kubeletText) || Number(kubeletText) > 65535)) throw new AgentConfigError(`--kubelet-port must be a port number (0 picks one; empty disables), got ${JSON.stringify(kubeletText)}`);

  return {
    server,
    connection,
    nodeName,
    nodeIPs,
    mode: mode as ProxyMode,
    minSyncPeriodMs,
    syncPeriodMs,
    cleanup: flags.cleanup ?? false,
    metricsAddress,
    leaseDurationSeconds,
    leaseRenewIntervalMs,
    nodeStatusUpdatePeriodMs,
    nodeStatusReportPeriodMs,
    podStatus: flags.podStatus ?? true,
    userspaceInterface,
    udpIdleTimeoutMs: duration('--udp-idle-timeout', flags.udpIdleTimeout ?? AGENT_DEFAULTS.udpIdleTimeout, 1),
    logLevel: logLevel as LogLevel,
    runtime: runtime as RuntimeKind,
    rootDir: flags.rootDir !== undefined && flags.rootDir !== '' ? flags.rootDir : `./data/agent-${nodeName}`,
    images,
    restartBackoffMs,
    restartBackoffMaxMs,
    cgroupRoot: flags.cgroupRoot ?? AGENT_DEFAULTS.cgroupRoot,
    kubeletPort: kubeletText === '' ? undefined : Number(kubeletText),
  };
}

function duration(flag: string, text: string, minimumMs: number): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new AgentConfigError(`${flag} must be a duration such as 1s, 500ms or 1m30s, got ${JSON.stringify(text)}`);
  if (ms < minimumMs) throw new AgentConfigError(`${flag} must be at least ${minimumMs} ms, got ${JSON.stringify(text)}`);
  return Math.round(ms);
}

function hostPort(flag: string, text: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  if (match === null || isIP(host) === 0 || !/^\d+$/.test(match[3] ?? '') || port > 65535) {
    throw new AgentConfigError(`${flag} must be IP:port such as 127.0.0.1:10249 (port 0 picks a free one; empty disables), got ${JSON.stringify(text)}`);
  }
  return { host, port };
}

/** The kubelet's choice when --node-ip is unset: the first non-loopback IPv4 address, else loopback. */
function defaultNodeIP(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}
