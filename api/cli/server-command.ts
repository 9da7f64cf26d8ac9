import { rmSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isValidCidr } from '../allocators/cidr.js';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from '../server-config.js';

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new InvalidArgumentError(`"${text}" is not a port number (0-65535)`);
  return value;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new InvalidArgumentError(`"${text}" is not a positive integer`);
  return value;
}

function cidr(text: string): string {
  if (!isValidCidr(text)) throw new InvalidArgumentError(`"${text}" is not a valid CIDR (for example 10.96.0.0/16)`);
  return text;
}

function portRange(text: string): { from: number; to: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (!match || from < 1 || to > 65535 || from > to) {
    throw new InvalidArgumentError(`"${text}" is not a port range such as 30000-32767`);
  }
  return { from, to };
}

interface ServerFlags {
  host: string;
  port: number;
  data: string;
  serviceCidr: string;
  nodePortRange: { from: number; to: number };
  podCidr: string;
  eventLogMaxEvents: number;
  eventLogMaxAge: number;
  nodeGracePeriod: number;
  logLevel: string;
  insecureServeHttp: boolean;
  pkiDir?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
}

export function serverCommand(): Command {
  const d = DEFAULT_SERVER_CONFIG;
  return new Command('server')
    .description('run the API server with its controllers (embedded SQLite)')
    .addOption(new Option('--host <address>', 'address to listen on').env('SKIFF_HOST').default(d.host))
    .addOption(new Option('--port <port>', 'port to listen on; 0 picks a free port').env('SKIFF_PORT').default(d.port).argParser(port))
    .addOption(new Option('--data <path>', "SQLite database file, or ':memory:'").env('SKIFF_DATA').default(d.dataPath))
    .addOption(new Option('--service-cidr <cidr>', 'range ClusterIPs are allocated from').env('SKIFF_SERVICE_CIDR').default(d.serviceCidr).argParser(cidr))
    .addOption(new Option('--node-port-range <from-to>', 'range NodePorts are allocated from').env('SKIFF_NODE_PORT_RANGE')
      .default(d.nodePortRange, `${d.nodePortRange.from}-${d.nodePortRange.to}`).argParser(portRange))
    .addOption(new Option('--pod-cidr <cidr>', 'range each Node gets a /24 podCIDR from').env('SKIFF_POD_CIDR').default(d.podCidr).argParser(cidr))
    .addOption(new Option('--event-log-max-events <n>', 'events kept for watch resumption').env('SKIFF_EVENT_LOG_MAX_EVENTS').default(d.eventLog.maxEvents).argParser(positiveInteger))
    .addOption(new Option('--event-log-max-age <seconds>', 'age after which events are compacted').env('SKIFF_EVENT_LOG_MAX_AGE').default(d.eventLog.maxAgeMs / 1000).argParser(positiveInteger))
    .addOption(new Option('--node-grace-period <seconds>', 'heartbeat age after which a Node is marked NotReady').env('SKIFF_NODE_GRACE_PERIOD').default(d.nodeMonitorGracePeriodMs / 1000).argParser(positiveInteger))
    .addOption(new Option('--log-level <level>', 'fatal, error, warn, info, debug or trace').env('SKIFF_LOG_LEVEL').default(d.logLevel)
      .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .addOption(new Option('--pki-dir <path>', 'folder of the cluster CA, serving certificate and ServiceAccount signing key, made on first start (default: pki/ beside --data; a temporary one for :memory:)').env('SKIFF_PKI_DIR'))
    .addOption(new Option('--tls-cert-file <path>', 'serving certificate (PEM) to use instead of the one in --pki-dir').env('SKIFF_TLS_CERT_FILE'))
    .addOption(new Option('--tls-private-key-file <path>', 'private key (PEM) of --tls-cert-file').env('SKIFF_TLS_PRIVATE_KEY_FILE'))
    .addOption(new Option('--client-ca-file <path>', 'CA bundle (PEM) client certificates are verified against instead of the cluster CA').env('SKIFF_CLIENT_CA_FILE'))
    .addOption(new Option('--insecure-serve-http', 'serve plain HTTP with no authentication, every request acting as system:admin; only on a loopback --host, for local experiments and tests that are not about security').env('SKIFF_INSECURE_SERVE_HTTP').default(false))
    .action(async (flags: ServerFlags) => {
      const { resolveServerCredentials, SecurityFlagError } = await import('../pki/server-credentials.js');
      const credentials = await resolveServerCredentials({ ...flags, dataPath: flags.data }).catch((error: unknown) => {
        if (error instanceof SecurityFlagError) {
          process.stderr.write(`error: ${error.message}\n`);
          process.exit(2);
        }
        throw error;
      });
      const config: Partial<ServerConfig> = {
        host: flags.host,
        port: flags.port,
        dataPath: flags.data,
        serviceCidr: flags.serviceCidr,
        nodePortRange: flags.nodePortRange,
        podCidr: flags.podCidr,
        eventLog: { maxEvents: flags.eventLogMaxEvents, maxAgeMs: flags.eventLogMaxAge * 1000 },
        nodeMonitorGracePeriodMs: flags.nodeGracePeriod * 1000,
        logLevel: flags.logLevel,
        ...credentials.config,
      };
      // Loaded only once the flags are valid: --help and a bad flag answer without loading the server.
      const { SkiffServer } = await import('../server.js');
      const server = await SkiffServer.create(config);
      const url = await server.listen();
      process.stdout.write(`skiff server listening on ${url}\n`);
      if (credentials.pkiDir) process.stdout.write(`cluster CA and keys in ${credentials.pkiDir}\n`);
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        server.app.log.info({ signal }, 'shutting down');
        server.close().then(
          () => {
            if (credentials.temporaryPkiDir && credentials.pkiDir) rmSync(credentials.pkiDir, { recursive: true, force: true });
            process.exit(0);
          },
          (error: unknown) => {
            server.app.log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
