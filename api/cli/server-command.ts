import { Command, InvalidArgumentError, Option } from 'commander';
import { isValidCidr } from '../allocators/cidr.js';
import { AUTHORIZATION_MODES, DEFAULT_SERVER_CONFIG, type AuthorizationMode, type ServerConfig } from '../server-config.js';

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
    .addOption(new Option('--token-auth-file <path>', 'CSV of static bearer tokens (token,user,uid,"group1,group2"), read once at start').env('SKIFF_TOKEN_AUTH_FILE'))
    .addOption(new Option('--authorization-mode <modes>', `ordered, comma-separated authorizers: ${AUTHORIZATION_MODES.join(', ')}`).env('SKIFF_AUTHORIZATION_MODE')
      .default([...d.authorizationModes], d.authorizationModes.join(',')).argParser(authorizationModes))
    .action(async (flags: ServerFlags) => {
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
        tokenAuthFile: flags.tokenAuthFile,
        authorizationModes: flags.authorizationMode,
      };
      // Loaded only once the flags are valid: --help and a bad flag answer without loading the server.
      const { SkiffServer } = await import('../server.js');
      const server = await SkiffServer.create(config);
      const url = await server.listen();
      process.stdout.write(`skiff server listening on ${url}\n`);
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        server.app.log.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
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
