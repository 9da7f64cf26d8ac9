import { rmSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isValidCidr } from '../api/allocators/cidr.js';
import { AUTHORIZATION_MODES, DEFAULT_SERVER_CONFIG, type AuthorizationMode, type ServerConfig } from '../api/server-config.js';
import { validateLeaderElectionTimings } from '../api/controllers/leader-election/leader-elector.js';
import { formatDuration, parseDuration } from '../clients/agent/duration.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadEncryptionConfig } from '../api/encryption/encryption-config.js';

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

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`"${text}" is not a positive duration such as 15s or 500ms`);
  return ms;
}

/** Go's strconv.ParseBool, as kube-controller-manager reads --controllers-like switches. */
function bool(text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new InvalidArgumentError(`"${text}" is not a boolean (true or false)`);
}

function nonNegativeInteger(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a non-negative integer`);
  return Number(text);
}

function encryptionConfigFile(path: string): string {
  try {
    loadEncryptionConfig(path);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return path;
}

function auditLogPath(path: string): string {
  if (path !== '-' && !existsSync(dirname(resolve(path)))) throw new InvalidArgumentError(`the folder of "${path}" does not exist`);
  return path;
}

function authorizationModes(text: string): AuthorizationMode[] {
  const modes = text.split(',').map((mode) => mode.trim());
  for (const mode of modes) {
    if (!(AUTHORIZATION_MODES as readonly string[]).includes(mode)) {
      throw new InvalidArgumentError(`authorization-mode "${mode}" is not a valid mode (${AUTHORIZATION_MODES.join(', ')})`);
    }
  }
  if (new Set(modes).size !== modes.length) throw new InvalidArgumentError(`"${text}" has an authorization mode specified more than once`);
  return modes as AuthorizationMode[];
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
  controllers: boolean;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  maxWatchesPerConnection: number;
  encryptionKeyFile?: string;
  auditLogPath?: string;
  insecureServeHttp: boolean;
  pkiDir?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  tokenAuthFile?: string;
  authorizationMode: AuthorizationMode[];
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
    .addOption(new Option('--controllers <bool>', 'run the controllers, under leader election among the servers on one store; false serves the API only')
      .env('SKIFF_CONTROLLERS').default(d.controllers).argParser(bool))
    .addOption(new Option('--leader-elect-lease-duration <duration>', 'how long the other servers wait after the last observed renewal before taking the controllers over')
      .env('SKIFF_LEADER_ELECT_LEASE_DURATION').default(d.leaderElection.leaseDurationMs, formatDuration(d.leaderElection.leaseDurationMs)).argParser(duration))
    .addOption(new Option('--leader-elect-renew-deadline <duration>', 'how long the leader keeps trying to renew before it stops its controllers')
      .env('SKIFF_LEADER_ELECT_RENEW_DEADLINE').default(d.leaderElection.renewDeadlineMs, formatDuration(d.leaderElection.renewDeadlineMs)).argParser(duration))
    .addOption(new Option('--leader-elect-retry-period <duration>', 'how often the leader renews and the others try to acquire')
      .env('SKIFF_LEADER_ELECT_RETRY_PERIOD').default(d.leaderElection.retryPeriodMs, formatDuration(d.leaderElection.retryPeriodMs)).argParser(duration))
    .addOption(new Option('--max-requests-inflight <n>', 'read-only requests in flight at once, beyond which 429 is answered (watches and health probes excluded); 0 for no limit')
      .env('SKIFF_MAX_REQUESTS_INFLIGHT').default(d.inflight.maxRequestsInflight).argParser(nonNegativeInteger))
    .addOption(new Option('--max-mutating-requests-inflight <n>', 'mutating requests in flight at once, beyond which 429 is answered; 0 for no limit')
      .env('SKIFF_MAX_MUTATING_REQUESTS_INFLIGHT').default(d.inflight.maxMutatingRequestsInflight).argParser(nonNegativeInteger))
    .addOption(new Option('--max-watches-per-connection <n>', 'watches open at once on one client connection, beyond which 429 is answered; 0 for no limit')
      .env('SKIFF_MAX_WATCHES_PER_CONNECTION').default(d.inflight.maxWatchesPerConnection).argParser(nonNegativeInteger))
    .addOption(new Option('--encryption-key-file <path>', 'an EncryptionConfiguration (apiserver.config.k8s.io/v1) whose aesgcm keys encrypt the named resources, e.g. secrets, in the database')
      .env('SKIFF_ENCRYPTION_KEY_FILE').argParser(encryptionConfigFile))
    .addOption(new Option('--audit-log-path <path>', "append an audit.k8s.io/v1 Event (Metadata level) per request to this file, one JSON line each; '-' for standard output")
      .env('SKIFF_AUDIT_LOG_PATH').argParser(auditLogPath))
    .addOption(new Option('--pki-dir <path>', 'folder of the cluster CA, serving certificate and ServiceAccount signing key, made on first start (default: pki/ beside --data; a temporary one for :memory:)').env('SKIFF_PKI_DIR'))
    .addOption(new Option('--tls-cert-file <path>', 'serving certificate (PEM) to use instead of the one in --pki-dir').env('SKIFF_TLS_CERT_FILE'))
    .addOption(new Option('--tls-private-key-file <path>', 'private key (PEM) of --tls-cert-file').env('SKIFF_TLS_PRIVATE_KEY_FILE'))
    .addOption(new Option('--client-ca-file <path>', 'CA bundle (PEM) client certificates are verified against instead of the cluster CA').env('SKIFF_CLIENT_CA_FILE'))
    .addOption(new Option('--insecure-serve-http', 'serve plain HTTP; a request without credentials acts as system:admin (a bearer token is still checked); only on a loopback --host, for local experiments and tests that are not about security').env('SKIFF_INSECURE_SERVE_HTTP').default(false))
    .addOption(new Option('--token-auth-file <path>', 'CSV of static bearer tokens (token,user,uid,"group1,group2"), read once at start').env('SKIFF_TOKEN_AUTH_FILE'))
    .addOption(new Option('--authorization-mode <modes>', `ordered, comma-separated authorizers: ${AUTHORIZATION_MODES.join(', ')}`).env('SKIFF_AUTHORIZATION_MODE')
      .default([...d.authorizationModes], d.authorizationModes.join(',')).argParser(authorizationModes))
    .action(async (flags: ServerFlags, command: Command) => {
      const leaderElection = { leaseDurationMs: flags.leaderElectLeaseDuration, renewDeadlineMs: flags.leaderElectRenewDeadline, retryPeriodMs: flags.leaderElectRetryPeriod };
      const invalidTimings = validateLeaderElectionTimings(leaderElection);
      if (invalidTimings) command.error(`error: leader election: ${invalidTimings}`, { exitCode: 2 });
      const { resolveServerCredentials, SecurityFlagError } = await import('../api/pki/server-credentials.js');
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
        controllers: flags.controllers,
        leaderElection,
        inflight: {
          maxRequestsInflight: flags.maxRequestsInflight,
          maxMutatingRequestsInflight: flags.maxMutatingRequestsInflight,
          maxWatchesPerConnection: flags.maxWatchesPerConnection,
        },
        encryptionKeyFile: flags.encryptionKeyFile,
        auditLogPath: flags.auditLogPath,
        tokenAuthFile: flags.tokenAuthFile,
        authorizationModes: flags.authorizationMode,
        ...credentials.config,
      };
      // Loaded only once the flags are valid: --help and a bad flag answer without loading the server.
      const { SkiffServer } = await import('../api/server.js');
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
