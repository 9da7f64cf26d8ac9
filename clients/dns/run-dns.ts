import { DNS_DEFAULTS, DnsServer } from './dns-server.js';
import { jsonLineLogger, type LogLevel, type Logger } from '../client/logger.js';
import type { HostPort } from './names.js';
import { KubeconfigError, loadKubeconfig, type ClientConnection } from '../client/kubeconfig.js';

/** Flags of `skiff dns`; each falls back to its environment variable, then to the default. */
export interface DnsCommandOptions {
  /** --server, SKIFF_SERVER: API server URL (default http://127.0.0.1:8080, `skiff server`'s default). */
  server?: string;
  /** --kubeconfig, SKIFF_KUBECONFIG: server URL, CA and credentials; its server wins over --server. */
  kubeconfig?: string;
  /** --listen, SKIFF_DNS_LISTEN: host:port for UDP and TCP (default 127.0.0.1:10053). */
  listen?: string;
  /** --domain, SKIFF_DNS_DOMAIN: cluster domain (default cluster.local). */
  domain?: string;
  /** --ttl, SKIFF_DNS_TTL: record TTL in seconds (default 5). */
  ttl?: number | string;
  /** --upstream, SKIFF_DNS_UPSTREAM: host:port to forward other names to (default: refuse them). */
  upstream?: string;
  logger?: Logger;
  /** Level of the default stderr logger when no logger is given (default info). */
  logLevel?: LogLevel;
  /** Where the ready line goes (default process.stdout). */
  stdout?: { write(line: string): unknown };
  /** Install SIGINT/SIGTERM handlers that close the server (default true). */
  handleSignals?: boolean;
}

export interface ResolvedDnsOptions {
  server: string;
  connection: ClientConnection;
  listen: string;
  domain: string;
  ttl: number;
  upstream: string | undefined;
}

export interface RunningDns {
  server: DnsServer;
  address: HostPort;
  /** Closes the server; idempotent. */
  stop(): Promise<void>;
  /** Settles once stopped (by stop() or a signal). */
  done: Promise<void>;
}

export class DnsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsConfigError';
  }
}

/** Merges flags over environment over defaults and validates the result. */
export function resolveDnsOptions(flags: DnsCommandOptions, env: NodeJS.ProcessEnv = process.env): ResolvedDnsOptions {
  const pick = (flag: string | number | undefined, variable: string): string | undefined => {
    if (flag !== undefined && flag !== '') return String(flag);
    const value = env[variable];
    return value === undefined || value === '' ? undefined : value;
  };
  const kubeconfig = pick(flags.kubeconfig, 'SKIFF_KUBECONFIG');
  let connection: ClientConnection = { server: pick(flags.server, 'SKIFF_SERVER') ?? DNS_DEFAULTS.server };
  if (kubeconfig !== undefined) {
    try {
      connection = loadKubeconfig(kubeconfig);
    } catch (error) {
      if (error instanceof KubeconfigError) throw new DnsConfigError(`--kubeconfig: ${error.message}`);
      throw error;
    }
  }
  const server = connection.server;
  try {
    new URL(server);
  } catch {
    throw new DnsConfigError(`--server must be a URL such as http://127.0.0.1:6443, got ${JSON.stringify(server)}`);
  }
  const ttlText = pick(flags.ttl, 'SKIFF_DNS_TTL') ?? String(DNS_DEFAULTS.ttl);
  const ttl = Number(ttlText);
  if (!/^\d+$/.test(ttlText) || !Number.isSafeInteger(ttl) || ttl > 2_147_483_647) {
    throw new DnsConfigError(`--ttl must be a whole number of seconds, got ${JSON.stringify(ttlText)}`);
  }
  return {
    server,
    connection,
    listen: pick(flags.listen, 'SKIFF_DNS_LISTEN') ?? DNS_DEFAULTS.listen,
    domain: pick(flags.domain, 'SKIFF_DNS_DOMAIN') ?? DNS_DEFAULTS.domain,
    ttl,
    upstream: pick(flags.upstream, 'SKIFF_DNS_UPSTREAM'),
  };
}

/**
 * Starts `skiff dns`, prints `skiff dns listening on udp+tcp HOST:PORT` once
 * it answers, and closes it on SIGINT/SIGTERM.
 */
export async function runDnsCommand(options: DnsCommandOptions = {}): Promise<RunningDns> {
  const resolved = resolveDnsOptions(options);
  const logger = options.logger ?? jsonLineLogger((line) => process.stderr.write(line), options.logLevel ?? 'info');
  let server: DnsServer;
  try {
    server = new DnsServer({ ...resolved, logger });
  } catch (error) {
    throw error instanceof RangeError ? new DnsConfigError(error.message) : error;
  }

  let stopping: Promise<void> | undefined;
  let markDone!: () => void;
  const done = new Promise<void>((resolve) => (markDone = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down skiff dns');
    void stop();
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await server.close();
      markDone();
    })();
    return stopping;
  };
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  let address: HostPort;
  try {
    address = await server.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const shown = address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  (options.stdout ?? process.stdout).write(`skiff dns listening on udp+tcp ${shown}\n`);
  return { server, address, stop, done };
}
